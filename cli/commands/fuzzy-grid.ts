import type { Engine } from '../../controllers/fuzzy/index.ts';
import { UserError } from '../../errors/user-error.ts';

/** Rows `fuzzy eval --grid` writes at most (N^inputs). */
export const MAX_GRID_ROWS = 1_000_000;

/**
 * The input table of `fuzzy eval --grid N`: N evenly spaced values over each input's range, ends
 * included, every combination with the first input varying slowest, the order of fuzzylite's
 * `-values N -scope EachVariable`. As CSV text, to go through the same evaluator as `--inputs`.
 */
export function gridCsv(engine: Engine, n: number): string {
  if (!Number.isInteger(n) || n < 2) throw new UserError(`--grid ${n}: expected an integer of at least 2`);
  const k = engine.inputs.length;
  if (n ** k > MAX_GRID_ROWS) throw new UserError(`--grid ${n}: ${n}^${k} = ${n ** k} rows for ${k} inputs, above ${MAX_GRID_ROWS}`);
  const unbounded = engine.inputs.find((v) => !Number.isFinite(v.min) || !Number.isFinite(v.max));
  if (unbounded) throw new UserError(`--grid: input '${unbounded.name}' has the range [${unbounded.min}, ${unbounded.max}]; a grid needs finite ranges`);
  const axes = engine.inputs.map((v) => Array.from({ length: n }, (_, i) => (i === n - 1 ? v.max : v.min + ((v.max - v.min) * i) / (n - 1))));
  const lines = [engine.inputs.map((v) => v.name).join(',')];
  const index = new Array<number>(k).fill(0);
  for (let row = 0; row < n ** k; row++) {
    lines.push(index.map((i, d) => String(axes[d][i])).join(','));
    for (let d = k - 1; d >= 0 && ++index[d] === n; d--) index[d] = 0;
  }
  return lines.join('\n') + '\n';
}
