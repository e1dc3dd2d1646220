import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePoint, type TuningTask } from '../task.ts';
import { materializeBundle } from './bundle.ts';
import { QUEUE_PREFIX, RUNS_KEY, aliveKey, connect, lockDurationMs, redactUrl } from './connection.ts';
import { encodeMetrics, type EncodedMetrics, type EvaluationJob } from './job.ts';

export interface QueueWorkerOptions {
  readonly url: string;
  /** The version this worker reports and accepts jobs from (hilbench's own, unless a test says otherwise). */
  readonly version: string;
  readonly log: (line: string) => void;
}

/** How often the registry of runs is read for new and finished runs. */
const REGISTRY_POLL_MS = 500;

/**
 * `hilbench worker`: serves every tuning run registered in Redis, one evaluation at a time (run
 * one worker per core). Each run's task is written once into a private directory and evaluated by
 * today's evaluatePoint; a job from another hilbench version fails with the reason, without retry.
 * Returns a stop function: running jobs finish, the directory is removed.
 */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<{ name: string; stop: () => Promise<void> }> {
  const redis = await connect(o.url);
  const name = `${hostname()}:${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-worker-'));
  const tasks = new Map<string, TuningTask>();
  const workers = new Map<string, { worker: Worker; connection: Redis }>();
  const lock = lockDurationMs();
  let stopping = false;

  const evaluateJob = (job: Job<EvaluationJob>): EncodedMetrics => {
    const d = job.data;
    if (d.version !== o.version) {
      throw new UnrecoverableError(`hilbench worker ${name} is version ${o.version} and refuses a job from hilbench ${d.version}: start workers of the coordinator's version`);
    }
    let task = tasks.get(d.taskHash);
    if (!task) {
      task = materializeBundle(d.task, join(dir, d.taskHash.slice(0, 16)));
      tasks.set(d.taskHash, task);
    }
    try {
      return encodeMetrics(evaluatePoint(task, d.values));
    } catch (e) {
      // Name the coordinator's scenario file, not this worker's copy of it.
      throw new Error(String((e as Error).message ?? e).split(task.scenario).join(d.task.origin));
    }
  };

  const follow = async (): Promise<void> => {
    const runs = Object.keys(await redis.hgetall(RUNS_KEY));
    const alive = await Promise.all(runs.map((r) => redis.exists(aliveKey(r))));
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i];
      if (!alive[i]) {
        // The coordinator stopped without cleaning up (killed): remove its queue once.
        if (workers.has(run)) await closeRun(run);
        if ((await redis.hdel(RUNS_KEY, run)) === 1) await obliterate(redis, run);
        continue;
      }
      if (workers.has(run)) continue;
      const connection = redis.duplicate();
      const w = new Worker<EvaluationJob, EncodedMetrics>(run, async (job) => evaluateJob(job), {
        connection,
        prefix: QUEUE_PREFIX,
        name,
        concurrency: 1,
        lockDuration: lock,
        stalledInterval: lock,
        // A job whose worker died goes back to the queue; more than 3 such losses fail it.
        maxStalledCount: 3,
      });
      w.on('error', (e) => o.log(`queue ${run}: ${e.message}`));
      w.on('failed', (job, e) => o.log(`queue ${run}: job ${job?.id} failed: ${e.message}`));
      workers.set(run, { worker: w, connection });
      o.log(`serving ${run}`);
    }
    for (const run of [...workers.keys()]) {
      if (runs.includes(run)) continue;
      await closeRun(run);
      // Keys this worker's queue handle wrote after the coordinator had removed the queue.
      await obliterate(redis, run);
    }
  };

  const closeRun = async (run: string): Promise<void> => {
    const { worker, connection } = workers.get(run)!;
    workers.delete(run);
    await worker.close(true);
    await connection.quit().catch(() => {});
    o.log(`finished ${run}`);
  };

  let polling = Promise.resolve();
  const timer = setInterval(() => {
    if (stopping) return;
    polling = polling.then(follow).catch((e) => o.log(`registry: ${(e as Error).message}`));
  }, REGISTRY_POLL_MS);
  await follow();
  o.log(`hilbench worker ${name} (version ${o.version}) waiting for tuning runs on ${redactUrl(o.url)}`);

  return {
    name,
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await polling;
      await Promise.all([...workers.values()].map((w) => w.worker.close()));
      await Promise.all([...workers.values()].map((w) => w.connection.quit().catch(() => {})));
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function obliterate(redis: Redis, run: string): Promise<void> {
  const q = new Queue(run, { connection: redis, prefix: QUEUE_PREFIX });
  await q.obliterate({ force: true }).catch(() => {});
  await q.close();
}
