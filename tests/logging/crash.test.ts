import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LogRecorder } from '../../hil/logging/log-recorder.ts';
import { recoverLineFile } from '../../hil/logging/line-file.ts';

const child = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const FLUSH_MS = 100;
// Scheduling allowance on a shared 2-core machine, on top of the flush interval.
const SLACK_MS = 400;
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
}

async function runAndKill(seed: number): Promise<Killed> {
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
  const killWall_ms = Date.now();
  p.kill('SIGKILL');
  await exited;
  await new Promise((r) => setTimeout(r, 50)); // drain the pipe
  const bursts = [...out.matchAll(/^burst (\d+) (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]);
  return { dir, killWall_ms, bursts };
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
    for (let k = 0; k < KILLS; k++) {
      const { dir, killWall_ms, bursts } = await runAndKill(1000 + k * 37);
      /** How long before the kill the first row missing from disk was created (0 if none is missing). */
      const lossWindow = (rowsOnDisk: number): number => {
        const b = bursts.find(([first, last]) => first <= rowsOnDisk && rowsOnDisk <= last);
        return b ? killWall_ms - b[2] : 0;
      };
      const run = checkCsv(join(dir, 'run.csv'), 1);
      expect(run.rows).toBeGreaterThan(0);
      expect(bursts.length).toBeGreaterThan(0);
      losses.push(lossWindow(run.rows));
      expect(lossWindow(run.rows), `kill ${k}: rows created ${lossWindow(run.rows)} ms before the kill are missing`).toBeLessThanOrEqual(FLUSH_MS + SLACK_MS);

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
      expect(lossWindow(logCsv.rows)).toBeLessThanOrEqual(FLUSH_MS + SLACK_MS);
      expect(lossWindow(samples.length)).toBeLessThanOrEqual(FLUSH_MS + SLACK_MS);

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
    console.log(`kill -9: the oldest lost row was created ${Math.min(...losses)}–${Math.max(...losses)} ms before the kill (flush interval ${FLUSH_MS} ms)`);
  }, 120_000);
});
