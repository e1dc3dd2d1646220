import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { repoRoot } from '../helpers/cli.ts';

// Issue 12 item 1: nothing a page (or anything else on the loopback) sends over /ws may end a run.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 1e4 messages of every kind: null, random JSON values, control look-alikes, random bytes, oversized frames. */
function* messages(rng: Xoshiro128, n: number): Generator<{ data: string | Buffer; binary: boolean }> {
  const int = (k: number) => Math.floor(rng.uniform() * k);
  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 5 : 8)) {
      case 0: return null;
      case 1: return rng.uniform() < 0.5;
      case 2: return [0, -1, 1e308, -1e-320, rng.gaussian() * 1e6][int(5)];
      case 3: return ['', 'control', 'stop', 'setpoint', '__proto__', 'x_ref_m', '\u0000\uffff'][int(7)];
      case 4: return int(3) === 0 ? [] : {};
      case 5: return Array.from({ length: int(4) }, () => value(depth + 1));
      default: {
        const keys = ['type', 'action', 'name', 'value', 'token', '__proto__', 'constructor'];
        return Object.fromEntries(Array.from({ length: int(5) }, () => [keys[int(keys.length)], value(depth + 1)]));
      }
    }
  };
  for (let i = 0; i < n; i++) {
    const kind = int(50);
    if (i < 3) yield { data: ['null', '0', '"x"'][i], binary: false };
    else if (kind < 25) yield { data: JSON.stringify(value(0)) ?? 'null', binary: false };
    else if (kind < 35) yield { data: JSON.stringify({ type: 'control', token: String(rng.uniform()), action: value(2), name: value(2), value: value(2) }), binary: false };
    else if (kind < 49) yield { data: Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))), binary: kind < 48 }; // text frames of random bytes are mostly invalid UTF-8: the server closes that socket
    else yield { data: 'x'.repeat(5000 + int(20000)), binary: false }; // beyond the 4 KiB limit: the server closes that socket
  }
}

function open(url: string, received: { type: string }[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('message', (d) => received.push(JSON.parse(d.toString())));
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

describe('dashboard WebSocket fuzz while a live run records', () => {
  it('10 000 random messages (null, JSON, bytes, oversized frames) leave the run complete: exit 0, run.csv, metrics.json', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-wsfuzz-')), 'run');
    const proc = spawn(process.execPath, [join(repoRoot, 'bin/hilbench.js'), 'run', 'maglev', '--duration', '20', '--live', '127.0.0.1:0', '--out', out], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    try {
      for (let t0 = Date.now(); !/dashboard: http/.test(log); await sleep(50)) if (Date.now() - t0 > 60_000) throw new Error(`no dashboard address: ${log}`);
      const url = /dashboard: http:\/\/([\d.:]+)\//.exec(log)![1];
      let ws = await open(`ws://${url}/ws`);
      let sent = 0;
      let reopened = 0;
      for (const m of messages(new Xoshiro128(12), 10_000)) {
        if (ws.readyState !== WebSocket.OPEN) {
          ws = await open(`ws://${url}/ws`); // the server closes sockets that send oversized or invalid frames
          reopened++;
        }
        ws.send(m.data, { binary: m.binary });
        sent++;
        if (sent % 200 === 0) await sleep(5);
      }
      // All of it arrived while the run was still recording.
      expect(log).not.toMatch(/still serving/);
      expect(sent).toBe(10_000);
      expect(reopened).toBeGreaterThan(0);
      // The run is still streaming to a fresh page.
      const received: { type: string }[] = [];
      const page = await open(`ws://${url}/ws`, received);
      for (let t0 = Date.now(); !received.some((m) => m.type === 'data'); await sleep(20)) if (Date.now() - t0 > 10_000) throw new Error('no data after the fuzz');
      expect(received[0].type).toBe('hello');
      page.close();
      ws.terminate();
      for (let t0 = Date.now(); !/still serving/.test(log); await sleep(100)) if (Date.now() - t0 > 90_000) throw new Error(`the run did not finish: ${log}`);
      proc.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    expect(log).toMatch(/maglev: completed, 20 s simulated, 20000 samples/);
    expect(existsSync(join(out, 'metrics.json'))).toBe(true);
    expect(readFileSync(join(out, 'run.csv'), 'utf8').trimEnd().split('\n').length).toBe(20001);
  }, 180_000);
});
