import type { Plant, PlantFactory, Rng, SignalInfo } from '../plant.ts';

/**
 * First order plus dead time (FOPDT), the standard test process of relay autotuning:
 *   G(s) = K·e^(−θs)/(τs + 1),  τ·ẏ(t) = K·u(t − θ) − y(t)
 *
 * The dead time is an exact delay line of the applied input, not a Padé or lag approximation.
 * The plant object keeps a ring buffer of (step end time, input) pairs, pushed by `constrain()`
 * after every integration step; before each step the input that was applied θ seconds earlier is
 * looked up and held for the whole step (the simulator's inputs are piecewise constant over a
 * step, so with θ a whole multiple of dt the delay is exact). Before t = θ the plant sees
 * `u_pre_in`. The buffer is the one piece of run state kept in the model rather than in the
 * state vector (θ/dt states would become θ/dt CSV columns); `initialState()` clears it, so build
 * one plant per run, as buildRun does.
 *
 * Ultimate gain and period (what the relay experiment estimates), in closed form:
 *   ωu solves atan(ωu·τ) + ωu·θ = π,  Pu = 2π/ωu,  Ku = √(1 + ωu²τ²)/K.
 */
export interface FopdtParams {
  K: number;
  tau_s: number;
  theta_s: number;
  y0: number;
  /** Input assumed applied before t = 0 (what the delay line releases first). */
  u_pre_in: number;
  noise_sigma: number;
}

export class FopdtPlant implements Plant {
  readonly states: readonly SignalInfo[] = [{ name: 'y', unit: '1', description: 'process output' }];
  readonly inputs: readonly SignalInfo[] = [{ name: 'u_in', unit: '1', description: 'process input (before the dead time)' }];
  readonly outputs: readonly SignalInfo[] = [{ name: 'y_out', unit: '1', description: 'measured output' }];
  private times = new Float64Array(1024);
  private values = new Float64Array(1024);
  private head = 0;
  private count = 0;
  private uDelayed = 0;

  constructor(readonly p: Readonly<FopdtParams>) {
    if (!(p.tau_s > 0)) throw new Error(`fopdt: tau_s must be > 0 (got ${p.tau_s})`);
    if (!(p.theta_s >= 0)) throw new Error(`fopdt: theta_s must be ≥ 0 (got ${p.theta_s})`);
  }

  initialState(): Float64Array {
    this.head = 0;
    this.count = 0;
    this.uDelayed = this.p.u_pre_in;
    return Float64Array.of(this.p.y0);
  }

  derivatives(_t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void {
    const uEff = this.p.theta_s > 0 ? this.uDelayed : u[0];
    dx[0] = (this.p.K * uEff - x[0]) / this.p.tau_s;
  }

  /** Pushes the input of the step that just ended and selects the delayed input for the next step. */
  constrain(t1: number, _x: Float64Array, u: Float64Array): void {
    if (this.p.theta_s <= 0) return;
    this.push(t1, u[0]);
    const tau = t1 - this.p.theta_s;
    const eps = 1e-9 * (1 + Math.abs(t1));
    if (tau < -eps) {
      this.uDelayed = this.p.u_pre_in;
      return;
    }
    // Drop steps that ended at or before t1 − θ; the oldest remaining step covers t1 − θ.
    const cap = this.times.length;
    while (this.count > 1 && this.times[this.head] <= tau + eps) {
      this.head = (this.head + 1) % cap;
      this.count--;
    }
    this.uDelayed = this.values[this.head];
  }

  measure(_t: number, x: Float64Array, _u: Float64Array, y: Float64Array, noise: Rng): void {
    y[0] = this.p.noise_sigma > 0 ? x[0] + this.p.noise_sigma * noise.gaussian() : x[0];
  }

  private push(t: number, v: number): void {
    if (this.count === this.times.length) this.grow();
    const i = (this.head + this.count) % this.times.length;
    this.times[i] = t;
    this.values[i] = v;
    this.count++;
  }

  /** Doubles the ring buffer (amortised; only while the buffer fills to θ/dt entries). */
  private grow(): void {
    const n = this.times.length;
    const t = new Float64Array(2 * n);
    const v = new Float64Array(2 * n);
    for (let k = 0; k < this.count; k++) {
      t[k] = this.times[(this.head + k) % n];
      v[k] = this.values[(this.head + k) % n];
    }
    this.times = t;
    this.values = v;
    this.head = 0;
  }
}

const defaults: FopdtParams = { K: 1, tau_s: 1, theta_s: 0.3, y0: 0, u_pre_in: 0, noise_sigma: 0 };

export const fopdtFactory: PlantFactory = {
  name: 'fopdt',
  description: 'first order plus dead time K·e^(−θs)/(τs+1), exact delay line (relay autotuning test plant)',
  parameterSets: ['default'],
  defaults() {
    return { ...defaults };
  },
  create(params) {
    return new FopdtPlant(params as unknown as FopdtParams);
  },
};
