/**
 * A throw-away redis-server (Debian's) on a free loopback port, in its own directory, without
 * persistence; and `hilbench worker` processes on it. Used by `npm run bench -- tune` and the
 * queue tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const bin = fileURLToPath(new URL('../bin/hilbench.js', import.meta.url));

/** A port the kernel just gave out (listen on 0, then close): `redis-server --port 0` would disable TCP. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
    s.on('error', fail);
  });
}

export interface LocalRedis {
  readonly port: number;
  url(db?: number): string;
  /** A client for inspecting the database `db`. */
  client(db?: number): Promise<Redis>;
  stop(): void;
}

export async function startRedisServer(): Promise<LocalRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-redis-'));
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = (db = 0) => `redis://127.0.0.1:${port}/${db}`;
  const clients: Redis[] = [];
  const client = async (db = 0) => {
    const c = new Redis(url(db), { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    c.on('error', () => {}); // refused until redis-server listens; ioredis retries
    clients.push(c);
    await c.ping();
    return c;
  };
  await client(0);
  return {
    port,
    url,
    client,
    stop: () => {
      for (const c of clients) c.disconnect();
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `hilbench worker --queue url` in an empty directory of its own; `ready` once it waits for runs. */
export function startWorkerProcess(url: string, options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess & { ready: Promise<void> } {
  const w = spawn(process.execPath, [bin, 'worker', '--queue', url], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const ready = new Promise<void>((done, fail) => {
    w.stderr!.on('data', (b: Buffer) => {
      log += String(b);
      if (log.includes('waiting for tuning runs')) done();
    });
    w.on('exit', (code) => fail(new Error(`hilbench worker exited (${code}) before it was ready: ${log.trim()}`)));
  });
  return Object.assign(w, { ready });
}
