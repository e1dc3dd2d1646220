import type { Plant, PlantFactory, Rng, SignalInfo } from '../plant.ts';

/**
 * Reference plants with closed-form responses, used to check controllers and the simulator:
 *   first order:  τ·ẏ = K·u − y      (tau_s > 0; a negative τ gives an unstable plant)
 *   integrator:   ẏ = K·u            (set integrator = 1)
 * Output y is measured directly as `y_out` (unit-less), with optional Gaussian noise.
 */
export interface FirstOrderParams {
  K: number;
  tau_s: number;
  integrator: number;
  y0: number;
  noise_sigma: number;
}

export class FirstOrderPlant implements Plant {
  readonly states: readonly SignalInfo[] = [{ name: 'y', unit: '1' }];
  readonly inputs: readonly SignalInfo[] = [{ name: 'u_in', unit: '1' }];
  readonly outputs: readonly SignalInfo[] = [{ name: 'y_out', unit: '1' }];
  constructor(readonly p: Readonly<FirstOrderParams>) {}
  initialState(): Float64Array {
    return Float64Array.of(this.p.y0);
  }
  derivatives(_t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void {
    dx[0] = this.p.integrator ? this.p.K * u[0] : (this.p.K * u[0] - x[0]) / this.p.tau_s;
  }
  measure(_t: number, x: Float64Array, _u: Float64Array, y: Float64Array, noise: Rng): void {
    y[0] = this.p.noise_sigma > 0 ? x[0] + this.p.noise_sigma * noise.gaussian() : x[0];
  }
}

const defaults: FirstOrderParams = { K: 1, tau_s: 1, integrator: 0, y0: 0, noise_sigma: 0 };

export const firstOrderFactory: PlantFactory = {
  name: 'first-order',
  description: 'first-order lag or pure integrator with closed-form responses (reference plant)',
  parameterSets: ['default'],
  defaults() {
    return { ...defaults };
  },
  create(params) {
    return new FirstOrderPlant(params as unknown as FirstOrderParams);
  },
};
