import type { Plant } from '../plants/plant.ts';

export type IntegratorName = 'rk4' | 'euler';

/**
 * One fixed step of an explicit integrator. Work buffers are allocated once, at construction.
 * The step is given by its index k (t = k·dt) rather than a time: in V8 a non-inlined call with a
 * double argument boxes it on the heap, and this call happens at every plant step.
 */
export interface Integrator {
  step(plant: Plant, k: number, x: Float64Array, u: Float64Array): void;
}

export class EulerIntegrator implements Integrator {
  private readonly k: Float64Array;
  constructor(
    n: number,
    private readonly dt: number,
  ) {
    this.k = new Float64Array(n);
  }
  step(plant: Plant, k: number, x: Float64Array, u: Float64Array): void {
    const dt = this.dt;
    plant.derivatives(k * dt, x, u, this.k);
    for (let i = 0; i < x.length; i++) x[i] += dt * this.k[i];
  }
}

/** Classical fourth-order Runge–Kutta; inputs `u` are held constant over the step (zero-order hold). */
export class Rk4Integrator implements Integrator {
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly tmp: Float64Array;
  constructor(
    n: number,
    private readonly dt: number,
  ) {
    this.k1 = new Float64Array(n);
    this.k2 = new Float64Array(n);
    this.k3 = new Float64Array(n);
    this.k4 = new Float64Array(n);
    this.tmp = new Float64Array(n);
  }
  step(plant: Plant, k: number, x: Float64Array, u: Float64Array): void {
    const { k1, k2, k3, k4, tmp, dt } = this;
    const t = k * dt;
    const n = x.length;
    const h2 = dt / 2;
    plant.derivatives(t, x, u, k1);
    for (let i = 0; i < n; i++) tmp[i] = x[i] + h2 * k1[i];
    plant.derivatives(t + h2, tmp, u, k2);
    for (let i = 0; i < n; i++) tmp[i] = x[i] + h2 * k2[i];
    plant.derivatives(t + h2, tmp, u, k3);
    for (let i = 0; i < n; i++) tmp[i] = x[i] + dt * k3[i];
    plant.derivatives(t + dt, tmp, u, k4);
    const h6 = dt / 6;
    for (let i = 0; i < n; i++) x[i] += h6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
}

export function makeIntegrator(name: IntegratorName, n: number, dt: number): Integrator {
  return name === 'euler' ? new EulerIntegrator(n, dt) : new Rk4Integrator(n, dt);
}
