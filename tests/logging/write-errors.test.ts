/**
 * Files that cannot be written (a full disk is /dev/full here, as a user would meet ENOSPC): the
 * buffered lines are kept, the error is one line naming the file, exit 1, and `log` ends its
 * session as failed instead of crashing in an RxJS subscriber or the idle-flush timer.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, symlinkSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvWriter } from '../../run/record/csv-writer.ts';
import { LineFileWriter } from '../../run/record/line-file.ts';

const bin = fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url));
const feeder = fileURLToPath(new URL('./fixtures/plotter-feeder.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const fresh = (p: string) => mkdtempSync(join(tmpdir(), p));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hilbench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('LineFileWriter on a file that cannot take its lines', () => {
  it('keeps the lines a failed write did not get out and writes them once the file takes them again', () => {
    // A FIFO whose only reader went away: write(2) fails (EPIPE) without writing a byte; a new
    // reader on the same FIFO receives what is written after that.
    const fifo = join(fresh('hilbench-fifo-'), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader1 = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const w = new LineFileWriter(fifo, { flushInterval_ms: 60_000 });
    w.open();
    w.append('line 1\n');
    closeSync(reader1);
    w.append('line 2\n');
    expect(() => w.flush()).toThrow(/pipe: cannot write \(EPIPE/);
    w.append('line 3\n');
    const reader2 = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    w.flush();
    const buf = Buffer.alloc(1000);
    const n = readSync(reader2, buf, 0, buf.length, null);
    expect(buf.subarray(0, n).toString()).toBe('line 1\nline 2\nline 3\n');
    w.close();
    closeSync(reader2);
  });

  it('/dev/full: a user error naming the file (ENOSPC); the idle timer reports it through onError, no uncaught exception', async () => {
    const path = join(fresh('hilbench-full-'), 'run.csv');
    symlinkSync('/dev/full', path);
    const csv = new CsvWriter(path);
    let thrown: unknown;
    try {
      csv.begin(['t_s', 'x']);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ userError: true, message: expect.stringMatching(/run\.csv: cannot write \(ENOSPC: no space left on device\)$/) });
    expect(() => csv.end()).not.toThrow(); // already reported: closed without a second error

    const errors: Error[] = [];
    const w = new LineFileWriter(path, { flushInterval_ms: 20, onError: (e) => errors.push(e) });
    w.open();
    w.append('a line that waits for the idle flush\n');
    await sleep(200);
    expect(errors.map((e) => e.message)).toEqual([`${path}: cannot write (ENOSPC: no space left on device)`]);
    w.close();
  });
});

describe('commands writing to a full disk', () => {
  // run on a full disk: tests/run/write-errors.test.ts (a real 64 KiB tmpfs).

  it('log: log.csv on /dev/full ends the session as failed with one line, exit 1, log.meta.json says failed', async () => {
    const dir = fresh('hilbench-full-');
    const link = join(dir, 'board');
    const out = join(dir, 'log');
    mkdirSync(out);
    symlinkSync('/dev/full', join(out, 'log.csv'));
    const cmd = `${process.execPath} ${feeder} ${join(dir, 'sent.txt')} 0 300 10000 0`;
    children.push(spawn('socat', [`PTY,link=${link},raw,echo=0,wait-slave,pty-interval=0.05`, `EXEC:${cmd}`], { stdio: 'ignore' }));
    const t0 = Date.now();
    while (!existsSync(link)) {
      if (Date.now() - t0 > 5000) throw new Error('no pseudo-terminal');
      await sleep(20);
    }
    // --resume: log.csv is already there (the link), as after a crash on a disk that then filled up.
    const r = await hilbench(['log', '--port', link, '--out', out, '--resume', '--flush-ms', '50']);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toBe(`hilbench: ${join(out, 'log.csv')}: cannot write (ENOSPC: no space left on device)`);
    const meta = JSON.parse(readFileSync(join(out, 'log.meta.json'), 'utf8'));
    expect(meta.status).toBe('failed');
  }, 30_000);
});
