import type { LiveSample } from '../live/live-source.ts';

/** What a page that connects mid-run (or after the end) is sent: columnar, `null` for no value. */
export interface HistorySnapshot {
  readonly t: number[];
  readonly v: (number | null)[][];
  /** Points before this index are min/max envelopes of decimated buckets, the rest full-rate samples. */
  readonly decimated: number;
}

/**
 * The whole run for pages that connect late, in bounded memory: every sample goes into a fixed
 * number of time buckets holding each signal's min and max (the bucket width doubles whenever
 * the run outgrows them), and the most recent samples are also kept at full rate in a ring.
 * Hand-written because the envelope must be kept incrementally with no allocation per sample;
 * the plotting library only decimates what it is given.
 */
export class SampleHistory {
  private recent: LiveSample[] = [];
  private recentStart = 0;
  private width = 1;
  private t0 = NaN;
  private bucket_s: number;
  private used = 0;
  private min: Float64Array;
  private max: Float64Array;

  constructor(
    private readonly recentMax = 20000,
    private readonly buckets = 2048,
    private readonly firstBucket_s = 1e-3,
  ) {
    this.bucket_s = firstBucket_s;
    this.min = new Float64Array(0);
    this.max = new Float64Array(0);
  }

  /** Starts over for a new column set (`width` columns including t_s). */
  reset(width: number): void {
    this.recent = [];
    this.recentStart = 0;
    this.width = width;
    this.t0 = NaN;
    this.bucket_s = this.firstBucket_s;
    this.used = 0;
    this.min = new Float64Array(this.buckets * width).fill(Infinity);
    this.max = new Float64Array(this.buckets * width).fill(-Infinity);
  }

  get size(): number {
    return this.recent.length;
  }

  add(s: LiveSample): void {
    if (this.recent.length < this.recentMax) this.recent.push(s);
    else {
      this.recent[this.recentStart] = s;
      this.recentStart = (this.recentStart + 1) % this.recentMax;
    }
    const { row, missing } = s;
    const t = row[0];
    if (!Number.isFinite(t)) return;
    if (Number.isNaN(this.t0)) this.t0 = t;
    let b = Math.max(0, Math.floor((t - this.t0) / this.bucket_s));
    while (b >= this.buckets) {
      this.halve();
      b = Math.floor((t - this.t0) / this.bucket_s);
    }
    if (b + 1 > this.used) this.used = b + 1;
    const w = this.width;
    const n = Math.min(w, row.length);
    for (let c = 1; c < n; c++) {
      const x = row[c];
      if ((missing && missing[c]) || !Number.isFinite(x)) continue;
      const k = b * w + c;
      if (x < this.min[k]) this.min[k] = x;
      if (x > this.max[k]) this.max[k] = x;
    }
  }

  /** Merges bucket pairs so the same storage covers twice the time. */
  private halve(): void {
    const w = this.width;
    const half = this.buckets / 2;
    for (let b = 0; b < half; b++) {
      for (let c = 1; c < w; c++) {
        const a = 2 * b * w + c;
        this.min[b * w + c] = Math.min(this.min[a], this.min[a + w]);
        this.max[b * w + c] = Math.max(this.max[a], this.max[a + w]);
      }
    }
    this.min.fill(Infinity, half * w);
    this.max.fill(-Infinity, half * w);
    this.bucket_s *= 2;
    this.used = Math.ceil(this.used / 2);
  }

  /** The envelope of everything before the full-rate window, then the window itself. */
  snapshot(): HistorySnapshot {
    const ordered = this.recent.slice(this.recentStart).concat(this.recent.slice(0, this.recentStart));
    const w = this.width;
    const t: number[] = [];
    const v: (number | null)[][] = [];
    for (let c = 1; c < w; c++) v.push([]);
    const firstRecent = ordered.length ? ordered[0].row[0] : Infinity;
    for (let b = 0; b < this.used; b++) {
      const start = this.t0 + b * this.bucket_s;
      if (start + this.bucket_s > firstRecent) break;
      // Two points per bucket (its minima, then its maxima) draw the envelope as a filled zig-zag.
      t.push(start, start + this.bucket_s / 2);
      for (let c = 1; c < w; c++) {
        const lo = this.min[b * w + c];
        const hi = this.max[b * w + c];
        v[c - 1].push(lo <= hi ? lo : null, lo <= hi ? hi : null);
      }
    }
    const decimated = t.length;
    for (const { row, missing } of ordered) {
      t.push(row[0]);
      for (let c = 1; c < w; c++) v[c - 1].push(c < row.length && !(missing && missing[c]) ? row[c] : null);
    }
    return { t, v, decimated };
  }
}
