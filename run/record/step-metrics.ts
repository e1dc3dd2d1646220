import type { MetricSpec, StandardMetrics } from '../../firmware-sim/metrics.ts';
import type { RowSink } from '../../firmware-sim/recorder.ts';

/**
 * Rows kept for the steady-state window when the run's length is not known in advance (or the run
 * ended before it): 2^17 errors = 1 MiB, exact for runs up to 1.31 M rows (10 % window ≤ the ring).
 */
export const STEADY_STATE_RING = 1 << 17;

export interface OnlineStepMetricsOptions {
  /**
   * The number of rows the run will write if it completes (known from duration and step). The
   * steady-state sum then starts at that row, exact whatever the length.
   */
  readonly expectedRows?: number;
  /** Size of the steady-state ring (default STEADY_STATE_RING). */
  readonly ringCapacity?: number;
}

/**
 * the batch `computeMetrics` (tests/helpers/batch-metrics.ts, the reference) fed row by row, with bounded state: the same
 * floating-point operations in the same order, so the results are bit-identical.
 *
 * - IAE/ISE/ITAE, effort, energy and saturation time are running sums; the first row waits for the
 *   second (the step h = t1 − t0 weights every row).
 * - The judged step restarts at every reference change: r is constant after the last change, so
 *   the final reference and the output at the step are known there. Rise (t10, t90) and the peak
 *   are followed online; settling needs only the last exit from the band and the time after it.
 * - Steady-state error (mean of r − y over the last max(1, floor(0.1·n)) rows, never before the
 *   judged step): summed from row n − window when `expectedRows` = n is given and the run has
 *   exactly n rows; otherwise read from a ring of the last `ringCapacity` errors. A window longer
 *   than the ring (a run of unknown length beyond 10 × the ring) falls back to the mean over the last
 *   `ringCapacity` rows of the judged step, and `steadyStateTruncated` says so.
 */
export class OnlineStepMetrics implements RowSink {
  private readonly expectedRows: number;
  private readonly ring: Float64Array;
  private iy = 0;
  private ir = 0;
  private iu = -1;
  private ic = -1;
  private n = 0;
  private h = 0;
  // The first row, weighted once the second gives h.
  private t0 = 0;
  private e0 = 0;
  private u0 = 0;
  private c0 = 0;
  private iae = 0;
  private ise = 0;
  private itae = 0;
  private effort = 0;
  private energy = 0;
  private saturation = 0;
  // The judged step.
  private rPrev = NaN;
  private kChange = 0;
  private tChange = 0;
  private rFinal = NaN;
  private y0 = NaN;
  private step = NaN;
  private dir = NaN;
  private band = NaN;
  private peak = 0;
  private t10 = NaN;
  private t90 = NaN;
  private lastOut = -1;
  private tAfterLastOut = NaN;
  private awaitingReturn = false;
  // Steady-state window.
  private readonly expectedFrom: number;
  private expectedSum = 0;

  constructor(
    private readonly spec: MetricSpec,
    options: OnlineStepMetricsOptions = {},
  ) {
    this.expectedRows = options.expectedRows ?? -1;
    this.expectedFrom = this.expectedRows >= 0 ? this.expectedRows - Math.max(1, Math.floor(this.expectedRows * 0.1)) : -1;
    this.ring = new Float64Array(options.ringCapacity ?? STEADY_STATE_RING);
  }

  begin(columns: readonly string[]): void {
    const at = (name: string): number => {
      const i = columns.indexOf(name);
      if (i < 0) throw new Error(`metrics: no recorded signal '${name}'`);
      return i;
    };
    this.iy = at(this.spec.output);
    this.ir = at(this.spec.reference);
    this.iu = this.spec.command ? at(this.spec.command) : -1;
    this.ic = this.spec.saturation ? at(this.spec.saturation.column) : -1;
    this.n = 0;
    this.h = 0;
    this.iae = this.ise = this.itae = this.effort = this.energy = this.saturation = 0;
    this.expectedSum = 0;
    // As computeMetrics has an empty run: no step (NaN), judged from row 0.
    this.judgeStepFrom(0, 0, NaN, NaN);
    this.rPrev = NaN;
  }

  write(row: Float64Array): void {
    const k = this.n;
    const t = row[0];
    const y = row[this.iy];
    const r = row[this.ir];
    const e = r - y;
    const u = this.iu >= 0 ? row[this.iu] : 0;
    const c = this.ic >= 0 ? row[this.ic] : 0;
    if (k === 0) {
      this.t0 = t;
      this.e0 = e;
      this.u0 = u;
      this.c0 = c;
    } else {
      if (k === 1) {
        this.h = t - this.t0;
        this.accumulate(this.t0, this.e0, this.u0, this.c0, this.h);
      }
      this.accumulate(t, e, u, c, this.h);
    }

    if (k === 0 || r !== this.rPrev) this.judgeStepFrom(k, t, y, r);
    this.rPrev = r;
    if (this.dir !== 0) {
      const progress = (y - this.y0) / this.step;
      if (this.t10 !== this.t10 && progress >= 0.1) this.t10 = t;
      if (this.t90 !== this.t90 && progress >= 0.9) this.t90 = t;
      const beyond = this.dir * (y - this.rFinal);
      if (beyond > this.peak) this.peak = beyond;
    }
    if (!(Math.abs(y - this.rFinal) <= this.band)) {
      this.lastOut = k;
      this.awaitingReturn = true;
    } else if (this.awaitingReturn) {
      this.tAfterLastOut = t;
      this.awaitingReturn = false;
    }

    this.ring[k % this.ring.length] = e;
    if (this.expectedFrom >= 0 && k >= this.expectedFrom) this.expectedSum += e;
    this.n = k + 1;
  }

  end(): void {}

  /** Rows seen since `begin`. */
  get rows(): number {
    return this.n;
  }

  /** True when the steady-state window was longer than the ring and no exact sum was available. */
  get steadyStateTruncated(): boolean {
    return this.steadyStateFrom().truncated;
  }

  result(): StandardMetrics {
    const n = this.n;
    let { iae, ise, itae, effort, energy, saturation } = this;
    if (n === 1) {
      // A single row: h = 0, as computeMetrics has it.
      const a = this.accumulated(this.t0, this.e0, this.u0, this.c0, 0);
      iae += a.iae;
      ise += a.ise;
      itae += a.itae;
      effort += a.effort;
      energy += a.energy;
      saturation += a.saturation;
    }
    const h = n > 1 ? this.h : 0;

    let overshoot = NaN;
    let rise = NaN;
    if (this.dir !== 0) {
      overshoot = (100 * this.peak) / Math.abs(this.step);
      rise = this.t90 - this.t10;
    }
    const band = this.band;
    const window = n - this.kChange;
    const mustStay = Math.max(2, Math.ceil(0.1 * window));
    let settling = NaN;
    if (n) {
      if (this.lastOut < 0) settling = 0;
      else if (n - 1 - this.lastOut >= mustStay) settling = this.tAfterLastOut - this.tChange;
    }

    const { from, exactSum } = this.steadyStateFrom();
    let sse = 0;
    if (exactSum) sse = this.expectedSum;
    else for (let k = from; k < n; k++) sse += this.ring[k % this.ring.length];
    sse /= n - from;

    const duration = n * h;
    return {
      iae,
      ise,
      itae,
      rms_error: duration > 0 ? Math.sqrt(ise / duration) : NaN,
      overshoot_pct: overshoot,
      rise_time_s: rise,
      settling_time_s: settling,
      settling_band: band,
      steady_state_error: sse,
      control_effort: effort,
      control_energy: energy,
      saturation_time_s: saturation,
    };
  }

  /** First row of the steady-state window; whether it comes from the running sum; whether it had to be cut to the ring. */
  private steadyStateFrom(): { from: number; exactSum: boolean; truncated: boolean } {
    const n = this.n;
    const from = Math.max(this.kChange, n - Math.max(1, Math.floor(n * 0.1)));
    if (n - from <= this.ring.length) return { from, exactSum: false, truncated: false };
    // The run has the length announced: the running sum started at this window's first row.
    if (n === this.expectedRows) return { from, exactSum: true, truncated: false };
    return { from: n - this.ring.length, exactSum: false, truncated: true };
  }

  private judgeStepFrom(k: number, t: number, y: number, r: number): void {
    const spec = this.spec;
    this.kChange = k;
    this.tChange = t;
    this.rFinal = r;
    this.y0 = y;
    this.step = r - y;
    this.dir = Math.sign(this.step);
    this.band = spec.bandAbs ?? spec.band * Math.abs(this.step !== 0 ? this.step : r);
    this.peak = 0;
    this.t10 = NaN;
    this.t90 = NaN;
    this.lastOut = -1;
    this.tAfterLastOut = NaN;
    this.awaitingReturn = false;
    if (k >= this.expectedFrom) this.expectedSum = 0;
  }

  private accumulate(t: number, e: number, u: number, c: number, h: number): void {
    this.iae += Math.abs(e) * h;
    this.ise += e * e * h;
    this.itae += t * Math.abs(e) * h;
    if (this.iu >= 0) {
      this.effort += Math.abs(u) * h;
      this.energy += u * u * h;
    }
    const sat = this.spec.saturation;
    if (sat && (c <= sat.minCounts || c >= sat.maxCounts)) this.saturation += h;
  }

  /** One row's contributions alone (for the single-row run, without touching the sums). */
  private accumulated(t: number, e: number, u: number, c: number, h: number) {
    const sat = this.spec.saturation;
    return {
      iae: Math.abs(e) * h,
      ise: e * e * h,
      itae: t * Math.abs(e) * h,
      effort: this.iu >= 0 ? Math.abs(u) * h : 0,
      energy: this.iu >= 0 ? u * u * h : 0,
      saturation: sat && (c <= sat.minCounts || c >= sat.maxCounts) ? h : 0,
    };
  }
}
