/**
 * Tuning throughput: evaluations per second of the worker pool with 1 and 2 workers on the same
 * maglev PID points. Both pools stay alive and are timed in short alternating bursts
 * (1 worker, 2 workers, 1 worker, …), so load from other processes falls on both alike; the rate
 * of each is its total evaluations over its total time, and the median of the per-burst ratios is
 * printed too. The reference is the 1-worker pool measured in the same run. The results of both
 * pools are compared value for value with the in-thread evaluator's. Then the same for the job
 * queue (bench/tune-queue.ts).
 */
import { availableParallelism, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { Xoshiro128 } from '../firmware-sim/rng.ts';
import type { Metrics } from '../tuning/objective.ts';
import { InProcessEvaluator, WorkerPool, type BatchEvaluator } from '../tuning/pool.ts';
import { prepareTuning } from '../tuning/run-tuning.ts';
import { toReal } from '../tuning/param-space.ts';
import { benchTuneQueue } from './tune-queue.ts';

async function timed(ev: BatchEvaluator, points: number[][]): Promise<{ s: number; results: Metrics[] }> {
  const t0 = performance.now();
  const results = await ev.evaluate(points);
  return { s: (performance.now() - t0) / 1000, results };
}

export async function benchTune(): Promise<void> {
  const prep = prepareTuning({ scenario: 'maglev', method: 'random', objective: 'itae', budget: 1, workers: 0, seed: 1 });
  const rng = new Xoshiro128(7);
  const bursts = Number(process.env.HILBENCH_TUNE_BURSTS ?? 12);
  const perBurst = 48;
  const points = Array.from({ length: perBurst * bursts }, () => prep.specs.map((p) => toReal(p, rng.uniform())));
  console.log(`maglev PID evaluations (2 s simulated, 20 000 RK4 steps each): ${bursts} alternating bursts of ${perBurst} per pool; ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const inThread = new InProcessEvaluator(prep.task);
  const one = new WorkerPool(prep.task, 1);
  const two = new WorkerPool(prep.task, 2);
  try {
    // Warm-up: start-up and JIT of every worker.
    await Promise.all([one.evaluate(points.slice(0, 24)), two.evaluate(points.slice(0, 48)), inThread.evaluate(points.slice(0, 24))]);
    const total = { one: 0, two: 0, inThread: 0 };
    const ratios: number[] = [];
    let identical = true;
    for (let b = 0; b < bursts; b++) {
      const burst = points.slice(b * perBurst, (b + 1) * perBurst);
      const ref = b % 4 === 0 ? await timed(inThread, burst) : undefined;
      const r1 = await timed(one, burst);
      const r2 = await timed(two, burst);
      total.one += r1.s;
      total.two += r2.s;
      if (ref) {
        total.inThread += ref.s;
        identical &&= isDeepStrictEqual(r1.results, ref.results) && isDeepStrictEqual(r2.results, ref.results);
      } else identical &&= isDeepStrictEqual(r1.results, r2.results);
      ratios.push(r1.s / r2.s);
    }
    const n = perBurst * bursts;
    const rate1 = n / total.one;
    const rate2 = n / total.two;
    const rate0 = (perBurst * Math.ceil(bursts / 4)) / total.inThread;
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    const ratio = rate2 / rate1;
    console.log(`  in-thread ${rate0.toFixed(1)}/s, 1 worker ${rate1.toFixed(1)}/s, 2 workers ${rate2.toFixed(1)}/s`);
    console.log(`  2 workers / 1 worker = ${ratio.toFixed(2)}× overall, median of bursts ${median.toFixed(2)}× (range ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}); target ≥ 1.6×: ${ratio >= 1.6 ? 'met' : 'NOT met'}`);
    console.log(`  results identical across 0, 1 and 2 workers: ${identical ? 'yes' : 'NO'}`);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
  await benchTuneQueue();
}
