/**
 * A board that prints a new label on every line must not make `log` open a file per line: the
 * label sets are capped (MAX_SIGNALS signals in MAX_COLUMN_SETS column sets per session), and the
 * values of the labels over the limit are counted in log.meta.json and in the summary line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_COLUMN_SETS, MAX_SIGNALS } from '../../hil/logging/log-session.ts';
import { cli } from '../hil/helpers.ts';
import { wholeLines } from './log-files.ts';

const flood = fileURLToPath(new URL('./fixtures/label-flood.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function samples(out: string): { v: Record<string, number> }[] {
  const p = join(out, 'log.ndjson');
  if (!existsSync(p)) return [];
  return wholeLines(p)
    .filter((l) => l.startsWith('{"type":"sample"'))
    .map((l) => JSON.parse(l));
}

describe('log: a new label on every line', () => {
  it(`2000 lines sig<k>:1 open ${MAX_COLUMN_SETS} column sets; the other values are counted and reported`, async () => {
    const N = 2000;
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-labels-'));
    const link = join(dir, 'board');
    children.push(spawn('socat', [`PTY,link=${link},raw,echo=0,wait-slave,pty-interval=0.05`, `EXEC:${process.execPath} ${flood} ${N}`], { stdio: 'ignore' }));
    for (let i = 0; i < 200 && !existsSync(link); i++) await sleep(50);
    const out = join(dir, 'log');
    const logger = cli(['log', '--port', link, '--out', out, '--flush-ms', '50']);
    children.push(logger.child);
    // The end mark sig0:2 is recorded once every line before it has been read.
    const t0 = Date.now();
    while (!samples(out).some((s) => s.v.sig0 === 2)) {
      if (Date.now() - t0 > 120_000) throw new Error(`the end mark never arrived; stderr: ${logger.stderr}`);
      await sleep(100);
    }
    logger.child.kill('SIGTERM');
    expect(await logger.done, logger.stderr).toBe(1);

    // One column set per line while the limit allows (one new label each), then nothing new.
    const kept = Math.min(MAX_COLUMN_SETS, MAX_SIGNALS);
    const csvs = readdirSync(out).filter((f) => f.endsWith('.csv'));
    expect(csvs).toHaveLength(kept);
    const recorded = samples(out);
    expect(recorded).toHaveLength(kept + 1);
    recorded.slice(0, kept).forEach((s, k) => expect(s.v).toEqual({ [`sig${k}`]: 1 }));
    const meta = JSON.parse(readFileSync(join(out, 'log.meta.json'), 'utf8'));
    expect(meta.samples).toBe(kept + 1);
    expect(meta.segments).toHaveLength(kept);
    expect(meta.overLimit.values).toBe(N - kept);
    expect(meta.overLimit.labels).toEqual(Array.from({ length: 20 }, (_, i) => `sig${kept + i}`));
    expect(logger.stdout).toContain(
      `; ${N - kept} value(s) not recorded: their labels (sig${kept}, sig${kept + 1}, sig${kept + 2}, …) were over the limit of ${MAX_SIGNALS} signals in ${MAX_COLUMN_SETS} column sets`,
    );
  }, 180_000);
});
