/**
 * Min–max mapping of each column onto [−1, 1], as MATLAB's `mapminmax` (the default
 * pre-/post-processing of `feedforwardnet`). A constant column maps to 0.
 */
export interface MinMax {
  readonly min: number[];
  readonly max: number[];
}

export function fitMinMax(rows: readonly (readonly number[])[]): MinMax {
  const n = rows[0].length;
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  for (const r of rows) {
    for (let j = 0; j < n; j++) {
      if (r[j] < min[j]) min[j] = r[j];
      if (r[j] > max[j]) max[j] = r[j];
    }
  }
  return { min, max };
}

/** Engineering value → [−1, 1]. */
export function toUnit(m: MinMax, j: number, v: number): number {
  const span = m.max[j] - m.min[j];
  return span > 0 ? (2 * (v - m.min[j])) / span - 1 : 0;
}

/** [−1, 1] → engineering value. */
export function fromUnit(m: MinMax, j: number, v: number): number {
  const span = m.max[j] - m.min[j];
  return span > 0 ? ((v + 1) * span) / 2 + m.min[j] : m.min[j];
}
