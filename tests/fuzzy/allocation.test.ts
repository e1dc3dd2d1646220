import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { mamdaniModel } from '../../bench/fuzzy.ts';
import { compile, readModelFile, type Engine } from '../../controllers/fuzzy/index.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { randomEngine } from './random-model.ts';
import { randomMatlabEngine } from './random-matlab-model.ts';

/**
 * The compiled evaluator must not allocate per call (docs/fuzzy.md). Measured without timing and
 * without counting collections: the V8 heap's used bytes before and after a chunk of 10 000
 * evaluations. One boxed double per call (12 bytes) grows a chunk by ≥ 120 kB, and a chunk in which
 * the heap shrank (a collection ran) counts as allocating too; the median over 15 chunks ignores the
 * odd chunk in which the JIT installed code or a background sweep finished. Unoptimised code
 * allocates too, so rounds are repeated (up to a cap) until the evaluator is optimised: on a loaded
 * machine this only takes longer, it cannot make an allocating evaluator pass.
 */
const CHUNK = 10_000;
const CHUNKS = 15;
const MAX_ROUNDS = 10;
/**
 * Rounds are paced on V8's compiler, not on the wall clock: between two rounds the test waits for
 * the background compiles to finish and installs them (%FinalizeOptimization, a V8 test intrinsic).
 * On a busy machine the compiler thread gets little CPU, and the main thread would otherwise measure
 * the interpreter it is still running in.
 */
setFlagsFromString('--allow-natives-syntax');
/**
 * No on-stack replacement in this process. V8 can deoptimise an output function (its loop over the
 * universe) while that function's OSR compile is still in flight, and then never optimises it again:
 * the evaluator keeps boxing doubles (≈ 190 B an evaluation for random Mamdani seed 1). The slower
 * the compiler thread, the likelier the race, hence failures on a busy machine only. The evaluator is
 * called once per control tick, so the code that matters is the one entered by calls.
 */
setFlagsFromString('--no-use-osr');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8 intrinsics parse only in source compiled after the flag
const finalizeOptimization = new Function('%FinalizeOptimization()') as () => void;
/**
 * Fresh compilations tried. Rarely (seen under heavy CPU load) V8 deoptimises an output function while
 * its on-stack-replacement compile is in flight and then leaves it unoptimised for good; a new
 * compilation starts its tiering afresh. An evaluator that allocates by construction fails every try.
 */
const ATTEMPTS = 3;
/** Bytes per evaluation below which a chunk counts as allocation-free (a heap number is 12). */
const LIMIT_B_PER_EVAL = 1;

function steadyGrowthPerEval(engine: Engine, seed: number): number {
  let best = Infinity;
  for (let attempt = 0; attempt < ATTEMPTS && !(best < LIMIT_B_PER_EVAL); attempt++) best = Math.min(best, medianGrowthPerEval(engine, seed));
  return best;
}

function medianGrowthPerEval(engine: Engine, seed: number): number {
  const fast = compile(engine);
  const nIn = engine.inputs.length;
  const rows = 997;
  const table = new Float64Array(rows * nIn);
  const rng = new Xoshiro128(seed);
  for (let k = 0; k < rows; k++) {
    for (let i = 0; i < nIn; i++) {
      const v = engine.inputs[i];
      // a little outside the range too, so lock-range and the flat ends of terms are exercised
      table[k * nIn + i] = v.min - 0.1 * (v.max - v.min) + 1.2 * (v.max - v.min) * rng.uniform();
    }
  }
  const x = new Float64Array(nIn);
  const y = new Float64Array(engine.outputs.length);
  const sink = new Float64Array(1);
  // The driving loop is compiled afresh for each model: one shared loop collects type feedback from
  // every model before it, can be left unoptimised (boxing its own doubles) and would blame evaluate.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- test harness, fixed source
  const run = new Function(
    'x', 'y', 'sink', 'table', 'rows', 'nIn', 'fast', 'CHUNK',
    `return (from) => {
      for (let k = 0; k < CHUNK; k++) {
        const base = ((from + k) % rows) * nIn;
        for (let i = 0; i < nIn; i++) x[i] = table[base + i];
        fast.evaluate(x, y);
        if (y[0] === y[0]) sink[0] += y[0];
      }
    };`,
  )(x, y, sink, table, rows, nIn, fast, CHUNK) as (from: number) => void;
  const growth = new Float64Array(CHUNKS);
  let best = Infinity;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (let c = 0; c < CHUNKS; c++) {
      const before = process.memoryUsage().heapUsed;
      run(c * CHUNK);
      const grown = process.memoryUsage().heapUsed - before;
      // the heap shrinking means a collection ran inside the chunk: something allocated
      growth[c] = grown < 0 ? Infinity : grown;
    }
    const median = growth.slice().sort()[CHUNKS >> 1] / CHUNK;
    best = Math.min(best, median);
    if (best < LIMIT_B_PER_EVAL) break;
    finalizeOptimization();
  }
  return best;
}

const models = fileURLToPath(new URL('../../scenarios/models/', import.meta.url));

describe('compiled evaluator allocates nothing per call', () => {
  const cases: [string, () => Engine][] = [
    ['Mamdani PD (bench model, centroid)', mamdaniModel],
    ['maglev-sugeno.fll', () => readModelFile(join(models, 'maglev-sugeno.fll'))],
    ['solar-tracker.fll', () => readModelFile(join(models, 'solar-tracker.fll'))],
    // every shape (Discrete included), norm, hedge, integral defuzzifier, chained outputs
    ...[1, 2, 3, 4, 5, 6].map((seed): [string, () => Engine] => [`random Mamdani model, seed ${seed}`, () => randomEngine(seed, 'mamdani')]),
    ...[4, 6].map((seed): [string, () => Engine] => [`random Sugeno model with a formula term, seed ${seed}`, () => randomEngine(seed, 'sugeno')]),
    ...[1, 2].map((seed): [string, () => Engine] => [`random Tsukamoto model, seed ${seed}`, () => randomEngine(seed, 'tsukamoto')]),
    // matlab semantics: the bench models and MATLAB-style random models with every defuzzifier
    ['Mamdani PD, matlab semantics', () => Object.assign(mamdaniModel(), { semantics: 'matlab' as const })],
    ['maglev-sugeno.fll, matlab semantics', () => Object.assign(readModelFile(join(models, 'maglev-sugeno.fll')), { semantics: 'matlab' as const })],
    ...[1, 3, 5, 7, 9].map((seed): [string, () => Engine] => [`random MATLAB Mamdani model, seed ${seed}`, () => randomMatlabEngine(seed, 'mamdani')]),
    ...[2, 4].map((seed): [string, () => Engine] => [`random MATLAB Sugeno model, seed ${seed}`, () => randomMatlabEngine(seed, 'sugeno')]),
  ];
  for (const [label, make] of cases) {
    it(label, () => {
      const engine = make();
      if (label.includes('formula')) expect(engine.outputs.some((o) => o.terms.some((t) => t.kind === 'Function'))).toBe(true);
      expect(steadyGrowthPerEval(engine, 7)).toBeLessThan(LIMIT_B_PER_EVAL);
    }, 60_000);
  }
});
