/**
 * log.ndjson is the record of truth of a log; after kill -9 the CSV segments may hold fewer or more
 * samples than it. A log killed again and again at random moments, each time continued with
 * --resume (a LogRecorder with `resume`, as `log --resume` makes it), ends with every CSV segment
 * holding exactly the samples log.ndjson gives it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LogRecorder } from '../../hil/logging/log-recorder.ts';
import { disagreement, readLog } from './log-files.ts';

const child = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const KILLS = 10;

/** Starts the crash writer on `dir` (continuing its log when `resume`), kills it with SIGKILL at a random moment. */
async function killAtRandom(dir: string, seed: number, resume: boolean): Promise<void> {
  const p = spawn(process.execPath, ['--import', 'tsx', child, dir, '100', String(seed), resume ? '1' : '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    p.once('exit', (code) => reject(new Error(`crash writer exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, 100 + ((seed * 7919) % 700)));
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

const meta = { port: '/dev/null', baud: 115200, host: 'test', version: 'test' };

describe('kill -9, then --resume', () => {
  it(`after ${KILLS} kills at random moments, every CSV segment agrees with log.ndjson sample for sample`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-crash-resume-'));
    const logDir = join(dir, 'log');
    let onlyNdjson = 0;
    let onlyCsv = 0;
    for (let k = 0; k < KILLS; k++) {
      await killAtRandom(dir, 2000 + k * 53, k > 0);
      // What this kill left, before the next session's --resume reconciles it.
      const d = disagreement(logDir);
      onlyNdjson += d.onlyNdjson;
      onlyCsv += d.onlyCsv;
    }
    const rec = new LogRecorder({ dir: logDir, resume: true, meta });
    rec.close();

    const log = readLog(logDir);
    expect(log.segments).toHaveLength(KILLS);
    expect([...log.csv.keys()].sort()).toEqual(log.segments.map((s) => s.file).sort());
    for (const seg of log.segments) expect(log.csv.get(seg.file), seg.file).toEqual(seg.rows);
    const saved = JSON.parse(readFileSync(join(logDir, 'log.meta.json'), 'utf8'));
    expect(saved.samples).toBe(log.ndjsonSamples);
    expect(saved.sessions).toBe(KILLS + 1);
    expect(saved.segments.map((s: { rows: number }) => s.rows)).toEqual(log.segments.map((s) => s.rows.length));
    console.log(`kill -9 ×${KILLS}: before --resume, ${onlyNdjson} samples were only in log.ndjson and ${onlyCsv} only in a CSV; after it, none`);
  }, 300_000);
});
