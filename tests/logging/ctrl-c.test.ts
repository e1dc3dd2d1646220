/**
 * How `hilbench log` ends: Ctrl-C typed on a pseudo-terminal stops it between two samples as a
 * failed log (every file whole, status failed with the reason, exit 1, cursor shown); a log given
 * --duration that runs to its end is a good one (status closed, exit 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hilbench } from '../helpers/cli.ts';
import { cursorRestored, hilbenchOnPty } from '../helpers/pty.ts';

const feeder = fileURLToPath(new URL('./fixtures/plotter-feeder.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A board printing Serial Plotter lines (2 ms apart) behind a socat pseudo-terminal at `dir`/board. */
async function board(dir: string): Promise<string> {
  const link = join(dir, 'board');
  const cmd = `${process.execPath} ${feeder} ${join(dir, 'sent.txt')} 0 1000000 1000000 0`;
  children.push(spawn('socat', [`PTY,link=${link},raw,echo=0,wait-slave,pty-interval=0.05`, `EXEC:${cmd}`], { stdio: 'ignore' }));
  for (let i = 0; i < 200 && !existsSync(link); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(link)) throw new Error('no pseudo-terminal');
  return link;
}

/** The last line printed, without escapes and the terminal's echo of Ctrl-C (^C). */
function lastLine(output: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]|\^C|\r/g, '');
  return plain.trimEnd().split('\n').pop() ?? '';
}

/**
 * Every file of the log is whole and tells the same number of samples. `atLeastOne`: the board's
 * first line must have arrived (a --duration log on a busy machine may end before the board starts).
 */
function checkWhole(out: string, atLeastOne: boolean): Record<string, unknown> {
  const nd = readFileSync(join(out, 'log.ndjson'), 'utf8');
  expect(nd.endsWith('\n')).toBe(true);
  const samples = nd.split('\n').filter((l) => l.startsWith('{"type":"sample"'));
  const meta = JSON.parse(readFileSync(join(out, 'log.meta.json'), 'utf8'));
  if (atLeastOne) expect(samples.length).toBeGreaterThan(0);
  expect(meta.samples).toBe(samples.length);
  if (samples.length === 0) {
    expect(readdirSync(out).sort()).toEqual(['log.meta.json', 'log.ndjson']);
    return meta;
  }
  expect(readdirSync(out).sort()).toEqual(['log.csv', 'log.meta.json', 'log.ndjson']);
  const csv = readFileSync(join(out, 'log.csv'), 'utf8');
  expect(csv.endsWith('\n')).toBe(true);
  const rows = csv.split('\n').filter((l) => l !== '' && !l.startsWith('#')).slice(1);
  expect(rows).toHaveLength(samples.length);
  expect(meta.samples).toBe(samples.length);
  expect(meta.segments).toMatchObject([{ file: 'log.csv', rows: samples.length }]);
  return meta;
}

describe('the end of a log', () => {
  it('Ctrl-C: stops between samples, every file whole, status failed "stopped by Ctrl-C", exit 1, cursor restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-log-ctrl-c-'));
    const port = await board(dir);
    const out = join(dir, 'log');
    // "column sets 1" shows on the status line once the first sample is in.
    const r = hilbenchOnPty(['log', '--port', port, '--out', out, '--flush-ms', '50'], 'column sets 1');
    expect(r.presses).toBe(1);
    expect(r.code, r.output).toBe(1);
    expect(lastLine(r.output)).toBe(`hilbench: stopped by Ctrl-C: the log in ${out} is complete up to its last sample, with status failed`);
    const meta = checkWhole(out, true);
    expect(meta).toMatchObject({ format: 'hilbench-log', status: 'failed', reason: 'stopped by Ctrl-C' });
    expect(r.output).toMatch(new RegExp(`log: ${meta.samples} samples, `));
    expect(cursorRestored(r.output)).toBe(true);
  }, 120_000);

  it('--duration: a log that reaches its duration ends with status closed, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-log-duration-'));
    const port = await board(dir);
    const out = join(dir, 'log');
    const r = hilbench(['log', '--port', port, '--out', out, '--duration', '3'], { timeout: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const meta = checkWhole(out, false);
    expect(meta.status).toBe('closed');
    expect(meta).not.toHaveProperty('reason');
    expect(r.stdout).toMatch(new RegExp(`^log: ${meta.samples} samples, \\d+ bad lines`, 'm'));
  }, 120_000);
});
