import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/hilbench.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function liveRun(args: string[]) {
  const proc = spawn(process.execPath, [bin, 'run', 'maglev', '--live', '127.0.0.1:0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  const t0 = Date.now();
  let port: string | undefined;
  while (!(port = /dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1])) {
    if (Date.now() - t0 > 60_000) throw new Error(`no dashboard address: ${out}`);
    await sleep(50);
  }
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  await new Promise((r) => ws.once('open', r));
  return { proc, ws, messages, exited, out: () => out };
}

async function waitFor<T>(f: () => T | undefined, timeout_ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeout_ms) throw new Error('timed out');
    await sleep(50);
  }
}

function column(csv: string, name: string): number[] {
  const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const i = header.split(',').indexOf(name);
  return rows.map((r) => Number(r.split(',')[i]));
}

describe('run --live control over the WebSocket', () => {
  it('without --token, stop and setpoint messages are refused and the run completes untouched', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-ctl-')), 'run');
    const r = await liveRun(['--duration', '3', '--out', out]);
    r.ws.send(JSON.stringify({ type: 'control', action: 'setpoint', name: 'x_ref_m', value: 0.0085 }));
    r.ws.send(JSON.stringify({ type: 'control', action: 'stop', token: 'anything' }));
    const results = await waitFor(() => {
      const m = r.messages.filter((x) => x.type === 'control-result');
      return m.length === 2 ? m : undefined;
    });
    expect(results.every((m) => m.ok === false && m.refused === true)).toBe(true);
    await waitFor(() => (/dashboard: run completed/.test(r.out()) ? true : undefined));
    r.proc.kill('SIGINT');
    expect(await r.exited).toBe(0);
    const ref = column(join(out, 'run.csv'), 'x_ref_m');
    expect(ref).toHaveLength(3000);
    expect(new Set(ref)).toEqual(new Set([0.008]));
  }, 90_000);

  it('with --token, a setpoint change reaches the controller and run.csv, and stop ends the run early', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-ctl-')), 'run');
    const r = await liveRun(['--duration', '30', '--token', 'tok', '--out', out]);
    await waitFor(() => r.messages.find((m) => m.type === 'data'));
    r.ws.send(JSON.stringify({ type: 'control', token: 'tok', action: 'setpoint', name: 'x_ref_m', value: 0.0085 }));
    await waitFor(() => r.messages.find((m) => m.type === 'control-result' && m.ok === true));
    await sleep(1500); // let the ball settle on the new reference
    r.ws.send(JSON.stringify({ type: 'control', token: 'tok', action: 'stop' }));
    await waitFor(() => (/dashboard: run failed/.test(r.out()) ? true : undefined));
    r.proc.kill('SIGINT');
    expect(await r.exited).toBe(1);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.error).toMatch(/^stopped from the dashboard; run stopped at t = [\d.]+ s, \d+ samples kept/);
    const ref = column(join(out, 'run.csv'), 'x_ref_m');
    const x = column(join(out, 'run.csv'), 'x_m');
    expect(ref.length).toBeLessThan(30_000);
    expect(ref[0]).toBe(0.008);
    expect(ref.at(-1)).toBe(0.0085);
    // The loop closed on the new reference: the ball moved to within 0.1 mm of 8.5 mm.
    expect(Math.abs(x.at(-1)! - 0.0085)).toBeLessThan(1e-4);
  }, 90_000);
});
