/** Reference (setpoint) signals. `value(t)` must not allocate. */
export interface Reference {
  value(t: number): number;
}

export class ConstantReference implements Reference {
  constructor(private readonly v: number) {}
  value(): number {
    return this.v;
  }
}

export class StepReference implements Reference {
  constructor(
    private readonly initial: number,
    private readonly final: number,
    private readonly time_s: number,
  ) {}
  value(t: number): number {
    return t >= this.time_s ? this.final : this.initial;
  }
}

/** Starts at `start`, then changes at `slope` per second from `time_s`, optionally stopping at `limit`. */
export class RampReference implements Reference {
  constructor(
    private readonly start: number,
    private readonly slope: number,
    private readonly time_s: number,
    private readonly limit?: number,
  ) {}
  value(t: number): number {
    if (t < this.time_s) return this.start;
    const v = this.start + this.slope * (t - this.time_s);
    if (this.limit === undefined) return v;
    return this.slope >= 0 ? Math.min(v, this.limit) : Math.max(v, this.limit);
  }
}

/** Table of (t, value) points, either held (staircase) or linearly interpolated; flat outside. */
export class TableReference implements Reference {
  private readonly ts: Float64Array;
  private readonly vs: Float64Array;
  constructor(points: ReadonlyArray<readonly [number, number]>, private readonly interpolation: 'hold' | 'linear') {
    this.ts = Float64Array.from(points, (p) => p[0]);
    this.vs = Float64Array.from(points, (p) => p[1]);
  }
  value(t: number): number {
    const { ts, vs } = this;
    const n = ts.length;
    if (t <= ts[0]) return vs[0];
    if (t >= ts[n - 1]) return vs[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] <= t) lo = mid;
      else hi = mid;
    }
    if (this.interpolation === 'hold') return vs[lo];
    const w = (t - ts[lo]) / (ts[hi] - ts[lo]);
    return vs[lo] + w * (vs[hi] - vs[lo]);
  }
}
