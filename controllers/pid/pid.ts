/**
 * Discrete PID in the ISA (parallel-gain) form with the refinements of Åström & Hägglund,
 * "Advanced PID Control" (2006), ch. 3 and 13:
 *   P = kp·(b·r − y)
 *   D: filtered derivative of (c·r − y), filter time Tf = (kd/kp)/N, backward difference
 *   I: integral term held in output units (so on-line ki changes are bumpless)
 *   u = sat(bias + P + I + D)
 * Anti-windup acts only while the output saturates; the integral term itself is never limited to the
 * output range (with b < 1 it must exceed it at steady state: I = u + kp·(1 − b)·r − bias).
 * 'clamp' holds the integral while the unclamped output is beyond a limit and the error pushes
 * further (and stops the increment at the limit on the sample that crosses it); 'conditional' skips
 * the whole increment when the output is already beyond that limit before it; 'back-calculation'
 * feeds (u − v)/Tt back into it.
 * Integration: 'backward' adds this sample's error before computing the output (PID_v1),
 * 'forward' after (Åström & Hägglund's form).
 * Time comes from the caller: h = t − t_prev, never a wall clock.
 *
 * Arduino PID_v1 equivalents: SetMode → setManual/setAuto (bumpless, like Initialize()),
 * SetOutputLimits → setOutputLimits, SetTunings(…, P_ON_M) → b = 0 (identical while unsaturated),
 * SetControllerDirection → direction, SetSampleTime → the caller's t, GetKp/Ki/Kd → gains,
 * outputSum → integral. With N = Infinity, c = 0 and integration 'backward' the outputs equal PID_v1's
 * sample for sample until the output first saturates: PID_v1 then clamps outputSum to the limits,
 * which this class deliberately does not (tests/controllers/pid.test.ts).
 */
export interface PidGains {
  /** Proportional gain (output units per input unit). */
  kp: number;
  /** Integral gain (per second). */
  ki: number;
  /** Derivative gain (seconds). */
  kd: number;
}

export interface PidOptions extends PidGains {
  /** Derivative filter divisor N (Tf = kd/(kp·N)); Infinity = no filter. Default 10. */
  N?: number;
  /** Explicit derivative filter time constant in seconds; overrides N. */
  Tf_s?: number;
  /** Setpoint weight on P (0 = proportional on measurement, PID_v1's P_ON_M). Default 1. */
  b?: number;
  /** Setpoint weight on D (0 = derivative on measurement). Default 0. */
  c?: number;
  /** Output limits. Default ±Infinity. */
  outMin?: number;
  outMax?: number;
  /** Anti-windup scheme. Default 'conditional'. */
  antiWindup?: AntiWindup;
  /** When the integral takes this sample's error into account. Default 'backward' (as PID_v1). */
  integration?: 'backward' | 'forward';
  /** Tracking time for back-calculation in seconds. Default sqrt(Ti·Td), or Ti when kd = 0. */
  Tt_s?: number;
  /** 'direct': output rises when the measurement falls below the setpoint; 'reverse' the opposite. Default 'direct'. */
  direction?: 'direct' | 'reverse';
  /** Constant added to the output (feedforward, e.g. a holding current). Default 0. */
  bias?: number;
  /** Sample time used on the first update, before a previous time exists. Default 1e-3 s. */
  Ts_s?: number;
}

export type AntiWindup = 'clamp' | 'conditional' | 'back-calculation' | 'none';

export class Pid {
  kp: number;
  ki: number;
  kd: number;
  private N: number;
  private TfFixed: number | undefined;
  b: number;
  c: number;
  outMin: number;
  outMax: number;
  antiWindup: AntiWindup;
  integration: 'backward' | 'forward';
  private TtFixed: number | undefined;
  direction: 'direct' | 'reverse';
  bias: number;
  private readonly Ts0: number;

  /** Integral term in output units (PID_v1's outputSum without the bias). */
  integral = 0;
  private derivative = 0;
  private prevDInput = 0;
  private prevT = NaN;
  /** Back-calculation's (u − v) of the previous sample. */
  private prevExcess = 0;
  /** Unclamped output of the last sample (v = bias + P + I + D). */
  private lastV = 0;
  private lastP = 0;
  private lastR = 0;
  private lastY = 0;
  private auto = true;
  private manualOutput = 0;
  /** Last output returned. */
  output = 0;
  /** True when the last output was clipped by the limits. */
  saturated = false;

  constructor(o: PidOptions) {
    this.kp = o.kp;
    this.ki = o.ki;
    this.kd = o.kd;
    this.N = o.N ?? 10;
    this.TfFixed = o.Tf_s;
    this.b = o.b ?? 1;
    this.c = o.c ?? 0;
    this.outMin = o.outMin ?? -Infinity;
    this.outMax = o.outMax ?? Infinity;
    this.antiWindup = o.antiWindup ?? 'conditional';
    this.integration = o.integration ?? 'backward';
    this.TtFixed = o.Tt_s;
    this.direction = o.direction ?? 'direct';
    this.bias = o.bias ?? 0;
    this.Ts0 = o.Ts_s ?? 1e-3;
    this.validate();
  }

  reset(): void {
    this.integral = 0;
    this.derivative = 0;
    this.prevDInput = 0;
    this.prevT = NaN;
    this.prevExcess = 0;
    this.lastV = 0;
    this.lastP = 0;
    this.output = 0;
    this.saturated = false;
    this.auto = true;
  }

  /** One sample: setpoint r, measurement y, time t (s). Returns the output. */
  update(r: number, y: number, t: number): number {
    this.lastR = r;
    this.lastY = y;
    const first = this.prevT !== this.prevT;
    const h = first ? this.Ts0 : t - this.prevT;
    this.prevT = t;
    const sign = this.direction === 'direct' ? 1 : -1;
    const dInput = this.c * r - y;
    if (!this.auto) {
      this.prevDInput = dInput;
      this.output = this.manualOutput;
      return this.output;
    }
    if (first) this.prevDInput = dInput;
    const p = sign * this.kp * (this.b * r - y);
    this.lastP = p;
    const Tf = this.filterTime();
    if (h > 0) {
      // Backward-difference filtered derivative: D_k = Tf/(Tf+h)·D_{k−1} + kd/(Tf+h)·Δ(c·r − y)
      this.derivative = (Tf / (Tf + h)) * this.derivative + ((sign * this.kd) / (Tf + h)) * (dInput - this.prevDInput);
    }
    this.prevDInput = dInput;
    const e = sign * (r - y);
    const base = this.bias + p + this.derivative;
    if (this.integration === 'backward' && h > 0) this.integrate(e, h, base);
    const v = base + this.integral;
    const u = v > this.outMax ? this.outMax : v < this.outMin ? this.outMin : v;
    this.saturated = u !== v;
    if (this.integration === 'forward' && h > 0) this.integrate(e, h, base);
    this.prevExcess = u - v;
    this.lastV = v;
    this.output = u;
    return u;
  }

  /** Adds ki·h·e to the integral term under the anti-windup rule; `base` is the output without it. */
  private integrate(e: number, h: number, base: number): void {
    const dI = this.ki * h * e;
    switch (this.antiWindup) {
      case 'none':
        this.integral += dI;
        return;
      case 'back-calculation':
        this.integral += dI + (h / this.trackingTime()) * this.prevExcess;
        return;
      case 'conditional':
        // Hold while the output, before this increment, is already beyond the limit the error pushes toward.
        if (!this.pushesBeyond(base + this.integral, dI)) this.integral += dI;
        return;
      case 'clamp': {
        // Integrate, but never past the point where the unclamped output reaches the limit the
        // error pushes toward: held while already beyond it, stopped at it when crossing it.
        this.integral += dI;
        const v = base + this.integral;
        if (dI > 0 && v > this.outMax) this.integral -= Math.min(dI, v - this.outMax);
        else if (dI < 0 && v < this.outMin) this.integral -= Math.max(dI, v - this.outMin);
        return;
      }
    }
  }

  private pushesBeyond(v: number, dI: number): boolean {
    return (v > this.outMax && dI > 0) || (v < this.outMin && dI < 0);
  }

  private filterTime(): number {
    if (this.TfFixed !== undefined) return this.TfFixed;
    if (this.kd === 0 || !Number.isFinite(this.N) || this.kp === 0) return 0;
    return Math.abs(this.kd / this.kp) / this.N;
  }

  private trackingTime(): number {
    if (this.TtFixed !== undefined) return this.TtFixed;
    const Ti = this.ki !== 0 ? Math.abs(this.kp / this.ki) : Infinity;
    const Td = this.kp !== 0 ? Math.abs(this.kd / this.kp) : 0;
    const Tt = Td > 0 ? Math.sqrt(Ti * Td) : Ti;
    return Number.isFinite(Tt) && Tt > 0 ? Tt : 1;
  }

  /** Manual mode: the output is held at `u` (clipped to the limits); nothing integrates. */
  setManual(u: number): void {
    this.auto = false;
    this.manualOutput = clamp(u, this.outMin, this.outMax);
    this.output = this.manualOutput;
  }

  /** Back to automatic without a bump: the integral takes up the difference (PID_v1's Initialize()). */
  setAuto(): void {
    if (this.auto) return;
    this.auto = true;
    const sign = this.direction === 'direct' ? 1 : -1;
    const p = sign * this.kp * (this.b * this.lastR - this.lastY);
    this.derivative = 0;
    // The held output is inside the limits, so the unclamped output equals it: no bump, no clamp needed.
    this.integral = this.output - this.bias - p;
  }

  get isAuto(): boolean {
    return this.auto;
  }

  /** New gains on line; with `bumpless` (default) the integral absorbs the change of the P term. */
  setTunings(g: PidGains, bumpless = true): void {
    const oldP = this.lastP;
    this.kp = g.kp;
    this.ki = g.ki;
    this.kd = g.kd;
    this.validate();
    if (bumpless && this.auto) {
      const sign = this.direction === 'direct' ? 1 : -1;
      const newP = sign * this.kp * (this.b * this.lastR - this.lastY);
      this.integral += oldP - newP;
      this.lastP = newP;
    }
  }

  setOutputLimits(min: number, max: number): void {
    if (!(min < max)) throw new Error(`PID output limits need min < max (got ${min}, ${max})`);
    this.outMin = min;
    this.outMax = max;
    // Bring the last unclamped output back to a limit it now exceeds, so the integral has nothing to unwind.
    if (this.lastV > max) this.integral -= this.lastV - max;
    else if (this.lastV < min) this.integral += min - this.lastV;
    this.lastV = clamp(this.lastV, min, max);
    this.output = clamp(this.output, min, max);
  }

  /** Throws on settings that cannot give a finite output, naming the setting. */
  private validate(): void {
    for (const [name, v] of [
      ['kp', this.kp],
      ['ki', this.ki],
      ['kd', this.kd],
    ] as const) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`PID gain '${name}' must be a finite number ≥ 0 (got ${v}); use 'direction' for the sign`);
    }
    if (!(this.outMin < this.outMax)) throw new Error(`PID output limits need outMin < outMax (got ${this.outMin}, ${this.outMax})`);
    if (!(this.N > 0)) throw new Error(`PID derivative filter divisor 'N' must be > 0 (got ${this.N}); Infinity means no filter`);
    if (this.TfFixed !== undefined && !(this.TfFixed >= 0 && Number.isFinite(this.TfFixed))) throw new Error(`PID 'Tf_s' must be a finite time ≥ 0 s (got ${this.TfFixed})`);
    if (this.TtFixed !== undefined && !(this.TtFixed > 0 && Number.isFinite(this.TtFixed))) throw new Error(`PID tracking time 'Tt_s' must be a finite time > 0 s (got ${this.TtFixed})`);
    for (const [name, v] of [
      ['b', this.b],
      ['c', this.c],
      ['bias', this.bias],
    ] as const) {
      if (!Number.isFinite(v)) throw new Error(`PID '${name}' must be a finite number (got ${v})`);
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v > hi ? hi : v < lo ? lo : v;
}
