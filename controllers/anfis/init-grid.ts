import { AnfisModel, packMfs, type AnfisInput } from './model.ts';
import type { MfType } from './membership.ts';

export interface GridOptions {
  /** MFs per input (one number for all, or one per input). */
  mfs: number | number[];
  mfType?: MfType;
  /** Consequent order (default 1, linear). */
  order?: 0 | 1;
  inputNames?: string[];
  outputName?: string;
  name?: string;
}

/**
 * Grid partition (MATLAB `genfis1`): for each input, n MFs spread evenly over the data range with
 * centres c_k = lo + k·(hi − lo)/(n − 1); gbellmf a = (hi − lo)/(2(n − 1)), b = 2; gaussmf
 * σ = (hi − lo)/(2(n − 1)·√(2 ln 2)) (the same half-width at half height); trimf vertices at the
 * neighbouring centres. One rule per MF combination, consequents zero (training sets them).
 */
export function initGrid(inputs: readonly (readonly number[])[], targets: readonly number[], options: GridOptions): AnfisModel {
  const n = inputs[0].length;
  const counts = typeof options.mfs === 'number' ? new Array<number>(n).fill(options.mfs) : options.mfs;
  if (counts.length !== n) throw new Error(`--mfs gives ${counts.length} counts for ${n} inputs`);
  if (counts.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('MF counts must be whole numbers ≥ 1');
  const type = options.mfType ?? 'gbellmf';
  const order = options.order ?? 1;
  const { offsets, size } = packMfs(counts.map((c) => new Array<MfType>(c).fill(type)));
  const premise = new Float64Array(size);
  const vars: AnfisInput[] = [];
  for (let i = 0; i < n; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of inputs) {
      lo = Math.min(lo, row[i]);
      hi = Math.max(hi, row[i]);
    }
    const m = counts[i];
    const span = hi - lo || 1;
    const step = m > 1 ? span / (m - 1) : span;
    const half = m > 1 ? span / (2 * (m - 1)) : span / 2;
    const mfs = [];
    for (let k = 0; k < m; k++) {
      const o = offsets[i][k];
      const c = m > 1 ? lo + k * step : (lo + hi) / 2;
      if (type === 'gbellmf') {
        premise[o] = half;
        premise[o + 1] = 2;
        premise[o + 2] = c;
      } else if (type === 'gaussmf') {
        premise[o] = half / Math.sqrt(2 * Math.log(2));
        premise[o + 1] = c;
      } else {
        premise[o] = c - step;
        premise[o + 1] = c;
        premise[o + 2] = c + step;
      }
      mfs.push({ name: `in${i + 1}mf${k + 1}`, type, offset: o });
    }
    vars.push({ name: options.inputNames?.[i] ?? `input${i + 1}`, range: [lo, hi], mfs });
  }
  const rules: number[][] = [];
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    rules.push([...idx]);
    let i = n - 1;
    while (i >= 0 && ++idx[i] === counts[i]) idx[i--] = 0;
    if (i < 0) break;
  }
  const coef = order === 1 ? n + 1 : 1;
  return new AnfisModel(
    options.name ?? 'anfis',
    vars,
    { name: options.outputName ?? 'output', range: [Math.min(...targets), Math.max(...targets)] },
    rules,
    order,
    premise,
    new Float64Array(rules.length * coef),
  );
}
