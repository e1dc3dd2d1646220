import type { Controller } from '../controller.ts';
import type { BrainEstimator } from './estimators.ts';
import type { Interlocks } from './interlocks.ts';

/** Signal names of the hypothermia scenarios. */
export const THERMAL_INPUTS = ['T_rectal_meas_C', 'T_plate_meas_C', 'T_sink_meas_C'] as const;
export const THERMAL_REFERENCES = ['T_brain_ref_C'] as const;
export const THERMAL_OUTPUTS = ['I_cmd_A', 'T_brain_est_cmd_C', 'alarm_cmd'] as const;

/** The law that turns the brain estimate into a Peltier current (PID cascade or fuzzy). */
export interface PeltierLaw {
  reset(): void;
  /** Current command (A, positive cools) from the brain target and estimate and the plate reading. */
  current(T_ref_C: number, T_brain_est_C: number, T_plate_C: number, t: number): number;
  /** An interlock overrides the output with `I_A`: track it (manual mode) instead of winding up. */
  hold(I_A: number): void;
  /** The interlock cleared: back to automatic without a bump. */
  release(): void;
}

/**
 * Hypothermia controller: estimator → control law → interlocks. While an interlock is active the
 * law tracks the current actually applied (bumpless, no wind-up), so it resumes from there. Besides the current it writes the
 * brain estimate and the interlock flags to the device's display/alarm outputs, so both land in
 * run.csv (columns display_T_brain_est_C and alarm_code) although the plant ignores them.
 */
export class PeltierController implements Controller {
  readonly inputs = THERMAL_INPUTS;
  readonly references = THERMAL_REFERENCES;
  readonly outputs = THERMAL_OUTPUTS;
  private lastI = 0;
  private held = false;

  constructor(
    readonly estimator: BrainEstimator,
    readonly law: PeltierLaw,
    readonly interlocks: Interlocks,
  ) {}

  reset(): void {
    this.estimator.reset();
    this.law.reset();
    this.interlocks.reset();
    this.lastI = 0;
    this.held = false;
  }

  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void {
    const TR = y[0];
    const TP = y[1];
    const TS = y[2];
    const TB = this.estimator.update(TR, TP, this.lastI, t);
    const I = this.interlocks.apply(this.law.current(ref[0], TB, TP, t), TR, TP, TS, TB);
    if (this.interlocks.flags !== 0) {
      this.law.hold(I);
      this.held = true;
    } else if (this.held) {
      this.law.release();
      this.held = false;
    }
    this.lastI = I;
    u[0] = I;
    u[1] = TB;
    u[2] = this.interlocks.flags;
  }
}
