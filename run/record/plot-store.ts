import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { PlotRun, RecordedRun } from '../../plants/plant.ts';

/**
 * Buckets of the envelope: at most two points each, so ≤ 1400 points per series, under the 1500
 * that the report's panels (hil/report/plots.ts) draw without decimating again.
 */
export const PLOT_BUCKETS = 700;
/** Whole rows kept for x–y paths (every 2^j-th recorded row). */
export const PLOT_SAMPLED_ROWS = 1400;

export interface PlotStoreOptions {
  /** Number of envelope buckets, even (default PLOT_BUCKETS). */
  readonly buckets?: number;
  /** Number of whole rows kept, even (default PLOT_SAMPLED_ROWS). */
  readonly sampledRows?: number;
}

/**
 * A bounded copy of a run for report plots, whatever its length: memory is fixed at `begin`.
 *
 * Time series (`t`, `column`): an envelope of the run in equal buckets of 2^j consecutive rows, the
 * buckets merged pairwise when all are used. Each bucket gives two points per column, its minimum
 * and its maximum in the order they occurred, drawn at the bucket's first and last time (one point
 * for a bucket of one row). Every extreme that is the largest or smallest of its bucket is kept
 * exactly; its time is moved by less than a bucket's width. Columns share the time axis, so the
 * values of one point do not come from one row: use `sampledRows` to combine columns.
 *
 * `sampledRows`: whole recorded rows, every 2^j-th one plus the last, for x–y paths (a robot's
 * path, sonar echoes) where each point must be a real state.
 *
 * Views are built when read (report time) and cached until the next row.
 */
export class PlotStore implements RowSink, PlotRun {
  columns: readonly string[] = [];
  private readonly buckets: number;
  private readonly sampleCapacity: number;
  private index = new Map<string, number>();
  private width = 1;
  private used = 0;
  private recorded = 0;
  private tFirst = new Float64Array(0);
  private tLast = new Float64Array(0);
  private count = new Float64Array(0);
  private min = new Float64Array(0);
  private max = new Float64Array(0);
  private minAt = new Float64Array(0);
  private maxAt = new Float64Array(0);
  private samples = new Float64Array(0);
  private sampleCount = 0;
  private sampleStride = 1;
  private lastRow = new Float64Array(0);
  private cache = new Map<string, Float64Array>();
  private sampledView: RecordedRun | undefined;

  constructor(options: PlotStoreOptions = {}) {
    this.buckets = options.buckets ?? PLOT_BUCKETS;
    this.sampleCapacity = options.sampledRows ?? PLOT_SAMPLED_ROWS;
    if (this.buckets < 2 || this.buckets % 2 || this.sampleCapacity < 2 || this.sampleCapacity % 2) {
      throw new Error('PlotStore: bucket and sample counts must be even and at least 2');
    }
  }

  begin(columns: readonly string[]): void {
    const B = this.buckets;
    const C = columns.length;
    this.columns = [...columns];
    this.index = new Map(columns.map((c, i) => [c, i]));
    this.tFirst = new Float64Array(B);
    this.tLast = new Float64Array(B);
    this.count = new Float64Array(B);
    this.min = new Float64Array(B * C);
    this.max = new Float64Array(B * C);
    this.minAt = new Float64Array(B * C);
    this.maxAt = new Float64Array(B * C);
    this.samples = new Float64Array(this.sampleCapacity * C);
    this.lastRow = new Float64Array(C);
    this.width = 1;
    this.used = 0;
    this.recorded = 0;
    this.sampleCount = 0;
    this.sampleStride = 1;
    this.invalidate();
  }

  write(row: Float64Array): void {
    const C = this.columns.length;
    if (this.used === 0 || this.count[this.used - 1] === this.width) {
      if (this.used === this.buckets) this.mergePairs();
      this.count[this.used] = 0;
      this.tFirst[this.used] = row[0];
      this.used++;
    }
    const b = this.used - 1;
    const k = this.recorded;
    const first = this.count[b] === 0;
    for (let i = 0, o = b * C; i < C; i++, o++) {
      const v = row[i];
      // A NaN stands only until a number comes: an envelope of numbers where there are some.
      if (first || v < this.min[o] || this.min[o] !== this.min[o]) {
        this.min[o] = v;
        this.minAt[o] = k;
      }
      if (first || v > this.max[o] || this.max[o] !== this.max[o]) {
        this.max[o] = v;
        this.maxAt[o] = k;
      }
    }
    this.tLast[b] = row[0];
    this.count[b]++;

    if (k % this.sampleStride === 0) {
      if (this.sampleCount === this.sampleCapacity) this.halveSamples();
      if (k % this.sampleStride === 0) this.samples.set(row, this.sampleCount++ * C);
    }
    this.lastRow.set(row);
    this.recorded = k + 1;
    if (this.cache.size || this.sampledView) this.invalidate();
  }

  end(): void {}

  /** Recorded rows seen since `begin` (the envelope holds fewer points). */
  get recordedRows(): number {
    return this.recorded;
  }

  /** Points of the envelope (length of `t` and of every column). */
  get rows(): number {
    let n = 0;
    for (let b = 0; b < this.used; b++) n += this.count[b] === 1 ? 1 : 2;
    return n;
  }

  /** Bytes held by the store's buffers (fixed at `begin`; views built for a report come on top). */
  get bytes(): number {
    return [this.tFirst, this.tLast, this.count, this.min, this.max, this.minAt, this.maxAt, this.samples, this.lastRow].reduce((s, a) => s + a.byteLength, 0);
  }

  get t(): Float64Array {
    let t = this.cache.get('\0t');
    if (!t) {
      t = new Float64Array(this.rows);
      let p = 0;
      for (let b = 0; b < this.used; b++) {
        t[p++] = this.tFirst[b];
        if (this.count[b] > 1) t[p++] = this.tLast[b];
      }
      this.cache.set('\0t', t);
    }
    return t;
  }

  column(name: string): Float64Array | undefined {
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    let v = this.cache.get(name);
    if (!v) {
      const C = this.columns.length;
      v = new Float64Array(this.rows);
      let p = 0;
      for (let b = 0; b < this.used; b++) {
        const o = b * C + i;
        if (this.count[b] === 1) v[p++] = this.min[o];
        else if (this.minAt[o] <= this.maxAt[o]) {
          v[p++] = this.min[o];
          v[p++] = this.max[o];
        } else {
          v[p++] = this.max[o];
          v[p++] = this.min[o];
        }
      }
      this.cache.set(name, v);
    }
    return v;
  }

  /** Whole recorded rows: every 2^j-th one from the first, and the last. */
  get sampledRows(): RecordedRun {
    if (!this.sampledView) this.sampledView = this.buildSampled();
    return this.sampledView;
  }

  private buildSampled(): RecordedRun {
    const C = this.columns.length;
    const lastSampled = this.recorded > 0 && (this.recorded - 1) % this.sampleStride === 0;
    const n = this.sampleCount + (this.recorded > 0 && !lastSampled ? 1 : 0);
    const cols = this.columns.map((_, i) => {
      const c = new Float64Array(n);
      for (let s = 0; s < this.sampleCount; s++) c[s] = this.samples[s * C + i];
      if (n > this.sampleCount) c[n - 1] = this.lastRow[i];
      return c;
    });
    const index = this.index;
    return { t: cols[0] ?? new Float64Array(0), column: (name) => (index.has(name) ? cols[index.get(name)!] : undefined) };
  }

  private mergePairs(): void {
    const C = this.columns.length;
    const half = this.buckets / 2;
    for (let p = 0; p < half; p++) {
      const a = 2 * p;
      const b = a + 1;
      this.tFirst[p] = this.tFirst[a];
      this.tLast[p] = this.tLast[b];
      this.count[p] = this.count[a] + this.count[b];
      for (let i = 0; i < C; i++) {
        const oa = a * C + i;
        const ob = b * C + i;
        const op = p * C + i;
        // Ties keep the earlier row.
        const minFromB = this.min[ob] < this.min[oa] || this.min[oa] !== this.min[oa];
        this.min[op] = minFromB ? this.min[ob] : this.min[oa];
        this.minAt[op] = minFromB ? this.minAt[ob] : this.minAt[oa];
        const maxFromB = this.max[ob] > this.max[oa] || this.max[oa] !== this.max[oa];
        this.max[op] = maxFromB ? this.max[ob] : this.max[oa];
        this.maxAt[op] = maxFromB ? this.maxAt[ob] : this.maxAt[oa];
      }
    }
    this.used = half;
    this.width *= 2;
  }

  private halveSamples(): void {
    const C = this.columns.length;
    for (let s = 0; 2 * s < this.sampleCount; s++) this.samples.copyWithin(s * C, 2 * s * C, (2 * s + 1) * C);
    this.sampleCount = Math.ceil(this.sampleCount / 2);
    this.sampleStride *= 2;
  }

  private invalidate(): void {
    this.cache.clear();
    this.sampledView = undefined;
  }
}
