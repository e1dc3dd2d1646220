/**
 * Line noise towards the board (docs/protocol.md §2.5, §3): bursts of noise injected into the
 * emulated board's receive side at random ticks of `hilbench hil run maglev-fixed`, against the
 * generated firmware compiled by avr-gcc. The board answers every noise line with an ERR; an ERR
 * whose seq is not the outstanding request's (or that has none) must not count against it. While
 * every burst destroys fewer attempts of a tick than the retry budget allows (1 + --retries), the
 * run completes with the simulation's run.csv; a burst that destroys them all ends it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { startEmulator, type RunningEmulator } from '../../hil/emulator/index.ts';
import { cli, freshDir, generatedFirmware } from './helpers.ts';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

type Burst =
  /** Noise inserted into the first `attempts` copies of the tick's S line (one damaged line each). */
  | { kind: 'inside'; attempts: number }
  /** After the tick's S line: `bytes` random bytes, or three damaged copies of the line. */
  | { kind: 'after'; bytes: number }
  | { kind: 'copies' };

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/**
 * The noise source: the host's bytes are passed on line by line, and the lines of the ticks in
 * `bursts` get their noise. Noise bytes are uniform over 0…255, so a damaged line keeps its CRC
 * only by chance, which noise this long all but never reaches.
 */
function noisyLine(bursts: Map<number, Burst>, seed: number) {
  const rng = new Xoshiro128(seed);
  const int = (n: number) => Math.floor(rng.uniform() * n);
  const randomBytes = (n: number) => Array.from({ length: n }, () => String.fromCharCode(int(256))).join('');
  const attempts = new Map<number, number>();
  let pending = '';
  const stats = { damagedLines: 0, noiseBytes: 0 };
  const transform = (line: string): string => {
    const m = /^S (\d+) /.exec(line);
    if (!m) return line;
    const seq = Number(m[1]);
    const attempt = (attempts.get(seq) ?? 0) + 1;
    attempts.set(seq, attempt);
    const b = bursts.get(seq);
    if (!b) return line;
    if (b.kind === 'inside') {
      if (attempt > b.attempts) return line;
      // Odd attempts: noise before the seq (the board cannot say which request the ERR answers, the
      // host waits for its timeout); even ones: after it (ERR <code> <seq>, retransmitted at once).
      const at = attempt % 2 ? int(2) : 2 + m[1].length + 1 + int(line.length - m[1].length - 4);
      // Not ending in '\n': that would leave the rest of the line intact after noise put before it.
      const noise = randomBytes(8 + int(56)).replace(/\n$/, 'x');
      stats.damagedLines++;
      stats.noiseBytes += noise.length;
      return line.slice(0, at) + noise + line.slice(at);
    }
    if (attempt > 1) return line;
    if (b.kind === 'after') {
      stats.noiseBytes += b.bytes;
      return line + randomBytes(b.bytes);
    }
    // Three copies of this very line, each with one byte changed: the board reads their seq and
    // answers ERR 1 <seq> crc while the host already waits for the next tick.
    let copies = '';
    for (let i = 0; i < 3; i++) {
      const at = 2 + int(line.length - 3);
      copies += line.slice(0, at) + String.fromCharCode((line.charCodeAt(at) + 1 + int(200)) % 256 || 1) + line.slice(at + 1);
    }
    stats.noiseBytes += copies.length;
    return line + copies;
  };
  const lineNoise = (d: Uint8Array): Uint8Array => {
    pending += latin1(d);
    let out = '';
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      out += transform(pending.slice(0, nl + 1));
      pending = pending.slice(nl + 1);
    }
    return Buffer.from(out, 'latin1');
  };
  return { lineNoise, stats };
}

async function hilRunWithNoise(bursts: Map<number, Burst>, seed: number, args: string[]) {
  const hex = await generatedFirmware('maglev-fixed');
  const dir = freshDir('hilbench-noise-');
  const noise = noisyLine(bursts, seed);
  // As fast as possible: the board chews through a burst at emulation speed, not at real time.
  emu = await startEmulator({ board: 'uno', firmware: hex, device: join(dir, 'ttyEMU0'), lineNoise: noise.lineNoise, realtime: false });
  // The host's timeout is wall time, the board's work on a burst is emulated time: 4 s per attempt
  // lets a busy machine's emulator (a 3000-byte burst is 0.26 s of board time at 115200 baud) finish
  // within the three attempts of a tick. A burst that hides the request's seq costs one timeout
  // (an unattributable ERR never counts against the request), so the timeout sets the test's length.
  const hil = cli(['hil', 'run', 'maglev-fixed', '--port', emu.device, '--out', join(dir, 'hil'), '--retries', '2', '--timeout-ms', '4000', ...args]);
  const code = await hil.done;
  return { code, stderr: hil.stderr, dir, stats: noise.stats };
}

describe('line noise towards the board during hil run maglev-fixed', () => {
  it('bursts shorter than the retry budget at random ticks: the run completes with the simulation’s run.csv', async () => {
    const seed = 20261206;
    const rng = new Xoshiro128(seed);
    // Ten ticks at random, at least 40 apart (a burst may also cost the next tick one attempt).
    const ticks: number[] = [];
    while (ticks.length < 10) {
      const t = 20 + Math.floor(rng.uniform() * 1960);
      if (ticks.every((u) => Math.abs(u - t) >= 40)) ticks.push(t);
    }
    const kinds: Burst[] = [
      { kind: 'inside', attempts: 2 },
      { kind: 'after', bytes: 3000 },
      { kind: 'copies' },
      { kind: 'inside', attempts: 1 },
      { kind: 'after', bytes: 300 },
    ];
    const bursts = new Map(ticks.map((t, i) => [t, kinds[i % kinds.length]] as const));
    const dir = freshDir('hilbench-noise-sim-');
    const sim = cli(['run', 'maglev-fixed', '--out', join(dir, 'sim')]);
    const r = await hilRunWithNoise(bursts, seed, []);
    expect(await sim.done, sim.stderr).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(r.dir, 'hil', 'metrics.json'), 'utf8'));
    // The noise reached the board: it answered noise lines with ERRs, and ticks were retransmitted.
    expect(r.stats.damagedLines).toBe(2 * 2 + 2 * 1); // bursts 0, 5 (two attempts each), 3, 8 (one)
    expect(r.stats.noiseBytes).toBeGreaterThan(2 * 3000);
    expect(metrics.link_errFrames).toBeGreaterThan(25);
    expect(metrics.link_retries).toBeGreaterThanOrEqual(r.stats.damagedLines);
    const simCsv = readFileSync(join(dir, 'sim', 'run.csv'), 'utf8');
    const hilCsv = readFileSync(join(r.dir, 'hil', 'run.csv'), 'utf8');
    expect(simCsv.trim().split('\n')).toHaveLength(2001);
    expect(hilCsv).toBe(simCsv);
  }, 600_000);

  it('a burst that destroys every attempt of a tick ends the run with one line naming the tick', async () => {
    const r = await hilRunWithNoise(new Map([[60, { kind: 'inside', attempts: 3 }]]), 7, ['--duration', '0.1']);
    expect(r.code).toBe(1);
    const err = r.stderr.trim().split('\n');
    expect(err, r.stderr).toHaveLength(1);
    expect(err[0]).toMatch(/tick 60|no A 60 /);
    expect(r.stats.damagedLines).toBe(3);
  }, 300_000);
});
