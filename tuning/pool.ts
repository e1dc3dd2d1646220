import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Metrics } from './objective.ts';
import { evaluatePoint, type TuningTask } from './task.ts';

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

interface Pending {
  resolve: (m: Metrics) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of worker_threads, each running tuning/worker.ts through tsx (worker-entry.mjs registers it). Jobs are handed out one
 * at a time to whichever worker is idle (so uneven simulation times balance out); each result is
 * stored under its job id, which is what keeps the outcome independent of the worker count.
 */
export class WorkerPool implements BatchEvaluator {
  private readonly pool: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; values: readonly number[] }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(
    task: TuningTask,
    readonly workers: number,
  ) {
    const url = new URL('./worker-entry.mjs', import.meta.url);
    for (let i = 0; i < workers; i++) {
      const w = new Worker(url, { workerData: task });
      w.on('message', (msg: { id: number; metrics?: Metrics; error?: string }) => this.onMessage(w, msg));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`tuning worker exited with code ${code}`));
      });
      this.pool.push(w);
      this.idle.push(w);
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

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job.id);
      w.postMessage(job);
    }
  }

  private onMessage(w: Worker, msg: { id: number; metrics?: Metrics; error?: string }): void {
    this.busy.delete(w);
    this.idle.push(w);
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

export function makeEvaluator(task: TuningTask, workers: number): BatchEvaluator {
  return workers <= 0 ? new InProcessEvaluator(task) : new WorkerPool(task, workers);
}
