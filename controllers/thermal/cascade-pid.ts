import { Pid } from '../pid/pid.ts';
import type { PeltierLaw } from './peltier-controller.ts';

export interface CascadeOptions {
  /** Outer loop: brain error (K) → plate setpoint (°C). */
  readonly outer: { kp: number; ki: number; kd: number };
  /** Inner loop: plate error (K) → current (A). */
  readonly inner: { kp: number; ki: number; kd: number };
  readonly plateMin_C: number;
  readonly plateMax_C: number;
  /** Plate temperature expected at the target (outer loop bias). */
  readonly plateBias_C: number;
  /** Current expected at the target (inner loop bias). */
  readonly currentBias_A: number;
  readonly Imin_A: number;
  readonly Imax_A: number;
  readonly Ts: number;
}

/**
 * PI(D) cascade (plants.md §3's sanity runs): the outer loop sets the plate temperature, kept above
 * the plate interlock, from the brain estimate; the inner loop drives the Peltier current to hold
 * the plate there. The plate reacts in tens of seconds, the brain in about a minute, the core in hours.
 */
export class CascadePid implements PeltierLaw {
  readonly outer: Pid;
  readonly inner: Pid;
  constructor(o: CascadeOptions) {
    this.outer = new Pid({ ...o.outer, outMin: o.plateMin_C, outMax: o.plateMax_C, bias: o.plateBias_C, direction: 'direct', Ts_s: o.Ts });
    this.inner = new Pid({ ...o.inner, outMin: o.Imin_A, outMax: o.Imax_A, bias: o.currentBias_A, direction: 'reverse', Ts_s: o.Ts });
  }
  reset(): void {
    // Pid.reset() keeps the mode; a new run starts in automatic.
    this.outer.setAuto();
    this.inner.setAuto();
    this.outer.reset();
    this.inner.reset();
  }
  hold(I_A: number): void {
    if (this.outer.isAuto) this.outer.setManual(this.outer.output);
    this.inner.setManual(I_A);
  }
  release(): void {
    this.outer.setAuto();
    this.inner.setAuto();
  }
  current(T_ref_C: number, T_brain_est_C: number, T_plate_C: number, t: number): number {
    const plateRef = this.outer.update(T_ref_C, T_brain_est_C, t);
    return this.inner.update(plateRef, T_plate_C, t);
  }
}
