import type { AntiWindup } from '../pid/pid.ts';
import { FX_SAT, mul16, mul32, quantize, sat, sat16, type Coefficient } from './int-math.ts';
import { MICRO_PER_UNIT } from '../../protocol/frames.ts';

/**
 * The PID of controllers/pid/pid.ts in fixed point, as the generated firmware runs it on an AVR.
 * It works on converter counts: sensor counts in, actuator counts out. Q formats:
 *   - errors and references: Q4 sensor counts in int16 (y·16; 10-bit ADC → 0 … 16368);
 *   - P, I, D, bias, limits: Q16 actuator counts in int32, saturated to ±(2^29 − 1) (FX_SAT);
 *   - gains: int16 mantissa with a per-gain shift (quantize()), relative error ≤ 2^−15;
 *   - derivative filter pole α = Tf/(Tf+Ts) in Q15;
 *   - reference: micro-units as the S frame carries them, r_q4 = round((r_µ − offset_µ)·K_r).
 * The step order (P, D, backward/forward integration, conditional/clamp/back-calculation
 * anti-windup, limits) is that of the float PID, with the sample time fixed at Ts, and so are the
 * anti-windup rules: they act only while the output saturates; the integral is never limited to the
 * output range (with b < 1 it must exceed it at steady state), only saturated to ±FX_SAT like every
 * other Q16 accumulator.
 */
/**
 * The sensor converter the firmware reads: a sensor channel (firmware-sim/channels.ts) without its
 * naming and wiring, restated here as a type so that controllers/ need not import the simulator.
 */
export interface SensorConverter {
  readonly kind: 'adc' | 'digital';
  readonly bits: number;
  readonly vref: number;
  readonly lsb: number;
  readonly gain: number;
  readonly offset: number;
}

/** The actuator converter the firmware writes: an actuator channel without its naming and wiring. */
export interface ActuatorConverter {
  readonly kind: 'pwm' | 'digital';
  readonly min: number;
  readonly max: number;
  readonly bits: number;
  readonly lsb: number;
}

export interface PidFixedSpec {
  readonly kp: number;
  readonly ki: number;
  readonly kd: number;
  readonly N: number;
  readonly Tf_s?: number;
  readonly b: number;
  readonly c: number;
  readonly bias: number;
  readonly outMin: number;
  readonly outMax: number;
  readonly antiWindup: AntiWindup;
  readonly integration: 'backward' | 'forward';
  readonly Tt_s?: number;
  readonly direction: 'direct' | 'reverse';
  readonly Ts: number;
  readonly sensor: SensorConverter;
  readonly actuator: ActuatorConverter;
}

/** Everything the integer step needs: the same numbers are written into the generated C. */
export interface PidFixedCoefficients {
  readonly kp: Coefficient;
  readonly ki: Coefficient;
  readonly kd: Coefficient;
  readonly alpha: Coefficient;
  readonly kt: Coefficient;
  readonly b: Coefficient;
  readonly c: Coefficient;
  /** micro-units → Q4 sensor counts. */
  readonly kr: Coefficient;
  readonly refOffset_u: number;
  readonly bias_q16: number;
  readonly outMin_q16: number;
  readonly outMax_q16: number;
  readonly actMin: number;
  readonly actMax: number;
  readonly sensorMax: number;
  readonly antiWindup: AntiWindup;
  readonly backward: boolean;
  /** Engineering units per sensor count, and the actuator's (offset, units per count). */
  readonly sensorLsb: number;
  readonly actuatorOffset: number;
  readonly actuatorLsb: number;
}

/** Engineering units of one sensor count. */
export function sensorLsb(s: SensorConverter): number {
  return s.kind === 'digital' ? s.gain * s.lsb : (s.gain * s.vref) / 2 ** s.bits;
}

const Q = 16;
const QE = 4;

function q16(v: number, what: string): number {
  const r = Math.round(v * 2 ** Q);
  if (!(Math.abs(r) <= FX_SAT)) throw new Error(`${what} = ${v} actuator counts does not fit the Q16 range (±8191 counts)`);
  return r;
}

export function pidFixedCoefficients(s: PidFixedSpec): PidFixedCoefficients {
  if (s.sensor.kind !== 'adc' || s.sensor.bits > 11) {
    throw new Error('pid-fixed reads an ADC channel of at most 11 bits (Q4 counts must fit in int16)');
  }
  if (s.sensor.gain <= 0) throw new Error('pid-fixed needs a sensor gain > 0');
  const G = sensorLsb(s.sensor);
  const a = s.actuator;
  const top = a.kind === 'digital' ? 0 : 2 ** a.bits - 1;
  const U = a.kind === 'digital' ? a.lsb : (a.max - a.min) / top;
  const U0 = a.kind === 'digital' ? 0 : a.min;
  const actMin = a.kind === 'digital' ? Math.round(a.min / a.lsb) : 0;
  const actMax = a.kind === 'digital' ? Math.round(a.max / a.lsb) : top;
  const sign = s.direction === 'direct' ? 1 : -1;
  const scale = (sign * G) / U; // actuator counts per sensor count, per unit of gain
  const Tf = s.Tf_s ?? (s.kd === 0 || !Number.isFinite(s.N) || s.kp === 0 ? 0 : Math.abs(s.kd / s.kp) / s.N);
  const Ti = s.ki !== 0 ? Math.abs(s.kp / s.ki) : Infinity;
  const Td = s.kp !== 0 ? Math.abs(s.kd / s.kp) : 0;
  const TtAuto = Td > 0 ? Math.sqrt(Ti * Td) : Ti;
  const Tt = s.Tt_s ?? (Number.isFinite(TtAuto) && TtAuto > 0 ? TtAuto : 1);
  // Gains map Q4 sensor counts straight to Q16 actuator counts (the 2^12 is folded in).
  const gain = (k: number) => quantize(k * scale * 2 ** (Q - QE), 30, -30);
  const toCounts = (u: number) => (u - U0) / U;
  const outMin = toCounts(s.outMin);
  const outMax = toCounts(s.outMax);
  const bias = (s.bias - U0) / U;
  return {
    kp: gain(s.kp),
    ki: gain(s.ki * s.Ts),
    kd: gain(s.kd / (Tf + s.Ts)),
    alpha: quantize(Tf / (Tf + s.Ts), 15, 0),
    kt: quantize(s.Ts / Tt, 30, 0),
    b: quantize(s.b, 14, 0),
    c: quantize(s.c, 14, 0),
    kr: quantize(2 ** QE / (G * MICRO_PER_UNIT), 40, 0),
    refOffset_u: Math.round(s.sensor.offset * MICRO_PER_UNIT),
    bias_q16: q16(bias, 'bias'),
    outMin_q16: q16(outMin, 'outMin'),
    outMax_q16: q16(outMax, 'outMax'),
    actMin,
    actMax,
    sensorMax: 2 ** s.sensor.bits - 1,
    antiWindup: s.antiWindup,
    backward: s.integration === 'backward',
    sensorLsb: G,
    actuatorOffset: U0,
    actuatorLsb: U,
  };
}

/**
 * The integer state machine: one `step` per control period on counts. It holds nothing but
 * integers, so a run can be reset or cloned and compared with the board bit for bit.
 */
export class PidFixed {
  private integral = 0;
  private derivative = 0;
  private prevDe = 0;
  private prevExcess = 0;
  private started = false;
  /** Q16 terms of the last step, for tests and logs. */
  lastV = 0;

  constructor(readonly k: PidFixedCoefficients) {}

  reset(): void {
    this.integral = 0;
    this.derivative = 0;
    this.prevDe = 0;
    this.prevExcess = 0;
    this.started = false;
    this.lastV = 0;
  }

  /** Reference in micro-units (as sent in S frames) → Q4 sensor counts, saturated to int16. */
  refQ4(ref_u: number): number {
    const { kr } = this.k;
    return sat16(mul32Wide(ref_u - this.k.refOffset_u, kr.m, kr.shift));
  }

  /** One control period: sensor counts and reference in micro-units → actuator counts. */
  step(y: number, ref_u: number): number {
    const k = this.k;
    const r = this.refQ4(ref_u);
    const yq = y << QE;
    const e = sat16(r - yq);
    const pe = sat16(mul16(r, k.b.m, k.b.shift) - yq);
    const de = sat16(mul16(r, k.c.m, k.c.shift) - yq);
    if (!this.started) {
      this.prevDe = de;
      this.started = true;
    }
    const p = mul16(pe, k.kp.m, k.kp.shift);
    this.derivative = sat(mul32(this.derivative, k.alpha.m, k.alpha.shift) + mul16(sat16(de - this.prevDe), k.kd.m, k.kd.shift));
    this.prevDe = de;
    const base = sat(k.bias_q16 + p + this.derivative);
    const dI = mul16(e, k.ki.m, k.ki.shift);
    if (k.backward) this.integrate(dI, base);
    const v = sat(base + this.integral);
    const u = v > k.outMax_q16 ? k.outMax_q16 : v < k.outMin_q16 ? k.outMin_q16 : v;
    if (!k.backward) this.integrate(dI, base);
    this.prevExcess = u - v;
    this.lastV = v;
    const counts = (u + 0x8000) >> Q;
    return counts < k.actMin ? k.actMin : counts > k.actMax ? k.actMax : counts;
  }

  /** Integral term in Q16 actuator counts (the float PID's `integral`, scaled). */
  get integralQ16(): number {
    return this.integral;
  }

  /**
   * Adds dI to the integral under the anti-windup rule of the float PID; `base` is the output without it.
   * The integral stays within ±FX_SAT (saturating adds), so base + integral (< 2^30) and the three-term
   * back-calculation sum (< 3·2^29) fit int32, and outMax − base, outMin − base (|limits| ≤ FX_SAT) too.
   * Comparing sat(base + integral) with a limit gives the same answer as the exact sum, since q16()
   * keeps the limits within ±FX_SAT (a limit exactly at ±FX_SAT can never be passed by either).
   */
  private integrate(dI: number, base: number): void {
    const k = this.k;
    switch (k.antiWindup) {
      case 'none':
        this.integral = sat(this.integral + dI);
        return;
      case 'back-calculation':
        this.integral = sat(this.integral + dI + mul32(this.prevExcess, k.kt.m, k.kt.shift));
        return;
      case 'conditional': {
        // Hold while the output, before this increment, is already beyond the limit the error pushes toward.
        const v = sat(base + this.integral);
        if (!((v > k.outMax_q16 && dI > 0) || (v < k.outMin_q16 && dI < 0))) this.integral = sat(this.integral + dI);
        return;
      }
      case 'clamp': {
        // Integrate, but never past the point where the unclamped output reaches the limit the error
        // pushes toward: held while already at or beyond it, stopped at it on the sample that crosses it.
        const v = sat(base + this.integral);
        if (dI > 0 && v < k.outMax_q16) {
          const stop = k.outMax_q16 - base;
          this.integral = sat(this.integral + dI < stop ? this.integral + dI : stop);
        } else if (dI < 0 && v > k.outMin_q16) {
          const stop = k.outMin_q16 - base;
          this.integral = sat(this.integral + dI > stop ? this.integral + dI : stop);
        }
        return;
      }
    }
  }
}

/** round(a·m/2^sh) for a 33-bit a (a difference of two int32) and int16 m, without saturation. */
function mul32Wide(a: number, m: number, sh: number): number {
  const p = a * m;
  return sh === 0 ? p : Math.floor((p + 2 ** (sh - 1)) / 2 ** sh);
}
