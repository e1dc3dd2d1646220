import { compile, readFll, type CompiledEngine } from '../fuzzy/index.ts';
import { Pid } from '../pid/pid.ts';
import type { PeltierLaw } from './peltier-controller.ts';

/**
 * Incremental fuzzy PI on the brain estimate [R] (Takagi–Sugeno, through the fuzzy engine):
 * inputs the scaled brain error e = (target − estimate)/errorScale and its scaled rate of change
 * de = −(d estimate/dt)/rateScale, output a plate-setpoint step in [−1, 1]·stepScale per second.
 * The plate setpoint is integrated, clamped above the plate interlock, and held by a PI plate loop.
 */
export const PELTIER_FUZZY_FLL = `Engine: peltier_fuzzy_pi
InputVariable: e
  enabled: true
  range: -1.000 1.000
  lock-range: true
  term: N Ramp 0.000 -1.000
  term: Z Triangle -1.000 0.000 1.000
  term: P Ramp 0.000 1.000
InputVariable: de
  enabled: true
  range: -1.000 1.000
  lock-range: true
  term: N Ramp 0.000 -1.000
  term: Z Triangle -1.000 0.000 1.000
  term: P Ramp 0.000 1.000
OutputVariable: dplate
  enabled: true
  range: -1.000 1.000
  lock-range: false
  aggregation: none
  defuzzifier: WeightedAverage TakagiSugeno
  default: 0.000
  lock-previous: false
  term: NB Constant -1.000
  term: NS Constant -0.400
  term: Z Constant 0.000
  term: PS Constant 0.400
  term: PB Constant 1.000
RuleBlock: pi
  enabled: true
  conjunction: Minimum
  disjunction: Maximum
  implication: none
  activation: General
  rule: if e is N and de is N then dplate is NB
  rule: if e is N and de is Z then dplate is NS
  rule: if e is N and de is P then dplate is Z
  rule: if e is Z and de is N then dplate is NS
  rule: if e is Z and de is Z then dplate is Z
  rule: if e is Z and de is P then dplate is PS
  rule: if e is P and de is N then dplate is Z
  rule: if e is P and de is Z then dplate is PS
  rule: if e is P and de is P then dplate is PB
`;

export interface FuzzyLawOptions {
  readonly errorScale_K: number;
  readonly rateScale_Kps: number;
  readonly stepScale_K: number;
  readonly inner: { kp: number; ki: number; kd: number };
  readonly plateMin_C: number;
  readonly plateMax_C: number;
  readonly plateStart_C: number;
  readonly currentBias_A: number;
  readonly Imin_A: number;
  readonly Imax_A: number;
  readonly Ts: number;
}

export class FuzzyPlateLaw implements PeltierLaw {
  readonly engine: CompiledEngine;
  readonly inner: Pid;
  private readonly x = new Float64Array(2);
  private readonly y = new Float64Array(1);
  private plateRef = 0;
  private prevEst = NaN;
  private prevT = NaN;

  constructor(private readonly o: FuzzyLawOptions) {
    this.engine = compile(readFll(PELTIER_FUZZY_FLL, 'peltier-fuzzy'));
    this.inner = new Pid({ ...o.inner, outMin: o.Imin_A, outMax: o.Imax_A, bias: o.currentBias_A, direction: 'reverse', Ts_s: o.Ts });
    this.reset();
  }

  reset(): void {
    this.plateRef = this.o.plateStart_C;
    this.prevEst = NaN;
    this.prevT = NaN;
    this.held = false;
    this.engine.reset();
    this.inner.setAuto();
    this.inner.reset();
  }

  private held = false;
  hold(I_A: number): void {
    this.held = true;
    this.inner.setManual(I_A);
  }
  release(): void {
    this.held = false;
    this.inner.setAuto();
  }

  current(T_ref_C: number, T_brain_est_C: number, T_plate_C: number, t: number): number {
    const o = this.o;
    const h = this.prevT === this.prevT ? t - this.prevT : o.Ts;
    const rate = this.prevEst === this.prevEst && h > 0 ? (T_brain_est_C - this.prevEst) / h : 0;
    this.prevEst = T_brain_est_C;
    this.prevT = t;
    this.x[0] = (T_ref_C - T_brain_est_C) / o.errorScale_K;
    this.x[1] = -rate / o.rateScale_Kps;
    this.engine.evaluate(this.x, this.y);
    // While an interlock holds the current, the plate setpoint is frozen too.
    let r = this.held ? this.plateRef : this.plateRef + this.y[0] * o.stepScale_K * h;
    r = r < o.plateMin_C ? o.plateMin_C : r > o.plateMax_C ? o.plateMax_C : r;
    this.plateRef = r;
    return this.inner.update(r, T_plate_C, t);
  }
}
