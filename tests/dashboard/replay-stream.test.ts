import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadReplay } from '../../hil/dashboard/replay.ts';
import { DashboardServer } from '../../hil/dashboard/server.ts';
import { hilbench } from '../helpers/cli.ts';

// Issue 12 item 5: replays stream under the same per-client buffer cap as live runs.
const servers: DashboardServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A run.csv of `rows` rows × 10 signals, about 1.6 MB per 10 000 rows. */
function bigCsv(rows: number): string {
  const lines = ['t_s,' + Array.from({ length: 10 }, (_, k) => `s${k}_V`).join(',')];
  for (let i = 0; i < rows; i++) lines.push([i * 1e-3, ...Array.from({ length: 10 }, (_, k) => Math.sin(i * 1e-3 * (k + 1)) + 1e-7 * i)].join(','));
  const p = join(mkdtempSync(join(tmpdir(), 'hilbench-replay-big-')), 'run.csv');
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

function connect(port: number, onMessage?: (m: { type: string; t?: number[]; done?: boolean }) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    if (onMessage) ws.on('message', (d) => onMessage(JSON.parse(d.toString())));
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

describe('replay streaming', () => {
  it('20 pages that never read cost at most the per-client cap each; a reading page gets every row in order', async () => {
    const data = loadReplay(bigCsv(200_000)); // ~32 MB of CSV
    const rows = data.data[0].length;
    const cap = 256 * 1024;
    const server = await DashboardServer.start({ replay: data }, { port: 0, maxBuffered_bytes: cap });
    servers.push(server);
    const stalled: WebSocket[] = [];
    for (let k = 0; k < 20; k++) {
      const ws = await connect(server.port);
      (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never reads again
      stalled.push(ws);
    }
    const t: number[] = [];
    let done = false;
    const reader = await connect(server.port, (m) => {
      if (m.type === 'replay-data') {
        t.push(...m.t!);
        done ||= m.done === true;
      }
    });
    let worst = 0;
    for (let t0 = Date.now(); !done; await sleep(20)) {
      worst = Math.max(worst, server.queuedBytes);
      if (Date.now() - t0 > 60_000) throw new Error(`replay incomplete: ${t.length} of ${rows}`);
    }
    expect(t.length).toBe(rows);
    expect(t.every((x, i) => x === data.data[0][i])).toBe(true);
    // What this process holds for the 21 pages: a chunk each at most, never the recording.
    expect(worst).toBeLessThanOrEqual(21 * cap);
    // The stalled pages were sent only what the sockets took before they filled, not the whole run.
    expect(server.stats.replayRowsSent).toBeLessThan(rows * 21);
    reader.close();
    for (const ws of stalled) ws.terminate();
  }, 120_000);
});

describe('dashboard --replay refuses what is not a recording', () => {
  it('/dev/zero and a directory: one line, exit 1, no hang', () => {
    for (const file of ['/dev/zero', tmpdir()]) {
      const r = hilbench(['dashboard', '--replay', file, '--listen', '127.0.0.1:0'], { timeout: 30_000 });
      expect(r.code, file).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${file}: not a regular file`);
    }
  });

  it('a binary or secret file: the error names the file and line, never its content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-replay-bad-'));
    const secret = join(dir, 'id_key');
    writeFileSync(secret, 'PRIVATE-KEY-abcdef0123456789,more\n1,2\n');
    expect(() => loadReplay(secret)).toThrow(/id_key:1: expected a header starting with t_s, found text that is not a CSV header$/);
    const cell = join(dir, 'cell.csv');
    writeFileSync(cell, 't_s,x\n0,s3cr3t-value\n');
    try {
      loadReplay(cell);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(`${cell}:2: column x: not a number`);
    }
  });
});
