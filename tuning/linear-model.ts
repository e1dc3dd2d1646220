import { Matrix } from 'ml-matrix';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { Maglev } from '../plants/maglev/maglev.ts';
import { FirstOrderPlant } from '../plants/linear/first-order.ts';

/**
 * A continuous-time linear model ẋ = A·x + B·u, y = C·x of the loop the controller sees: from
 * its command (engineering units, before the actuator converter) to its measured input
 * (engineering units, after the sensor calibration; quantisation ignored), about an operating
 * point. Only plants with a known equilibrium have one: maglev in current mode (its
 * `linearize(x)` about the reference gap) and the first-order reference plant.
 */
export interface LinearModel {
  readonly A: Matrix;
  readonly B: Matrix;
  readonly C: Matrix;
  /** Operating point, for the report. */
  readonly point: Record<string, number>;
  readonly source: string;
}

const zeroRng = { uniform: () => 0.5, gaussian: () => 0 };

export function linearModel(built: BuiltRun): LinearModel | undefined {
  const { plant, scenario } = built;
  if (built.sensors.length !== 1 || built.actuators.length !== 1) return undefined;
  const ref = scenario.references.find((r) => r.name === built.controller.references[0]);
  const r = ref ? finalValue(ref) : undefined;
  if (r === undefined) return undefined;
  let A: Matrix, B: Matrix, x0: Float64Array, u0: number, point: Record<string, number>, source: string;
  if (plant instanceof Maglev && plant.mode === 'current') {
    const metricOut = scenario.metrics?.output;
    if (metricOut !== 'x_m') return undefined;
    const lin = plant.linearize(r);
    const m = plant.p.m_kg;
    A = new Matrix([[0, 1], [lin.dFdx_Npm / m, -plant.p.kv_Nspm / m]]);
    B = new Matrix([[0], [-lin.dFdi_NpA / m]]);
    x0 = Float64Array.of(r, 0);
    u0 = lin.i_eq_A;
    point = { x_m: r, i_eq_A: lin.i_eq_A, pole_radps: lin.pole_radps };
    source = 'maglev linearize(x) about the reference gap';
  } else if (plant instanceof FirstOrderPlant && !plant.p.integrator) {
    A = new Matrix([[-1 / plant.p.tau_s]]);
    B = new Matrix([[plant.p.K / plant.p.tau_s]]);
    x0 = Float64Array.of(r);
    u0 = r / plant.p.K;
    point = { y: r, u: u0 };
    source = 'first-order plant, exact';
  } else {
    return undefined;
  }
  // Measurement row by central differences of measure() (noise off), times the sensor calibration.
  const s = built.sensors[0];
  const n = x0.length;
  const y = new Float64Array(plant.outputs.length);
  const uVec = new Float64Array(plant.inputs.length);
  uVec[built.actuators[0].inputIndex] = u0;
  const C = new Matrix(1, n);
  for (let i = 0; i < n; i++) {
    const h = 1e-6 * Math.max(1e-3, Math.abs(x0[i]));
    const xp = Float64Array.from(x0);
    xp[i] += h;
    plant.measure(0, xp, uVec, y, zeroRng);
    const yp = y[s.outputIndex];
    xp[i] -= 2 * h;
    plant.measure(0, xp, uVec, y, zeroRng);
    C.set(0, i, (s.gain * (yp - y[s.outputIndex])) / (2 * h));
  }
  return { A, B, C, point, source };
}

function finalValue(ref: { type: string; [k: string]: unknown }): number | undefined {
  switch (ref.type) {
    case 'constant':
      return ref.value as number;
    case 'step':
      return ref.final as number;
    default:
      return undefined;
  }
}

/** Zero-order-hold discretisation: exp([[A, B], [0, 0]]·h) = [[Ad, Bd], [0, I]]. */
export function discretize(A: Matrix, B: Matrix, h: number): { Ad: Matrix; Bd: Matrix } {
  const n = A.rows;
  const m = B.columns;
  const M = new Matrix(n + m, n + m);
  M.setSubMatrix(A.clone().mul(h), 0, 0);
  M.setSubMatrix(B.clone().mul(h), 0, n);
  const E = expm(M);
  return { Ad: E.subMatrix(0, n - 1, 0, n - 1), Bd: E.subMatrix(0, n - 1, n, n + m - 1) };
}

/** Matrix exponential by scaling and squaring with a 20-term Taylor series (small, well-scaled matrices). */
export function expm(M: Matrix): Matrix {
  const norm = Math.max(...M.to2DArray().map((row) => row.reduce((a, v) => a + Math.abs(v), 0)));
  const squarings = Math.max(0, Math.ceil(Math.log2(norm / 0.5)));
  const X = M.clone().div(2 ** squarings);
  let term = Matrix.eye(M.rows);
  let sum = Matrix.eye(M.rows);
  for (let k = 1; k <= 20; k++) {
    term = term.mmul(X).div(k);
    sum = sum.add(term);
  }
  for (let s = 0; s < squarings; s++) sum = sum.mmul(sum);
  return sum;
}
