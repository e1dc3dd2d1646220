import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { version } from '../../firmware-sim/version.ts';
import { UserError } from '../../errors/user-error.ts';
import type { Metrics } from '../objective.ts';
import type { BatchEvaluator } from '../pool.ts';
import type { TuningTask } from '../task.ts';
import { bundleTask, type TaskBundle } from './bundle.ts';
import { ALIVE_REFRESH_MS, ALIVE_TTL_MS, QUEUE_PREFIX, RUNS_KEY, aliveKey, connect, redactUrl, type RunInfo } from './connection.ts';
import { decodeMetrics, jobId, type EncodedMetrics, type EvaluationJob } from './job.ts';

interface Pending {
  readonly index: number;
  resolve: (m: Metrics) => void;
  reject: (e: Error) => void;
}

/** Queue runs of this process, stopped (pending jobs removed) by stopQueueRuns on Ctrl-C. */
const open = new Set<QueueEvaluator>();

export async function stopQueueRuns(): Promise<void> {
  await Promise.all([...open].map((q) => q.close()));
}

/** How often the live worker count is read, and how long without any event before job states are read directly. */
const WORKERS_POLL_MS = 1_000;
const SWEEP_AFTER_MS = 3_000;

/**
 * Evaluates batches on `hilbench worker` processes through a BullMQ queue of its own
 * (`tune-<random id>`), registered in Redis so that running workers pick it up. Each point is one
 * job `<run>-<index>`; a result is taken once per job id (the first completion), so a job retried
 * after its worker died is never counted twice, and results return in the batch's order.
 */
export class QueueEvaluator implements BatchEvaluator {
  readonly runId: string;
  private readonly bundle: { bundle: TaskBundle; hash: string };
  private started: Promise<void> | undefined;
  private redis: Redis | undefined;
  private queue: Queue | undefined;
  private events: QueueEvents | undefined;
  private eventsConnection: Redis | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextIndex = 0;
  private timers: NodeJS.Timeout[] = [];
  private lastEvent = Date.now();
  private closed: Promise<void> | undefined;
  /** Workers connected to this run's queue at the last count (undefined before the first). */
  liveWorkers: number | undefined;

  constructor(
    task: TuningTask,
    private readonly url: string,
    private readonly onWorkers?: (n: number) => void,
    label = 'tune',
  ) {
    this.bundle = bundleTask(task);
    this.runId = `${label}-${randomBytes(6).toString('hex')}`;
  }

  get workers(): number {
    return this.liveWorkers ?? 0;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      this.redis = await connect(this.url);
      const connection = this.redis;
      // Events are read from the start of this run's new stream, so none is missed between start-up and the first job.
      this.eventsConnection = connection.duplicate();
      this.events = new QueueEvents(this.runId, { connection: this.eventsConnection, prefix: QUEUE_PREFIX, lastEventId: '0-0' });
      this.queue = new Queue(this.runId, { connection, prefix: QUEUE_PREFIX, streams: { events: { maxLen: 100_000 } } });
      this.events.on('completed', ({ jobId: id, returnvalue }) => this.settle(id, (p) => p.resolve(decodeMetrics(returnvalue as unknown as EncodedMetrics))));
      this.events.on('failed', ({ jobId: id, failedReason }) => this.settle(id, (p) => p.reject(new UserError(`evaluation ${p.index} failed on a queue worker: ${failedReason}`))));
      await Promise.all([this.events.waitUntilReady(), this.queue.waitUntilReady()]);
      const info: RunInfo = { version, host: hostname(), pid: process.pid, started: new Date().toISOString() };
      await connection.multi().hset(RUNS_KEY, this.runId, JSON.stringify(info)).set(aliveKey(this.runId), '1', 'PX', ALIVE_TTL_MS).exec();
      this.timers.push(setInterval(() => void connection.set(aliveKey(this.runId), '1', 'PX', ALIVE_TTL_MS).catch(() => {}), ALIVE_REFRESH_MS));
      this.timers.push(setInterval(() => void this.poll(), WORKERS_POLL_MS));
      open.add(this);
      await this.poll();
    })();
    return this.started;
  }

  private settle(id: string, f: (p: Pending) => void): void {
    this.lastEvent = Date.now();
    const p = this.pending.get(id);
    if (!p) return; // not ours, or already settled: a retried job's second completion is ignored
    this.pending.delete(id);
    f(p);
  }

  /** Live worker count; and, when no event came for a while, the job states read directly (a safety net for a lost event). */
  private async poll(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    try {
      const n = await queue.getWorkersCount();
      if (n !== this.liveWorkers) {
        this.liveWorkers = n;
        this.onWorkers?.(n);
      }
      if (this.pending.size && Date.now() - this.lastEvent > SWEEP_AFTER_MS) {
        this.lastEvent = Date.now();
        for (const id of [...this.pending.keys()]) {
          const job = await queue.getJob(id);
          if (job?.finishedOn === undefined) continue;
          if (job.failedReason) this.settle(id, (p) => p.reject(new UserError(`evaluation ${p.index} failed on a queue worker: ${job.failedReason}`)));
          else if (job.returnvalue) this.settle(id, (p) => p.resolve(decodeMetrics(job.returnvalue as EncodedMetrics)));
        }
      }
    } catch {
      // the connection is retried by ioredis; the next poll tries again
    }
  }

  async evaluate(batch: readonly (readonly number[])[]): Promise<Metrics[]> {
    await this.start();
    const jobs = batch.map((values) => {
      const index = this.nextIndex++;
      const data: EvaluationJob = { version: this.bundle.bundle.version, taskHash: this.bundle.hash, task: this.bundle.bundle, values: [...values], index };
      // Completed jobs (with their copy of the task) are dropped beyond the last 1000, so a long run does not fill Redis.
      return { name: 'evaluate', data, opts: { jobId: jobId(this.runId, index), removeOnComplete: { count: 1000 } } };
    });
    const results = jobs.map((j) => new Promise<Metrics>((resolve, reject) => this.pending.set(j.opts.jobId, { index: j.data.index, resolve, reject })));
    try {
      await this.queue!.addBulk(jobs);
    } catch (e) {
      throw new UserError(`--queue ${redactUrl(this.url)}: cannot add jobs (${(e as Error).message})`);
    }
    return Promise.all(results);
  }

  /** Removes the run's queue with every job still pending or running, and its registry entry. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      open.delete(this);
      for (const t of this.timers) clearInterval(t);
      if (!this.started) return;
      await this.started.catch(() => {});
      const err = new UserError('the tuning run was stopped');
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      try {
        await this.redis?.multi().hdel(RUNS_KEY, this.runId).del(aliveKey(this.runId)).exec();
        await this.queue?.obliterate({ force: true });
      } finally {
        await Promise.allSettled([this.events?.close(), this.queue?.close()]);
        this.eventsConnection?.disconnect();
        this.redis?.disconnect();
      }
    })();
    return this.closed;
  }
}
