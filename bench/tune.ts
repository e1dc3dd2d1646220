/**
 * Tuning throughput: evaluations per second of the worker pool with 1 and 2 workers on the same
 * 400 maglev PID points, rounds interleaved (1, 2, 1, 2, …) and the best round of each kept, so a
 * burst of load from other processes does not decide the ratio. The reference is the 1-worker
 * pool measured in the same run; the in-thread evaluator is printed for scale. The results of the
 * two pools are compared value for value.
 */
import { availableParallelism, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { Xoshiro128 } from '../firmware-sim/rng.ts';
import type { Metrics } from '../tuning/objective.ts';
import { InProcessEvaluator, WorkerPool, type BatchEvaluator } from '../tuning/pool.ts';
import { prepareTuning } from '../tuning/run-tuning.ts';
import { toReal } from '../tuning/param-space.ts';

async function measure(make: () => BatchEvaluator, points: number[][], warm: number): Promise<{ rate: number; results: Metrics[] }> {
  const ev = make();
  try {
    await ev.evaluate(points.slice(0, warm));
    const t0 = performance.now();
    const results = await ev.evaluate(points);
    return { rate: points.length / ((performance.now() - t0) / 1000), results };
  } finally {
    await ev.close();
  }
}

export async function benchTune(): Promise<void> {
  const prep = prepareTuning({ scenario: 'maglev', method: 'random', objective: 'itae', budget: 1, workers: 0, seed: 1 });
  const rng = new Xoshiro128(7);
  const points = Array.from({ length: 400 }, () => prep.specs.map((p) => toReal(p, rng.uniform())));
  const rounds = Number(process.env.HILBENCH_TUNE_ROUNDS ?? 3);
  console.log(`maglev PID evaluations (2 s simulated, 20 000 RK4 steps each), ${points.length} per round, ${rounds} rounds; ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const best: Record<string, number> = {};
  let ref: Metrics[] | undefined;
  let identical = true;
  const inThread = await measure(() => new InProcessEvaluator(prep.task), points, 20);
  best['in-thread'] = inThread.rate;
  ref = inThread.results;
  for (let r = 0; r < rounds; r++) {
    for (const n of [1, 2]) {
      const { rate, results } = await measure(() => new WorkerPool(prep.task, n), points, 20 * n);
      best[`${n}`] = Math.max(best[`${n}`] ?? 0, rate);
      identical &&= isDeepStrictEqual(results, ref);
      console.log(`  round ${r + 1}: ${n} worker${n > 1 ? 's' : ' '}  ${rate.toFixed(1)} evaluations/s`);
    }
  }
  const ratio = best['2'] / best['1'];
  console.log(`  best: in-thread ${best['in-thread'].toFixed(1)}/s, 1 worker ${best['1'].toFixed(1)}/s, 2 workers ${best['2'].toFixed(1)}/s`);
  console.log(`  2 workers / 1 worker = ${ratio.toFixed(2)}× (target ≥ 1.6×: ${ratio >= 1.6 ? 'met' : 'NOT met'}); results identical to the in-thread evaluator: ${identical ? 'yes' : 'NO'}`);
}
