/**
 * `tune --queue` against a real redis-server on a free loopback port and real `hilbench worker`
 * processes (each in its own empty working directory: no shared files); the worker of another
 * version runs in the test's process. Workers use a 1.5 s lock
 * (HILBENCH_QUEUE_LOCK_MS, docs/tuning.md) so a killed worker's job is retried within seconds.
 */
import { Queue, QueueEvents } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, startRedisServer, startWorkerProcess, type LocalRedis } from '../../bench/redis-server.ts';
import { main } from '../../cli/main.ts';
import { startQueueWorker } from '../../tuning/queue/queue-worker.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/hilbench.js');
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

const tmp = mkdtempSync(join(tmpdir(), 'hilbench-queue-'));
/** The coordinator's scenario, given by a relative path from its own directory. */
const coordinatorDir = join(tmp, 'coordinator');
const searchArgs = ['tune', 'plant.json', '--method', 'cmaes', '--budget', '21', '--seed', '2', '--set', 'duration=5', '--tolerance', 'K=10%', '--samples', '3', '--no-progress'];
const outputs = ['evaluations.csv', 'tuned.json', 'robustness.json'];

let server: LocalRedis;
let redis: Redis;
const workers: ChildProcess[] = [];

const url = (db = 0) => server.url(db);

function startWorker(db: number): ChildProcess & { ready: Promise<void> } {
  const w = startWorkerProcess(url(db), { cwd: mkdtempSync(join(tmp, 'worker-')), env: { HILBENCH_QUEUE_LOCK_MS: '1500' } });
  workers.push(w);
  return w;
}

/** `hilbench tune` in this process (main()), stdout and stderr captured. */
async function tuneHere(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  const cwd = process.cwd();
  process.chdir(coordinatorDir);
  try {
    return { code: await main(['node', 'hilbench', ...args]), out, err };
  } finally {
    process.chdir(cwd);
    o.mockRestore();
    e.mockRestore();
  }
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** Run queues present in a database (registry entries). */
async function runsIn(db: Redis): Promise<string[]> {
  return Object.keys(await db.hgetall('hilbench:runs'));
}

let reference = '';
/** A coordinator process for the Ctrl-C test, started early (no worker serves database 2, so its jobs stay pending). */
let interrupted: ChildProcess;
let interruptedExit: Promise<number | null>;

beforeAll(async () => {
  mkdirSync(coordinatorDir);
  copyFileSync(fileURLToPath(new URL('./fixtures/fopdt.json', import.meta.url)), join(coordinatorDir, 'plant.json'));
  server = await startRedisServer();
  redis = await server.client(0);
  const started = [startWorker(0), startWorker(0), startWorker(0)];
  interrupted = spawn(process.execPath, [bin, ...searchArgs, '--queue', url(2), '--out', join(tmp, 'interrupted')], { cwd: coordinatorDir, stdio: 'ignore' });
  interruptedExit = new Promise((done) => interrupted.on('exit', (code) => done(code)));
  reference = join(tmp, 'reference');
  const local = await tuneHere([...searchArgs, '--workers', '0', '--out', reference]);
  expect(local.code).toBe(0);
  await Promise.all(started.map((w) => w.ready));
}, 120_000);

afterAll(async () => {
  for (const w of [...workers, interrupted]) if (w && w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('tune --queue with three hilbench worker processes', () => {
  it('writes evaluations.csv, tuned.json and robustness.json byte-identical to --workers 0, and leaves no queue behind', async () => {
    const out = join(tmp, 'queued');
    const r = await tuneHere([...searchArgs, '--queue', url(0), '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/on the queue redis:\/\/127\.0\.0\.1:\d+\/0/);
    for (const f of outputs) expect(read(out, f), f).toBe(read(reference, f));
    expect(read(out, 'evaluations.csv').trim().split('\n')).toHaveLength(22);
    expect(await runsIn(redis)).toEqual([]);
  }, 60_000);

  it('a worker killed with SIGKILL in the middle of a job: the job is retried elsewhere (stalled), the files are the same', async () => {
    const [victim, ...others] = workers.slice(0, 3);
    const victimName = `${(await import('node:os')).hostname()}:${victim.pid}`;
    const out = join(tmp, 'killed');
    // The other two workers are frozen until the victim holds a job: it is sure to get one, however
    // the machine's load shares the work out.
    for (const w of others) w.kill('SIGSTOP');
    let tuning: ReturnType<typeof tuneHere> | undefined;
    let events: QueueEvents | undefined;
    let queue: Queue | undefined;
    const stalled: string[] = [];
    let killedJob: string | undefined;
    try {
      tuning = tuneHere([...searchArgs, '--queue', url(0), '--out', out]);
      let run: string | undefined;
      while (!run) {
        run = (await runsIn(redis)).find((q) => q.startsWith('tune-'));
        if (!run) await new Promise((d) => setTimeout(d, 20));
      }
      events = new QueueEvents(run, { connection: redis.duplicate(), prefix: 'hilbench', lastEventId: '0-0' });
      queue = new Queue(run, { connection: redis.duplicate(), prefix: 'hilbench' });
      events.on('stalled', ({ jobId }) => stalled.push(jobId));
      // Freeze the victim while it holds a job that has not finished, and kill it there.
      while (!killedJob) {
        const held = (await queue.getActive()).find((j) => j.processedBy === victimName);
        if (held?.id) {
          victim.kill('SIGSTOP');
          if ((await queue.getJob(held.id))?.finishedOn === undefined) {
            killedJob = held.id;
            victim.kill('SIGKILL');
            break;
          }
          victim.kill('SIGCONT');
        }
        await new Promise((d) => setTimeout(d, 10));
      }
    } finally {
      for (const w of others) w.kill('SIGCONT');
    }
    const r = await tuning!;
    await events?.close();
    await queue?.close();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(stalled).toContain(killedJob);
    for (const f of outputs) expect(read(out, f), f).toBe(read(reference, f));
  }, 180_000);

  it('a coordinator restarted on a partly written evaluations.csv resumes it through the queue to the same file', async () => {
    const out = join(tmp, 'resumed');
    mkdirSync(out);
    const lines = read(reference, 'evaluations.csv').split('\n');
    writeFileSync(join(out, 'evaluations.csv'), lines.slice(0, 1 + 9).join('\n') + '\n' + lines[10].slice(0, 12)); // 9 rows and a torn one
    const r = await tuneHere([...searchArgs, '--queue', url(0), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/21 evaluations \(9 resumed\)/);
    for (const f of outputs) expect(read(out, f), f).toBe(read(reference, f));
  }, 60_000);

  it('a worker of another version refuses the job, and the coordinator stops with its reason', async () => {
    // This worker runs in the test's process (the same code as `hilbench worker`), reporting another version.
    const other = await startQueueWorker({ url: url(1), version: '0.0.0-other', log: () => {} });
    try {
      const r = await tuneHere([...searchArgs, '--queue', url(1), '--out', join(tmp, 'refused')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`evaluation 0 failed on a queue worker: hilbench worker \\S+ is version 0\\.0\\.0-other and refuses a job from hilbench ${packageVersion.replace(/\./g, '\\.')}`));
      expect(r.err.trim().split('\n')).toHaveLength(1);
    } finally {
      await other.stop();
    }
  }, 60_000);

  it('a run whose coordinator died (no alive key) is removed by the workers, pending jobs and all', async () => {
    const run = 'tune-0123456789ab';
    const queue = new Queue(run, { connection: redis.duplicate(), prefix: 'hilbench' });
    await queue.add('evaluate', { note: 'never evaluated' }, { jobId: `${run}-0` });
    await queue.close();
    expect(await redis.keys(`hilbench:${run}:*`)).not.toEqual([]);
    await redis.hset('hilbench:runs', run, JSON.stringify({ version: packageVersion, host: 'gone', pid: 1, started: new Date().toISOString() }));
    while ((await runsIn(redis)).includes(run) || (await redis.keys(`hilbench:${run}:*`)).length > 0) await new Promise((d) => setTimeout(d, 100));
    expect(await redis.keys(`hilbench:${run}:*`)).toEqual([]);
  }, 60_000);

  it('an unreachable Redis is a one-line error naming the URL, without its password', async () => {
    const closed = await freePort();
    const r = await tuneHere([...searchArgs, '--queue', `redis://:secret@127.0.0.1:${closed}/0`, '--out', join(tmp, 'unreachable')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`hilbench: --queue redis://:***@127.0.0.1:${closed}/0: cannot connect (connect ECONNREFUSED 127.0.0.1:${closed})\n`);
  }, 60_000);

  it('Ctrl-C on the coordinator removes its pending jobs and its queue', async () => {
    const db2 = await server.client(2);
    let waiting = 0;
    let run: string | undefined;
    while (waiting === 0) {
      await new Promise((d) => setTimeout(d, 100));
      run = (await runsIn(db2))[0];
      if (run) waiting = await db2.llen(`hilbench:${run}:wait`);
    }
    // The whole first generation is queued at once: as many jobs as batch 0 has rows in the reference.
    const firstBatch = read(reference, 'evaluations.csv').trim().split('\n').slice(1).filter((l) => l.split(',')[1] === '0').length;
    expect(waiting).toBe(firstBatch);
    interrupted.kill('SIGINT');
    expect(await interruptedExit).toBe(130);
    expect(await runsIn(db2)).toEqual([]);
    expect(await db2.keys(`hilbench:${run}:*`)).toEqual([]);
  }, 90_000);
});
