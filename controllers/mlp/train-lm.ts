import { CholeskyDecomposition, LuDecomposition, Matrix } from 'ml-matrix';
import { checkDataset, toUnitArrays, type Dataset } from './dataset.ts';
import { JacobianWorkspace } from './jacobian.ts';
import type { Mlp } from './network.ts';

/** Options of Levenberg–Marquardt training; defaults are MATLAB `trainlm`'s. */
export interface LmOptions {
  /** Maximum epochs (default 1000). */
  epochs?: number;
  /** Stop when the normalised MSE reaches this (default 0). */
  goal?: number;
  /** Initial damping μ (default 0.001). */
  mu?: number;
  /** μ factor after a successful step (default 0.1). */
  muDec?: number;
  /** μ factor after a failed step (default 10). */
  muInc?: number;
  /** Stop when μ exceeds this (default 1e10). */
  muMax?: number;
  /** Stop when ‖Jᵀe‖ falls below this (default 1e-7). */
  minGrad?: number;
  /** Called after every epoch with the normalised MSE and μ. */
  onEpoch?: (epoch: number, mse: number, mu: number) => void;
}

export interface TrainResult {
  /** Normalised-unit MSE before training and after each epoch. */
  readonly mseHistory: number[];
  readonly epochs: number;
  readonly stop: 'epochs' | 'goal' | 'min-gradient' | 'mu-max';
}

/**
 * Levenberg–Marquardt (Hagan & Menhaj 1994): Δw = (JᵀJ + μI)⁻¹ Jᵀe, with μ decreased by `muDec`
 * after a step that lowers the error and increased by `muInc` (retrying the step) otherwise.
 * The network's scaling must already be set (see `fitScaling`); its weights are updated in place.
 */
export function trainLm(net: Mlp, data: Dataset, options: LmOptions = {}): TrainResult {
  checkDataset(net, data);
  const epochs = options.epochs ?? 1000;
  const goal = options.goal ?? 0;
  let mu = options.mu ?? 0.001;
  const muDec = options.muDec ?? 0.1;
  const muInc = options.muInc ?? 10;
  const muMax = options.muMax ?? 1e10;
  const minGrad = options.minGrad ?? 1e-7;

  const { x, t, N } = toUnitArrays(net, data);
  const P = net.weights.length;
  const rows = N * net.nOutputs;
  const J = new Float64Array(rows * P);
  const y = new Float64Array(rows);
  const e = new Float64Array(rows);
  const trial = new Float64Array(P);
  const jte = new Float64Array(P);
  const ws = new JacobianWorkspace(net);

  const perfOf = (w: Float64Array): number => {
    let s = 0;
    for (let n = 0; n < N; n++) {
      const a0 = net.activations[0];
      for (let j = 0; j < net.nInputs; j++) a0[j] = x[n * net.nInputs + j];
      const out = net.forwardUnit(w);
      for (let k = 0; k < out.length; k++) s += (t[n * net.nOutputs + k] - out[k]) ** 2;
    }
    return s / rows;
  };

  let perf = perfOf(net.weights);
  const mseHistory = [perf];
  let stop: TrainResult['stop'] = 'epochs';
  let epoch = 0;
  for (; epoch < epochs; epoch++) {
    if (perf <= goal) {
      stop = 'goal';
      break;
    }
    ws.compute(net.weights, x, N, J, y);
    for (let r = 0; r < rows; r++) e[r] = t[r] - y[r];
    // Jᵀe for the gradient test; the step is solved in whichever of the two equivalent forms is smaller.
    jte.fill(0);
    for (let r = 0; r < rows; r++) {
      const er = e[r];
      for (let a = 0; a < P; a++) jte[a] += J[r * P + a] * er;
    }
    let gradNorm = 0;
    for (let a = 0; a < P; a++) gradNorm += jte[a] * jte[a];
    const step = makeStepSolver(J, e, rows, P, jte);
    if (Math.sqrt(gradNorm) < minGrad) {
      stop = 'min-gradient';
      break;
    }
    let improved = false;
    while (mu <= muMax) {
      const dw = step(mu);
      for (let a = 0; a < P; a++) trial[a] = net.weights[a] + dw[a];
      const perf2 = perfOf(trial);
      if (Number.isFinite(perf2) && perf2 < perf) {
        net.weights.set(trial);
        perf = perf2;
        mu = Math.max(mu * muDec, 1e-20);
        improved = true;
        break;
      }
      mu *= muInc;
    }
    mseHistory.push(perf);
    options.onEpoch?.(epoch + 1, perf, mu);
    if (!improved) {
      stop = 'mu-max';
      epoch++;
      break;
    }
  }
  if (stop === 'epochs' && perf <= goal) stop = 'goal';
  return { mseHistory, epochs: epoch, stop };
}

/**
 * Returns μ ↦ Δw = (JᵀJ + μI)⁻¹Jᵀe. With fewer error rows than weights (tiny data sets such as the
 * rat table) the push-through identity Δw = Jᵀ(JJᵀ + μI)⁻¹e solves a rows×rows system instead of a
 * P×P one; both are the same step.
 */
function makeStepSolver(J: Float64Array, e: Float64Array, rows: number, P: number, jte: Float64Array): (mu: number) => Float64Array {
  const out = new Float64Array(P);
  const small = rows < P;
  const n = small ? rows : P;
  const G = new Float64Array(n * n);
  if (small) {
    for (let r = 0; r < rows; r++) {
      for (let q = r; q < rows; q++) {
        let s = 0;
        for (let a = 0; a < P; a++) s += J[r * P + a] * J[q * P + a];
        G[r * n + q] = s;
        G[q * n + r] = s;
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const base = r * P;
      for (let a = 0; a < P; a++) {
        const ja = J[base + a];
        if (ja === 0) continue;
        for (let b = a; b < P; b++) G[a * n + b] += ja * J[base + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) G[a * n + b] = G[b * n + a];
  }
  const rhs = Matrix.columnVector(Array.from(small ? e.subarray(0, rows) : jte));
  return (mu) => {
    const A = new Matrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) A.set(a, b, G[a * n + b] + (a === b ? mu : 0));
    }
    const z = solveSpd(A, rhs);
    if (small) {
      out.fill(0);
      for (let r = 0; r < rows; r++) {
        const zr = z.get(r, 0);
        for (let a = 0; a < P; a++) out[a] += J[r * P + a] * zr;
      }
    } else {
      for (let a = 0; a < P; a++) out[a] = z.get(a, 0);
    }
    return out;
  };
}

/** JᵀJ + μI is symmetric positive definite for μ > 0; LU is the fallback when rounding breaks that. */
function solveSpd(A: Matrix, b: Matrix): Matrix {
  const chol = new CholeskyDecomposition(A);
  if (chol.isPositiveDefinite()) return chol.solve(b);
  return new LuDecomposition(A).solve(b);
}
