import { checkDataset, toUnitArrays, type Dataset } from './dataset.ts';
import { JacobianWorkspace } from './jacobian.ts';
import type { Mlp } from './network.ts';
import type { TrainResult } from './train-lm.ts';

/** Options of gradient descent with momentum; defaults are MATLAB `traingdm`'s. */
export interface GdmOptions {
  /** Epochs (default 1000). */
  epochs?: number;
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Momentum constant (default 0.9). */
  mc?: number;
  /** Stop when the normalised MSE reaches this (default 0). */
  goal?: number;
  /** Stop when the gradient norm falls below this (default 1e-5, traingdm's min_grad). */
  minGrad?: number;
}

/**
 * Batch gradient descent with momentum (MATLAB `traingdm`): Δw ← mc·Δw − lr·(1 − mc)·∇E, with
 * E the sum of squared errors in normalised units. Updates the weights in place.
 */
export function trainGdm(net: Mlp, data: Dataset, options: GdmOptions = {}): TrainResult {
  checkDataset(net, data);
  const epochs = options.epochs ?? 1000;
  const lr = options.lr ?? 0.01;
  const mc = options.mc ?? 0.9;
  const goal = options.goal ?? 0;
  const minGrad = options.minGrad ?? 1e-5;
  const { x, t, N } = toUnitArrays(net, data);
  const P = net.weights.length;
  const rows = N * net.nOutputs;
  const J = new Float64Array(rows * P);
  const y = new Float64Array(rows);
  const grad = new Float64Array(P);
  const dw = new Float64Array(P);
  const ws = new JacobianWorkspace(net);
  const mseHistory: number[] = [];
  let stop: TrainResult['stop'] = 'epochs';
  let epoch = 0;
  for (; epoch <= epochs; epoch++) {
    ws.compute(net.weights, x, N, J, y);
    grad.fill(0);
    let sse = 0;
    for (let r = 0; r < rows; r++) {
      const e = t[r] - y[r];
      sse += e * e;
      // ∂E/∂w = −2·Σ e·∂y/∂w
      for (let a = 0; a < P; a++) grad[a] -= 2 * e * J[r * P + a];
    }
    mseHistory.push(sse / rows);
    if (sse / rows <= goal) {
      stop = 'goal';
      break;
    }
    let gn = 0;
    for (let a = 0; a < P; a++) gn += grad[a] * grad[a];
    if (Math.sqrt(gn) < minGrad) {
      stop = 'min-gradient';
      break;
    }
    if (epoch === epochs) break;
    for (let a = 0; a < P; a++) {
      dw[a] = mc * dw[a] - lr * (1 - mc) * grad[a];
      net.weights[a] += dw[a];
    }
  }
  return { mseHistory, epochs: Math.min(epoch, epochs), stop };
}
