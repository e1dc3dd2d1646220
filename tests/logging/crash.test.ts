import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LogRecorder } from '../../hil/logging/log-recorder.ts';
import { recoverLineFile } from '../../run/record/line-file.ts';

const child = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const FLUSH_MS = 100;
// How long one write(2) of a flush may take (the child stamps a write before it starts, the writer
// counts its interval from the end); never a scheduling allowance, the bound is in the child's time.
const WRITE_MS = 20;
const KILLS = 8;

/** The text the writers must have produced for row i (all but the wall clock column). */
function expectedTail(i: number): string {
  return `${i * 0.5},${Math.sin(i) * 1e-3},${-i}`;
}
function expectedHead(i: number): string {
  return `${i / 1000},`;
}

interface Killed {
  dir: string;
  killWall_ms: number;
  /** [first row, last row, wall ms at creation] of every burst the child announced. */
  bursts: [number, number, number][];
  /** Per file (run.csv, log.csv, log.ndjson): [rows included, wall ms at the start] of every complete write. */
  writes: Map<string, [number, number][]>;
}

/** `starve_ms` > 0: the child is stopped (SIGSTOP) that long before the kill, as a child that gets no CPU on a loaded machine. */
async function runAndKill(seed: number, starve_ms = 0): Promise<Killed> {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-crash-'));
  const p = spawn(process.execPath, ['--import', 'tsx', child, dir, String(FLUSH_MS), String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    p.stdout.on('data', () => out.includes('ready') && resolve());
    p.once('exit', (code) => reject(new Error(`crash writer exited early (${code})`)));
  });
  // A random moment: somewhere in bursts, idle pauses or flushes.
  await new Promise((r) => setTimeout(r, 150 + ((seed * 7919) % 900)));
  const exited = new Promise((r) => p.once('exit', r));
  if (starve_ms > 0) {
    p.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, starve_ms));
  }
  const killWall_ms = Date.now();
  p.kill('SIGKILL');
  await exited;
  await new Promise((r) => setTimeout(r, 50)); // drain the pipe
  const bursts = [...out.matchAll(/^burst (\d+) (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]);
  const writes = new Map<string, [number, number][]>();
  for (const m of out.matchAll(/^wrote (\S+) (\d+) (\d+)$/gm)) {
    if (!writes.has(m[1])) writes.set(m[1], []);
    writes.get(m[1])!.push([Number(m[2]), Number(m[3])]);
  }
  return { dir, killWall_ms, bursts, writes };
}

/** Checks a CSV of rows 0..n-1 after a crash; returns n, the last row's wall time and whether a torn tail was found. */
function checkCsv(path: string, headerLines: number): { rows: number; lastWall: number; torn: boolean } {
  const raw = readFileSync(path, 'utf8');
  const cut = raw.lastIndexOf('\n') + 1;
  const tail = raw.slice(cut);
  const lines = raw.slice(0, cut).split('\n').slice(0, -1);
  const body = lines.slice(headerLines).filter((l) => !l.startsWith('#'));
  let lastWall = NaN;
  body.forEach((line, i) => {
    const cells = line.split(',');
    expect(line.startsWith(expectedHead(i)), `${path} row ${i}: ${line}`).toBe(true);
    expect(line.endsWith(',' + expectedTail(i)), `${path} row ${i}: ${line}`).toBe(true);
    expect(cells).toHaveLength(5);
    lastWall = Number(cells[1]);
  });
  if (tail !== '') {
    // Only a kill inside write(2) can leave this; it must be the start of the next row.
    expect(`${expectedHead(body.length)}`.startsWith(tail) || tail.startsWith(expectedHead(body.length))).toBe(true);
  }
  const rec = recoverLineFile(path);
  expect(rec.droppedBytes).toBe(tail.length);
  expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  return { rows: body.length, lastWall, torn: tail !== '' };
}

describe('kill -9 of a recording process', () => {
  it(`loses at most one flush interval and never a whole line, ${KILLS} random kills in a row`, async () => {
    const losses: number[] = [];
    const lags: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Every third child gets no CPU for 600 ms before the kill: the bound must not depend on that.
      const { dir, killWall_ms, bursts, writes } = await runAndKill(1000 + k * 37, k % 3 === 1 ? 600 : 0);
      expect(bursts.length).toBeGreaterThan(0);
      // The child's last moment of activity on its own clock: the start of its last burst that ran
      // to the end (the last announced burst may have been cut by the kill). Its rows were appended
      // then, and an append flushes once the interval is over, so whatever was still buffered at that
      // moment is younger than one flush interval there. A child that got no CPU before the kill
      // does not move this moment, unlike the wall clock of the kill.
      const active_ms = bursts.length > 1 ? bursts[bursts.length - 2][2] : -Infinity;
      /**
       * Checks one file against the child's record of its flushes: every row the last complete
       * write held is on disk, and that write started at most one flush interval before the child's
       * last activity. Returns that lag (ms, the child's clock) for the summary.
       */
      const checkFlushed = (file: string, rowsOnDisk: number): number => {
        const w = writes.get(file) ?? [];
        expect(w.length, `kill ${k}: no complete write of ${file}`).toBeGreaterThan(0);
        const [rows, start_ms] = w[w.length - 1];
        expect(rowsOnDisk, `kill ${k}: ${file} lost rows its last write (at ${start_ms}) held`).toBeGreaterThanOrEqual(rows);
        const lag = active_ms - start_ms;
        expect(lag, `kill ${k}: ${file} was last written ${lag} ms before the child's last burst`).toBeLessThanOrEqual(FLUSH_MS + WRITE_MS);
        return lag;
      };
      /** How long before the kill (wall clock) the first row missing from disk was created, for the summary. */
      const lossWindow = (rowsOnDisk: number): number => {
        const b = bursts.find(([first, last]) => first <= rowsOnDisk && rowsOnDisk <= last);
        return b ? killWall_ms - b[2] : 0;
      };
      const run = checkCsv(join(dir, 'run.csv'), 1);
      lags.push(checkFlushed('run.csv', run.rows));
      expect(run.rows).toBeGreaterThan(0);
      losses.push(lossWindow(run.rows));

      // The log directory: NDJSON parses line by line, samples are consecutive.
      const logDir = join(dir, 'log');
      const ndRaw = readFileSync(join(logDir, 'log.ndjson'), 'utf8');
      const ndLines = ndRaw.slice(0, ndRaw.lastIndexOf('\n')).split('\n');
      const samples = ndLines.map((l) => JSON.parse(l)).filter((r) => r.type === 'sample');
      samples.forEach((s, i) => {
        expect(s.t_s).toBe(i / 1000);
        expect(s.v.c === -i, `sample ${i}: c = ${s.v.c}`).toBe(true);
      });
      const logCsv = checkCsv(join(logDir, 'log.csv'), 2);
      lags.push(checkFlushed('log.csv', logCsv.rows));
      lags.push(checkFlushed('log.ndjson', samples.length));

      // Every other time, resume the crashed log: files repaired, a gap recorded, writing goes on.
      if (k % 2 === 0) {
        const rec = new LogRecorder({ dir: logDir, resume: true, meta: { port: '/dev/null', baud: 115200, host: 'test', version: 'test' } });
        expect(rec.samples).toBe(samples.length);
        expect(rec.gaps).toHaveLength(1);
        expect(rec.gaps[0].reason).toMatch(/^resumed after a crash/);
        expect(rec.gaps[0].lastSample_s).toBe(samples.length ? (samples.length - 1) / 1000 : null);
        rec.close();
        const meta = JSON.parse(readFileSync(join(logDir, 'log.meta.json'), 'utf8'));
        expect(meta.sessions).toBe(2);
        expect(meta.gaps).toHaveLength(1);
        expect(readdirSync(logDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      }
    }
    console.log(
      `kill -9: the oldest lost row was created ${Math.min(...losses)}–${Math.max(...losses)} ms before the kill (wall clock); last complete write ${Math.min(...lags)}–${Math.max(...lags)} ms before the child's last burst (flush interval ${FLUSH_MS} ms)`,
    );
  }, 120_000);
});
