import { UserError } from '../../errors/user-error.ts';
import { mfAddGradient, mfRepair, mfValue } from './membership.ts';
import type { AnfisModel } from './model.ts';

/** Training pairs: inputs row by row, one target per row. */
export interface AnfisData {
  readonly inputs: readonly (readonly number[])[];
  readonly targets: readonly number[];
}

/** Options of hybrid learning; defaults are MATLAB `anfis`'s. */
export interface HybridOptions {
  /** Epochs (default 10). */
  epochs?: number;
  /** Stop once the training RMSE reaches this (default 0). */
  errorGoal?: number;
  /** Initial step size (default 0.01). */
  stepSize?: number;
  /** Step factor after two up-down alternations of the error (default 0.9). */
  stepDecrease?: number;
  /** Step factor after four consecutive error decreases (default 1.1). */
  stepIncrease?: number;
  /** Checking data: its RMSE is recorded and the model of its best epoch returned. */
  check?: AnfisData;
  /** Called after every epoch. */
  onEpoch?: (e: EpochReport) => void;
}

export interface EpochReport {
  epoch: number;
  trainRmse: number;
  checkRmse: number | undefined;
  stepSize: number;
}

export interface HybridResult {
  /** The model of the epoch with the lowest training RMSE (MATLAB's first output). */
  model: AnfisModel;
  /** The model of the epoch with the lowest checking RMSE, when checking data was given. */
  checkModel: AnfisModel | undefined;
  trainRmse: number[];
  checkRmse: number[];
  /** Step size used in each epoch. */
  stepSizes: number[];
  bestTrainEpoch: number;
  bestCheckEpoch: number | undefined;
}

/** RLS initial covariance S = γI (MATLAB's anfisKalman, reset at every epoch). */
const GAMMA = 1e6;

/**
 * Jang's hybrid learning, epoch by epoch as MATLAB's `anfis` (hybrid method):
 *  1. forward pass: firing strengths with the current premise; the consequents are the recursive
 *     least-squares solution over the whole training set, starting from S = γI, θ = 0;
 *  2. the training (and checking) RMSE with these consequents is recorded; the parameters are kept
 *     if the error is the lowest so far;
 *  3. backward pass: ∂E/∂premise summed over the data, then p ← p − ss·g/‖g‖₂;
 *  4. step size: ×stepDecrease after an error pattern down-up-down-up over the last five epochs,
 *     else ×stepIncrease after four consecutive decreases, each at most every fourth epoch.
 * The model passed in is trained in place; the returned models are snapshots.
 */
export function trainHybrid(model: AnfisModel, data: AnfisData, options: HybridOptions = {}): HybridResult {
  const epochs = hybridEpochs(model, data, options);
  let step = epochs.next();
  while (!step.done) step = epochs.next(false);
  return step.value;
}

/**
 * `trainHybrid` one epoch at a time: yields after every epoch; `next(true)` ends the training there
 * and returns the result of the epochs done (a caller that must stay responsive — Ctrl-C between
 * epochs — drives it and yields to the event loop in between).
 */
export function* hybridEpochs(model: AnfisModel, data: AnfisData, options: HybridOptions = {}): Generator<EpochReport, HybridResult, boolean> {
  const epochs = options.epochs ?? 10;
  const goal = options.errorGoal ?? 0;
  let ss = options.stepSize ?? 0.01;
  const ssDec = options.stepDecrease ?? 0.9;
  const ssInc = options.stepIncrease ?? 1.1;
  const N = data.inputs.length;
  const n = model.nInputs;
  const R = model.nRules;
  const K = model.nCoef;
  const P = R * K;

  // Per-sample firing strengths of this epoch's forward pass.
  const nMf = model.inputs.reduce((s, v) => s + v.mfs.length, 0);
  const mfBase: number[] = [];
  model.inputs.reduce((s, v) => (mfBase.push(s), s + v.mfs.length), 0);
  const mu = new Float64Array(N * nMf);
  const w = new Float64Array(N * R);
  const wsum = new Float64Array(N);
  const ruleMf = new Int32Array(R * n); // flat index into mu per (rule, input)
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) ruleMf[r * n + i] = mfBase[i] + model.rules[r][i];
  const mfInput = new Int32Array(nMf);
  const mfRef: { type: AnfisModel['inputs'][0]['mfs'][0]['type']; offset: number }[] = [];
  model.inputs.forEach((v, i) => v.mfs.forEach((m, k) => ((mfInput[mfBase[i] + k] = i), mfRef.push(m))));

  const S = new Float64Array(P * P);
  const theta = new Float64Array(P);
  const a = new Float64Array(P);
  const Sa = new Float64Array(P);
  const grad = new Float64Array(model.nPremise);
  const dEdmu = new Float64Array(nMf);
  const f = new Float64Array(R);

  const trainRmse: number[] = [];
  const checkRmse: number[] = [];
  const stepSizes: number[] = [];
  let best = model.clone();
  let bestErr = Infinity;
  let bestEpoch = 0;
  let bestCheck: AnfisModel | undefined;
  let bestCheckErr = Infinity;
  let bestCheckEpoch: number | undefined;
  let lastDec = 0;
  let lastInc = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    // 1. Forward pass to layer 3 and recursive least squares for the consequents.
    S.fill(0);
    for (let p = 0; p < P; p++) S[p * P + p] = GAMMA;
    theta.fill(0);
    for (let j = 0; j < N; j++) {
      const x = data.inputs[j];
      for (let m = 0; m < nMf; m++) mu[j * nMf + m] = mfValue(mfRef[m].type, model.premise, mfRef[m].offset, x[mfInput[m]]);
      let sum = 0;
      for (let r = 0; r < R; r++) {
        let prod = 1;
        for (let i = 0; i < n; i++) prod *= mu[j * nMf + ruleMf[r * n + i]];
        w[j * R + r] = prod;
        sum += prod;
      }
      // No rule fires: the normalised strengths are 0/0 and least squares would turn to NaN.
      if (!(sum > 0)) throw new NoRuleFiresError(j, epoch + 1);
      wsum[j] = sum;
      for (let r = 0; r < R; r++) {
        const wn = w[j * R + r] / sum;
        if (K === 1) a[r] = wn;
        else {
          for (let i = 0; i < n; i++) a[r * K + i] = wn * x[i];
          a[r * K + n] = wn;
        }
      }
      rlsUpdate(S, theta, a, Sa, P, data.targets[j]);
    }
    model.consequent.set(theta);

    // 2. Errors with the new consequents; 3. premise gradient.
    grad.fill(0);
    let sse = 0;
    for (let j = 0; j < N; j++) {
      const x = data.inputs[j];
      const sum = wsum[j];
      let y = 0;
      for (let r = 0; r < R; r++) {
        f[r] = model.ruleOutput(r, x);
        y += (w[j * R + r] / sum) * f[r];
      }
      const e = data.targets[j] - y;
      sse += e * e;
      const dEdy = -2 * e;
      dEdmu.fill(0);
      for (let r = 0; r < R; r++) {
        const dEdw = (dEdy * (f[r] - y)) / sum;
        for (let i = 0; i < n; i++) {
          let others = 1;
          for (let k = 0; k < n; k++) if (k !== i) others *= mu[j * nMf + ruleMf[r * n + k]];
          dEdmu[ruleMf[r * n + i]] += dEdw * others;
        }
      }
      for (let m = 0; m < nMf; m++) {
        if (dEdmu[m] === 0) continue;
        const ref = mfRef[m];
        mfAddGradient(ref.type, model.premise, ref.offset, x[mfInput[m]], mu[j * nMf + m], dEdmu[m], grad);
      }
    }
    const err = Math.sqrt(sse / N);
    trainRmse.push(err);
    let chk: number | undefined;
    if (options.check) {
      chk = rmse(model, options.check);
      checkRmse.push(chk);
    }
    if (err < bestErr) {
      bestErr = err;
      bestEpoch = epoch + 1;
      best = model.clone();
    }
    if (chk !== undefined && chk < bestCheckErr) {
      bestCheckErr = chk;
      bestCheckEpoch = epoch + 1;
      bestCheck = model.clone();
    }
    stepSizes.push(ss);
    const report = { epoch: epoch + 1, trainRmse: err, checkRmse: chk, stepSize: ss };
    options.onEpoch?.(report);
    if (bestErr <= goal) break;
    if (epoch + 1 < epochs && (yield report)) break;

    // 3. Premise step along the normalised gradient.
    let len = 0;
    for (let p = 0; p < grad.length; p++) len += grad[p] * grad[p];
    len = Math.sqrt(len);
    if (len > 0) {
      for (let p = 0; p < grad.length; p++) model.premise[p] -= (ss * grad[p]) / len;
      for (const m of mfRef) mfRepair(m.type, model.premise, m.offset);
    }

    // 4. Step-size rules on the training-error history.
    const E = trainRmse;
    const i = epoch;
    if (i - lastDec >= 4 && E[i] < E[i - 1] && E[i - 1] > E[i - 2] && E[i - 2] < E[i - 3] && E[i - 3] > E[i - 4] && ssDec !== 1) {
      ss *= ssDec;
      lastDec = i;
    } else if (i - lastInc >= 4 && E[i] < E[i - 1] && E[i - 1] < E[i - 2] && E[i - 2] < E[i - 3] && E[i - 3] < E[i - 4] && ssInc !== 1) {
      ss *= ssInc;
      lastInc = i;
    }
  }
  model.copyParameters(best);
  return { model: best, checkModel: bestCheck, trainRmse, checkRmse, stepSizes, bestTrainEpoch: bestEpoch, bestCheckEpoch };
}

/** A training row for which every rule's firing strength is 0 (its inputs lie outside every rule's premise): the data's to fix. */
export class NoRuleFiresError extends UserError {
  constructor(
    /** 0-based index of the training row. */
    readonly row: number,
    readonly epoch: number,
  ) {
    super(`no rule fires for training row ${row + 1} at epoch ${epoch}: its inputs lie outside every rule's membership functions (use wider or more membership functions, or larger subtractive-clustering radii)`);
    this.name = 'NoRuleFiresError';
  }
}

/**
 * One step of recursive least squares (λ = 1): K = S·a/(1 + aᵀS·a), θ ← θ + K(y − aᵀθ),
 * S ← S − K(S·a)ᵀ. S stays symmetric; only flat typed arrays, no allocation.
 */
function rlsUpdate(S: Float64Array, theta: Float64Array, a: Float64Array, Sa: Float64Array, P: number, y: number): void {
  let denom = 1;
  let pred = 0;
  for (let p = 0; p < P; p++) {
    let s = 0;
    const row = p * P;
    for (let q = 0; q < P; q++) s += S[row + q] * a[q];
    Sa[p] = s;
    denom += a[p] * s;
    pred += a[p] * theta[p];
  }
  const err = y - pred;
  for (let p = 0; p < P; p++) {
    const kp = Sa[p] / denom;
    theta[p] += kp * err;
    const row = p * P;
    for (let q = 0; q < P; q++) S[row + q] -= kp * Sa[q];
  }
}

/** Root-mean-square error of the model (MATLAB semantics) on a data set. */
export function rmse(model: AnfisModel, data: AnfisData): number {
  let s = 0;
  for (let j = 0; j < data.inputs.length; j++) s += (data.targets[j] - model.evaluate(data.inputs[j])) ** 2;
  return Math.sqrt(s / data.inputs.length);
}

/** Average percentage error, Jang's APE = (1/P)·Σ|T − O|/|T|·100 %. */
export function ape(model: AnfisModel, data: AnfisData): number {
  let s = 0;
  for (let j = 0; j < data.inputs.length; j++) s += Math.abs(data.targets[j] - model.evaluate(data.inputs[j])) / Math.abs(data.targets[j]);
  return (100 * s) / data.inputs.length;
}
