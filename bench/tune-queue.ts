/**
 * Tuning through the job queue: evaluations per second of `hilbench worker` processes (1, 2 and 3,
 * on a throw-away redis-server on this machine) against the local worker_threads pool, on the same
 * maglev PID points as the pool bench. Each worker count has its own Redis database (workers serve
 * the runs of theirs only), so all evaluators stay alive and are timed in alternating bursts; the
 * rate of each is its total evaluations over its total time. The per-job overhead of the queue is
 * measured on near-empty evaluations (10 ms simulated): time per job through the queue with one
 * worker minus time per evaluation in this thread. Results are compared with the in-thread evaluator's.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Xoshiro128 } from '../firmware-sim/rng.ts';
import type { Metrics } from '../tuning/objective.ts';
import { toReal } from '../tuning/param-space.ts';
import { InProcessEvaluator, WorkerPool, type BatchEvaluator } from '../tuning/pool.ts';
import { QueueEvaluator } from '../tuning/queue/coordinator.ts';
import { prepareTuning } from '../tuning/run-tuning.ts';
import { startRedisServer, startWorkerProcess } from './redis-server.ts';

async function timed(ev: BatchEvaluator, points: number[][]): Promise<{ s: number; results: Metrics[] }> {
  const t0 = performance.now();
  const results = await ev.evaluate(points);
  return { s: (performance.now() - t0) / 1000, results };
}

export async function benchTuneQueue(): Promise<void> {
  const server = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-bench-queue-'));
  const procs: ChildProcess[] = [];
  const evaluators: BatchEvaluator[] = [];
  try {
    const counts = [1, 2, 3];
    for (const n of counts) for (let i = 0; i < n; i++) procs.push(startWorkerProcess(server.url(n), { cwd: mkdtempSync(join(dir, 'w-')) }));
    await Promise.all(procs.map((p) => (p as ChildProcess & { ready: Promise<void> }).ready));

    const prep = prepareTuning({ scenario: 'maglev', method: 'random', objective: 'itae', budget: 1, workers: 0, seed: 1 });
    const bursts = Number(process.env.HILBENCH_TUNE_QUEUE_BURSTS ?? 6);
    const perBurst = 24;
    const rng = new Xoshiro128(11);
    const points = Array.from({ length: perBurst * bursts }, () => prep.specs.map((p) => toReal(p, rng.uniform())));
    const local = availableParallelism();
    console.log(`queue: maglev PID evaluations through BullMQ on a local redis-server, ${bursts} alternating bursts of ${perBurst}; local pool of ${local} worker thread(s) as reference; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const inThread = new InProcessEvaluator(prep.task);
    const pool = new WorkerPool(prep.task, local);
    const queues = counts.map((n) => new QueueEvaluator(prep.task, server.url(n), undefined, 'bench'));
    evaluators.push(pool, ...queues);
    // Warm-up: every worker process and thread compiles the simulation once.
    await Promise.all([pool.evaluate(points.slice(0, 2 * local)), ...queues.map((q, i) => q.evaluate(points.slice(0, 2 * counts[i])))]);
    const total = { pool: 0, queue: counts.map(() => 0) };
    let identical = true;
    for (let b = 0; b < bursts; b++) {
      const burst = points.slice(b * perBurst, (b + 1) * perBurst);
      const ref = b % 3 === 0 ? (await timed(inThread, burst)).results : undefined;
      const p = await timed(pool, burst);
      total.pool += p.s;
      for (let i = 0; i < queues.length; i++) {
        const q = await timed(queues[i], burst);
        total.queue[i] += q.s;
        identical &&= isDeepStrictEqual(q.results, p.results);
      }
      if (ref) identical &&= isDeepStrictEqual(p.results, ref);
    }
    const n = perBurst * bursts;
    const poolRate = n / total.pool;
    console.log(`  local pool (${local} threads) ${poolRate.toFixed(1)}/s`);
    counts.forEach((c, i) => {
      const rate = n / total.queue[i];
      console.log(`  queue, ${c} worker process${c > 1 ? 'es' : ''}: ${rate.toFixed(1)}/s = ${(rate / poolRate).toFixed(2)}× the local pool`);
    });
    console.log(`  results identical (queue, local pool, in-thread): ${identical ? 'yes' : 'NO'}`);

    // Overhead per job: evaluations that simulate 10 ms, so the queue's own cost dominates.
    const tiny = prepareTuning({ scenario: 'maglev', baseSets: ['duration=0.01'], method: 'random', objective: 'samples', budget: 1, workers: 0, seed: 1 });
    const tinyPoints = Array.from({ length: 96 }, () => tiny.specs.map((p) => toReal(p, rng.uniform())));
    const tinyQueue = new QueueEvaluator(tiny.task, server.url(1), undefined, 'bench-tiny');
    evaluators.push(tinyQueue);
    const tinyLocal = new InProcessEvaluator(tiny.task);
    await tinyQueue.evaluate(tinyPoints.slice(0, 8));
    await tinyLocal.evaluate(tinyPoints.slice(0, 8));
    let tq = 0;
    let tl = 0;
    for (let r = 0; r < 3; r++) {
      tl += (await timed(tinyLocal, tinyPoints)).s;
      tq += (await timed(tinyQueue, tinyPoints)).s;
    }
    const per = (s: number) => (s / (3 * tinyPoints.length)) * 1000;
    // One job at a time (a batch of 1): the round trip a sequential search would pay per evaluation.
    let tr = 0;
    for (const pt of tinyPoints.slice(0, 24)) tr += (await timed(tinyQueue, [pt])).s;
    console.log(`  per-job overhead (10 ms simulated, 1 worker): ${(per(tq) - per(tl)).toFixed(2)} ms per job in batches of ${tinyPoints.length} (${per(tq).toFixed(2)} ms through the queue vs ${per(tl).toFixed(2)} ms in this thread); one job at a time ${((tr / 24) * 1000).toFixed(1)} ms round trip`);
  } finally {
    await Promise.all(evaluators.map((e) => e.close()));
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((d) => setTimeout(d, 500));
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
