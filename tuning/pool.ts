import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Metrics } from './objective.ts';
import { evaluatePoint, type TuningTask } from './task.ts';
import { QueueEvaluator } from './queue/coordinator.ts';

/** Evaluates batches of points; results come back in the batch's order whatever finished first. */
export interface BatchEvaluator {
  readonly workers: number;
  evaluate(batch: readonly (readonly number[])[]): Promise<Metrics[]>;
  close(): Promise<void>;
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Same thread, no workers: tests, and `--workers 0`. */
export class InProcessEvaluator implements BatchEvaluator {
  readonly workers = 0;
  constructor(private readonly task: TuningTask) {}
  async evaluate(batch: readonly (readonly number[])[]): Promise<Metrics[]> {
    return batch.map((v) => evaluatePoint(this.task, v));
  }
  async close(): Promise<void> {}
}

/** Jobs queued per worker (see dispatch). */
const PIPELINE = 3;

interface Pending {
  resolve: (m: Metrics) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of worker_threads, each running tuning/worker.ts through tsx (worker-entry.mjs registers
 * it). Jobs go to the least-loaded worker (so uneven simulation times balance out); each result
 * is stored under its job id, which is what keeps the outcome independent of the worker count.
 */
export class WorkerPool implements BatchEvaluator {
  private readonly pool: Worker[] = [];
  /** Jobs sent to each worker and not yet answered. */
  private readonly inFlight: number[] = [];
  private readonly queue: { id: number; values: readonly number[] }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(
    task: TuningTask,
    readonly workers: number,
  ) {
    const url = new URL('./worker-entry.mjs', import.meta.url);
    for (let i = 0; i < workers; i++) {
      const w = new Worker(url, { workerData: task });
      const index = i;
      w.on('message', (msg: { id: number; metrics?: Metrics; error?: string }) => this.onMessage(index, msg));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`tuning worker exited with code ${code}`));
      });
      this.pool.push(w);
      this.inFlight.push(0);
    }
  }

  private closing = false;

  evaluate(batch: readonly (readonly number[])[]): Promise<Metrics[]> {
    if (this.failure) return Promise.reject(this.failure);
    const promises = batch.map(
      (values) =>
        new Promise<Metrics>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          this.queue.push({ id, values: [...values] });
        }),
    );
    this.dispatch();
    return Promise.all(promises);
  }

  /**
   * Keeps up to PIPELINE jobs queued at each worker, least-loaded first: a worker starts its next
   * job without waiting for the main thread to answer its last result (on a busy machine that
   * wake-up costs milliseconds and had two workers running no faster than one).
   */
  private dispatch(): void {
    while (this.queue.length) {
      let best = -1;
      for (let i = 0; i < this.pool.length; i++) if (this.inFlight[i] < PIPELINE && (best < 0 || this.inFlight[i] < this.inFlight[best])) best = i;
      if (best < 0) return;
      this.inFlight[best]++;
      this.pool[best].postMessage(this.queue.shift()!);
    }
  }

  private onMessage(worker: number, msg: { id: number; metrics?: Metrics; error?: string }): void {
    this.inFlight[worker]--;
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (p) {
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.metrics!);
    }
    this.dispatch();
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.pool.map((w) => w.terminate()));
  }
}

/** Where evaluations run besides the local pool: `hilbench worker` processes behind a Redis URL. */
export interface QueueTarget {
  readonly url: string;
  /** Called when the number of workers connected to the run's queue changes. */
  readonly onWorkers?: (n: number) => void;
  /** First part of the run's queue name (`tune`, `robustness`). */
  readonly label?: string;
}

export function makeEvaluator(task: TuningTask, workers: number, queue?: QueueTarget): BatchEvaluator {
  if (queue) return new QueueEvaluator(task, queue.url, queue.onWorkers, queue.label);
  return workers <= 0 ? new InProcessEvaluator(task) : new WorkerPool(task, workers);
}
