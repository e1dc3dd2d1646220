import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url));
const feeder = fileURLToPath(new URL('./fixtures/plotter-feeder.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean, timeout_ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** socat: a pseudo-terminal at `link` whose other end is the feeder (started once the logger opens the port). */
function startBoard(link: string, transcript: string, from: number, to: number, widenAt: number, fragment: boolean): ChildProcess {
  const cmd = `${process.execPath} ${feeder} ${transcript} ${from} ${to} ${widenAt} ${fragment ? 1 : 0}`;
  const p = spawn('socat', [`PTY,link=${link},raw,echo=0,wait-slave,pty-interval=0.05`, `EXEC:${cmd}`], { stdio: 'ignore' });
  children.push(p);
  return p;
}

function transcriptLines(path: string): { kind: string; text: string }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && l !== 'DONE')
    .map((l) => ({ kind: l[0], text: l.slice(2) }));
}

function ndjsonRecords(dir: string): Record<string, unknown>[] {
  const p = join(dir, 'log.ndjson');
  if (!existsSync(p)) return [];
  const text = readFileSync(p, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** The test's own reading of a valid feeder line: label:value pairs split on , and spaces. */
function expectedValues(line: string): Record<string, number> {
  const v: Record<string, number> = {};
  for (const pair of line.split(/[ ,]/)) {
    const [k, x] = pair.split(':');
    v[k] = Number(x);
  }
  return v;
}

describe('hilbench log on a socat pseudo-terminal', () => {
  it('records every valid Serial Plotter line once, counts the bad ones, and reattaches after a disconnect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-log-'));
    const link = join(dir, 'board');
    const transcript = join(dir, 'sent.txt');
    const out = join(dir, 'log');

    let socat = startBoard(link, transcript, 0, 300, 10_000, true);
    await until('the pseudo-terminal', () => existsSync(link), 5000);
    const logger = spawn(process.execPath, [bin, 'log', '--port', link, '--out', out, '--reconnect', '--flush-ms', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(logger);
    let stdout = '';
    let stderr = '';
    logger.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    logger.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => logger.once('exit', (code) => r(code)));

    // First board session: 300 lines with garbage, then a line cut by the unplug.
    await until('the first 300 lines', () => existsSync(transcript) && readFileSync(transcript, 'utf8').includes('DONE'), 30_000).catch(async (e) => {
      throw new Error(`${e.message}; logger stderr: ${stderr}`);
    });
    const firstValid = transcriptLines(transcript).filter((l) => l.kind === 'V').length;
    await until('the logger to record the first session', () => ndjsonRecords(out).filter((r) => r.type === 'sample').length === firstValid);

    // Unplug: socat goes away with its pseudo-terminal, then comes back at the same path.
    const gone = new Promise((r) => socat.once('exit', r));
    socat.kill('SIGTERM');
    await gone;
    await sleep(600);
    const mark = readFileSync(transcript, 'utf8').length;
    socat = startBoard(link, transcript, 300, 600, 450, false);
    await until('the second session', () => readFileSync(transcript, 'utf8').slice(mark).includes('DONE'), 30_000);
    const sent = transcriptLines(transcript);
    const valid = sent.filter((l) => l.kind === 'V');
    const bad = sent.filter((l) => l.kind === 'G' || l.kind === 'F');
    await until('every valid line on disk', () => ndjsonRecords(out).filter((r) => r.type === 'sample').length >= valid.length);
    await sleep(300); // anything extra (a duplicate) would show up now

    logger.kill('SIGINT');
    expect(await exited).toBe(1); // Ctrl-C ends a log as failed (tests/logging/ctrl-c.test.ts)
    expect(stderr).toMatch(/^hilbench: stopped by Ctrl-C: the log in .* is complete up to its last sample, with status failed$/m);

    const records = ndjsonRecords(out);
    const samples = records.filter((r) => r.type === 'sample') as { t_s: number; v: Record<string, number> }[];
    expect(samples).toHaveLength(valid.length);
    samples.forEach((s, i) => expect(s.v, `sample ${i}`).toEqual(expectedValues(valid[i].text)));
    for (let i = 1; i < samples.length; i++) expect(samples[i].t_s).toBeGreaterThanOrEqual(samples[i - 1].t_s);

    const badRecords = records.filter((r) => r.type === 'bad');
    expect(badRecords).toHaveLength(bad.length);
    expect(badRecords.filter((r) => r.reason === 'line cut by the disconnect')).toMatchObject([{ line: 'seq:99999,x_m:0.' }]);

    const meta = JSON.parse(readFileSync(join(out, 'log.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'hilbench-log', port: link, baud: 115200, status: 'failed', reason: 'stopped by Ctrl-C', samples: valid.length, badLines: bad.length });
    expect(meta.gaps).toHaveLength(1);
    const gap = meta.gaps[0];
    expect(gap.reopened_s - gap.closed_s).toBeGreaterThan(0.5);
    expect(gap.lastSample_s).toBeLessThanOrEqual(gap.closed_s);
    const firstAfter = samples[firstValid].t_s;
    expect(firstAfter).toBeGreaterThanOrEqual(gap.reopened_s);

    // The signal i_A appears at line 450: a second CSV segment; the rows of both add up.
    expect(meta.segments.map((s: { file: string }) => s.file)).toEqual(['log.csv', 'log.2.csv']);
    const csvRows = (f: string) =>
      readFileSync(join(out, f), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .slice(1);
    const rows1 = csvRows('log.csv');
    const rows2 = csvRows('log.2.csv');
    expect(rows1.length + rows2.length).toBe(valid.length);
    expect(readFileSync(join(out, 'log.2.csv'), 'utf8').split('\n')[1]).toBe('t_s,seq,x_m,u_V,i_A');
    const csv1 = readFileSync(join(out, 'log.csv'), 'utf8');
    expect(JSON.parse(csv1.split('\n')[0].slice(2))).toMatchObject({ format: 'hilbench-log', port: link, baud: 115200, segment: 1 });
    expect(csv1).toMatch(/\n# disconnected at t_s=[\d.]+: .*\n# gap from t_s=[\d.]+ to t_s=[\d.]+ \(port reopened after a disconnect\)\n/);
    // A line carrying only some signals leaves empty cells.
    expect(rows1.find((r) => r.split(',')[1] === '25')).toMatch(/^[\d.]+,25,,-3.125$/);
    expect(readdirSync(out).sort()).toEqual(['log.2.csv', 'log.csv', 'log.meta.json', 'log.ndjson']);
    expect(stdout).toMatch(new RegExp(`log: ${valid.length} samples, ${bad.length} bad lines, 1 reconnects`));
  }, 90_000);

  it('fails with a one-line error naming the port when there is no such device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-log-'));
    const p = spawn(process.execPath, [bin, 'log', '--port', join(dir, 'nothing'), '--out', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => p.once('exit', r));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/no such port .*nothing: .*hilbench ports/);
    // Nothing was recorded, so nothing is left that would make the corrected command refuse --out.
    expect(existsSync(join(dir, 'out', 'log.ndjson'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'log.meta.json'))).toBe(false);
  }, 30_000);
});
