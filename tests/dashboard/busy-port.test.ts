/**
 * A dashboard address that is already taken: every command that serves the page fails with one
 * line and exit 1 (no stack trace), and `log` leaves no half-made log behind in --out.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardServer } from '../../hil/dashboard/server.ts';
import { LiveSource } from '../../hil/live/live-source.ts';

const bin = fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url));
let holder: Server;
let port = 0;

beforeAll(async () => {
  // The test owns the port for the whole file.
  holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
  port = (holder.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => holder.close(() => r())));

function hilbench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A crash would leave the process up or dying with a trace; a hang fails on the test timeout.
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOneLine(r: { code: number | null; stderr: string }) {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toBe(`hilbench: dashboard: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
}

describe('dashboard on a busy port', () => {
  it('start() rejects with a user error and the process survives', async () => {
    const source = new LiveSource('run', 'test');
    const e = await DashboardServer.start({ live: source }, { port }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ userError: true, message: `dashboard: cannot listen on 127.0.0.1:${port} (EADDRINUSE)` });
  }, 10_000);

  it('dashboard --replay: one line, exit 1', async () => {
    const csv = join(mkdtempSync(join(tmpdir(), 'hilbench-busy-')), 'run.csv');
    writeFileSync(csv, 't_s,x_m\n0,1\n0.1,2\n');
    expectOneLine(await hilbench(['dashboard', '--replay', csv, '--listen', `127.0.0.1:${port}`]));
  }, 30_000);

  it('run --live: one line, exit 1', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-busy-')), 'run');
    expectOneLine(await hilbench(['run', 'maglev', '--duration', '0.1', '--out', out, '--live', `127.0.0.1:${port}`]));
  }, 30_000);

  it('log --dashboard: one line, exit 1, no log left in --out, so the same --out works next time', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-busy-')), 'log');
    const missing = join(tmpdir(), `hilbench-no-such-tty-${process.pid}`);
    expectOneLine(await hilbench(['log', '--port', missing, '--out', out, '--dashboard', `127.0.0.1:${port}`]));
    expect(existsSync(join(out, 'log.meta.json'))).toBe(false);
    expect(existsSync(join(out, 'log.ndjson'))).toBe(false);
    // Without the dashboard the same --out is accepted; this run fails on the missing port instead.
    const again = await hilbench(['log', '--port', missing, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no such port/);
    expect(again.stderr).not.toMatch(/already holds a log/);
  }, 30_000);
});
