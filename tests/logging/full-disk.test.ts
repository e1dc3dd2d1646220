/**
 * `hilbench log` on a real 64 KiB tmpfs that fills up while it records (root only, as CI runs):
 * exit 1 with one line naming the file, and every file left consistent — log.meta.json says
 * failed with the reason and the number of samples the files hold, log.ndjson and the CSV agree
 * sample for sample, and no temporary file is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallDisks, type SmallDisks } from '../helpers/tmpfs.ts';
import { cli } from '../hil/helpers.ts';
import { readLog } from './log-files.ts';

const feeder = fileURLToPath(new URL('./fixtures/plotter-feeder.mjs', import.meta.url));
const children: ChildProcess[] = [];
let disks: SmallDisks;
beforeAll(() => {
  disks = smallDisks();
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  disks?.unmount();
});

describe('log on a disk that fills up', () => {
  it('exit 1 naming the file; log.meta.json failed with the reason and the true sample count; files agree; no .tmp', async () => {
    const work = mkdtempSync(join(tmpdir(), 'hilbench-log-full-'));
    const link = join(work, 'board');
    // 20 000 lines, far more than 64 KiB of log.
    const cmd = `${process.execPath} ${feeder} ${join(work, 'sent.txt')} 0 20000 100000 0`;
    children.push(spawn('socat', [`PTY,link=${link},raw,echo=0,wait-slave,pty-interval=0.05`, `EXEC:${cmd}`], { stdio: 'ignore' }));
    for (let i = 0; i < 200 && !existsSync(link); i++) await new Promise((r) => setTimeout(r, 50));
    const out = join(disks.empty, 'log');
    const logger = cli(['log', '--port', link, '--out', out, '--flush-ms', '50']);
    children.push(logger.child);
    const code = await logger.done;
    const { stdout, stderr } = logger;

    expect(code, stderr).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).toHaveLength(1);
    const m = /^hilbench: (.*\/log\/log\.(?:ndjson|csv): cannot write \(ENOSPC: no space left on device\))$/.exec(lines[0]);
    expect(m, lines[0]).not.toBeNull();

    expect(readdirSync(out).sort()).toEqual(['log.csv', 'log.meta.json', 'log.ndjson']);
    for (const f of ['log.csv', 'log.ndjson']) expect(readFileSync(join(out, f), 'utf8').endsWith('\n'), f).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, 'log.meta.json'), 'utf8'));
    const log = readLog(out);
    expect(meta).toMatchObject({ status: 'failed', reason: m![1], samples: log.ndjsonSamples });
    expect(log.ndjsonSamples).toBeGreaterThan(0);
    expect(log.segments.map((s) => s.file)).toEqual(['log.csv']);
    expect(log.csv.get('log.csv')).toEqual(log.segments[0].rows);
    expect(meta.segments).toMatchObject([{ file: 'log.csv', rows: log.ndjsonSamples }]);
    expect(meta.lastSample_s).toBe(Number(log.segments[0].rows.at(-1)!.split(',')[0]));
    expect(stdout).toContain(`log: ${log.ndjsonSamples} samples, `);
    console.log(`full disk: ${log.ndjsonSamples} samples in both files, ${meta.samplesNotWritten ?? 0} received samples kept off the disk`);
  }, 180_000);
});
