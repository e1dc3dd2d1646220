import { gaussianJitter, smoteRegression, type Sample } from '../augment/index.ts';
import { fitScaling, mse, type Dataset } from './dataset.ts';
import { initNguyenWidrow } from './init.ts';
import { Mlp } from './network.ts';
import type { UniformRng } from './rng.ts';
import { trainLm } from './train-lm.ts';

/**
 * Rat brain-temperature estimator (Demirel & Erkal 2009): brain temperature T_B from rectal
 * temperature T_R, a linear fit against a 1-8-8-1 tansig/linear MLP trained by Levenberg–Marquardt
 * on the odd-numbered samples and tested on the even-numbered ones.
 */
export interface RatSample {
  readonly sample: number;
  readonly rectal_C: number;
  readonly brain_C: number;
  readonly set: 'train' | 'test';
}

/** The paper's fitted line T_B = 1.695·T_R − 26.8 [S]. */
export function paperLine(rectal_C: number): number {
  return 1.695 * rectal_C - 26.8;
}

export const RAT_MLP_SIZES = [1, 8, 8, 1] as const;

export function toDataset(rows: readonly RatSample[]): Dataset {
  return { inputs: rows.map((r) => [r.rectal_C]), targets: rows.map((r) => [r.brain_C]) };
}

/** Ordinary least-squares line through (T_R, T_B). */
export function leastSquaresLine(rows: readonly RatSample[]): { slope: number; intercept: number } {
  const n = rows.length;
  const mx = rows.reduce((s, r) => s + r.rectal_C, 0) / n;
  const my = rows.reduce((s, r) => s + r.brain_C, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const r of rows) {
    sxy += (r.rectal_C - mx) * (r.brain_C - my);
    sxx += (r.rectal_C - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export function lineMse(rows: readonly RatSample[], f: (rectal_C: number) => number): number {
  return rows.reduce((s, r) => s + (f(r.rectal_C) - r.brain_C) ** 2, 0) / rows.length;
}

/** One LM-trained 1-8-8-1 network on `train` (scaling fitted to the original training rows). */
export function trainRatMlp(train: Dataset, rng: UniformRng, scalingFrom: Dataset = train, epochs = 1000): Mlp {
  const net = new Mlp(RAT_MLP_SIZES);
  fitScaling(net, scalingFrom);
  initNguyenWidrow(net, rng);
  trainLm(net, train, { epochs });
  return net;
}

export type Augmentation = 'none' | 'smote' | 'jitter';

/** Adds `factor`×n synthetic samples to the training set (the originals are kept). */
export function augment(train: Dataset, kind: Augmentation, rng: UniformRng, factor = 3): Dataset {
  if (kind === 'none') return train;
  const samples: Sample[] = train.inputs.map((x, i) => ({ x, y: train.targets[i] }));
  const count = factor * samples.length;
  const extra = kind === 'smote' ? smoteRegression(samples, rng, { count, k: 2 }) : gaussianJitter(samples, rng, { count });
  return {
    inputs: [...train.inputs, ...extra.map((s) => s.x)],
    targets: [...train.targets, ...extra.map((s) => s.y)],
  };
}

export interface Quantiles {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

export function quantiles(values: readonly number[]): Quantiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    const i = p * (v.length - 1);
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return v[lo] + (i - lo) * (v[hi] - v[lo]);
  };
  return { n: v.length, min: v[0], q1: at(0.25), median: at(0.5), q3: at(0.75), max: v[v.length - 1], mean: v.reduce((s, x) => s + x, 0) / v.length };
}

export interface RatStudy {
  paperLineTestMse: number;
  lsLine: { slope: number; intercept: number; testMse: number };
  /** Test MSE of the MLP per seed, for each augmentation. */
  mlpTestMse: Record<Augmentation, number[]>;
  summary: Record<Augmentation, Quantiles>;
  /** Seeds on which each augmentation beat the plain MLP. */
  wins: Record<Exclude<Augmentation, 'none'>, number>;
}

/**
 * The whole study: both lines and, per seed, the plain MLP and the MLP trained on SMOTE- and
 * jitter-augmented sets (same initial weights for all three). `makeRng(seed, stream)` supplies
 * independent random streams.
 */
export function ratStudy(
  rows: readonly RatSample[],
  seeds: readonly number[],
  makeRng: (seed: number, stream: number) => UniformRng,
  kinds: readonly Augmentation[] = ['none', 'smote', 'jitter'],
): RatStudy {
  const study = ratStudySeeds(rows, seeds, makeRng, kinds);
  let step = study.next();
  while (!step.done) step = study.next(false);
  return step.value;
}

/**
 * `ratStudy` one seed at a time: yields the number of seeds done; `next(true)` ends the study there
 * and returns it over the seeds done (the CLI lets Ctrl-C in between seeds).
 */
export function* ratStudySeeds(
  rows: readonly RatSample[],
  seeds: readonly number[],
  makeRng: (seed: number, stream: number) => UniformRng,
  kinds: readonly Augmentation[] = ['none', 'smote', 'jitter'],
): Generator<number, RatStudy, boolean> {
  const trainRows = rows.filter((r) => r.set === 'train');
  const testRows = rows.filter((r) => r.set === 'test');
  const train = toDataset(trainRows);
  const test = toDataset(testRows);
  const ls = leastSquaresLine(trainRows);
  const mlpTestMse = { none: [], smote: [], jitter: [] } as Record<Augmentation, number[]>;
  for (let i = 0; i < seeds.length; i++) {
    for (const kind of kinds) {
      const data = augment(train, kind, makeRng(seeds[i], 1));
      const net = trainRatMlp(data, makeRng(seeds[i], 0), train);
      mlpTestMse[kind].push(mse(net, test));
    }
    if (i + 1 < seeds.length && (yield i + 1)) break;
  }
  const summary = {} as Record<Augmentation, Quantiles>;
  for (const kind of kinds) summary[kind] = quantiles(mlpTestMse[kind]);
  const wins = { smote: 0, jitter: 0 };
  for (const kind of ['smote', 'jitter'] as const) {
    if (!kinds.includes(kind) || !kinds.includes('none')) continue;
    wins[kind] = mlpTestMse[kind].filter((v, i) => v < mlpTestMse.none[i]).length;
  }
  return {
    paperLineTestMse: lineMse(testRows, paperLine),
    lsLine: { ...ls, testMse: lineMse(testRows, (x) => ls.slope * x + ls.intercept) },
    mlpTestMse,
    summary,
    wins,
  };
}
