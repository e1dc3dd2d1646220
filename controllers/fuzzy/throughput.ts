import { compile } from './compile.ts';
import type { Engine } from './model.ts';

/**
 * Inferences per second of the compiled evaluator on `n` pseudo-random inputs spread over each
 * input's range (xorshift32 with a fixed seed, so every run sees the same inputs). The inputs are
 * generated before timing; a checksum of the outputs keeps the work from being optimised away.
 */
export function measureThroughput(engine: Engine, n: number, seed = 12345): { inferences_per_s: number; seconds: number; checksum: number } {
  const fast = compile(engine);
  const nIn = engine.inputs.length;
  const table = new Float64Array(n * nIn);
  let s = seed >>> 0 || 1;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < nIn; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      const v = engine.inputs[i];
      const lo = Number.isFinite(v.min) ? v.min : -1;
      const hi = Number.isFinite(v.max) ? v.max : 1;
      table[k * nIn + i] = lo + ((hi - lo) * s) / 4294967296;
    }
  }
  const inputs = new Float64Array(nIn);
  const outputs = new Float64Array(engine.outputs.length);
  // warm-up so the JIT has compiled the evaluator before the clock starts
  const warm = Math.min(n, 2000);
  for (let k = 0; k < warm; k++) {
    for (let i = 0; i < nIn; i++) inputs[i] = table[k * nIn + i];
    fast.evaluate(inputs, outputs);
  }
  fast.reset();
  let checksum = 0;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < nIn; i++) inputs[i] = table[k * nIn + i];
    fast.evaluate(inputs, outputs);
    for (let o = 0; o < outputs.length; o++) if (outputs[o] === outputs[o]) checksum += outputs[o];
  }
  const seconds = (performance.now() - t0) / 1000;
  return { inferences_per_s: n / seconds, seconds, checksum };
}
