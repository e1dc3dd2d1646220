import { isAbsolute, resolve } from 'node:path';
import type { ControllerContext, ControllerFactory } from '../controller.ts';
import { ParamError, optionalNumber, optionalString, string } from '../params.ts';
import { CascadePid } from './cascade-pid.ts';
import { BrainObserver, LineEstimator, MlpEstimator, NOMINAL_BRAIN_NODE, type BrainEstimator } from './estimators.ts';
import { DEFAULT_LIMITS, Interlocks } from './interlocks.ts';
import { PeltierController } from './peltier-controller.ts';
import { FuzzyPlateLaw } from './fuzzy-law.ts';

/** `estimator`: 'line' (default), 'mlp' (needs `model`: an MLP JSON file) or 'dynamic'. */
function makeEstimator(p: Record<string, unknown>, ctx: ControllerContext): BrainEstimator {
  const kind = optionalString(p, 'estimator', ['line', 'mlp', 'dynamic']) ?? 'line';
  if (kind === 'line') return new LineEstimator(optionalNumber(p, 'lineSlope') ?? 1.695, optionalNumber(p, 'lineIntercept_C') ?? -26.8);
  if (kind === 'mlp') {
    const model = string(p, 'model');
    const file = isAbsolute(model) ? model : resolve(ctx.baseDir, model);
    try {
      return MlpEstimator.fromFile(file);
    } catch (e) {
      throw new ParamError('model', (e as Error).message);
    }
  }
  return new BrainObserver({
    C_B_JpK: optionalNumber(p, 'obs_C_B_JpK') ?? NOMINAL_BRAIN_NODE.C_B_JpK,
    q_B_W: optionalNumber(p, 'obs_q_B_W') ?? NOMINAL_BRAIN_NODE.q_B_W,
    w_B_WpK: optionalNumber(p, 'obs_w_B_WpK') ?? NOMINAL_BRAIN_NODE.w_B_WpK,
    G_BP_WpK: optionalNumber(p, 'obs_G_BP_WpK') ?? NOMINAL_BRAIN_NODE.G_BP_WpK,
    rectalFilter_s: optionalNumber(p, 'rectalFilter_s') ?? NOMINAL_BRAIN_NODE.rectalFilter_s,
  });
}

function makeInterlocks(p: Record<string, unknown>): Interlocks {
  return new Interlocks({
    plateMin_C: optionalNumber(p, 'plateMin_C') ?? DEFAULT_LIMITS.plateMin_C,
    sinkMax_C: optionalNumber(p, 'sinkMax_C') ?? DEFAULT_LIMITS.sinkMax_C,
    rectalMin_C: optionalNumber(p, 'rectalMin_C') ?? DEFAULT_LIMITS.rectalMin_C,
    brainStop_C: optionalNumber(p, 'brainStop_C') ?? DEFAULT_LIMITS.brainStop_C,
    hysteresis_C: optionalNumber(p, 'hysteresis_C') ?? DEFAULT_LIMITS.hysteresis_C,
  });
}

function currentLimits(p: Record<string, unknown>, ctx: ControllerContext): { Imin_A: number; Imax_A: number } {
  return { Imin_A: optionalNumber(p, 'Imin_A') ?? ctx.plantParams.I_min_A ?? -2, Imax_A: optionalNumber(p, 'Imax_A') ?? ctx.plantParams.I_max_A ?? 5.1 };
}

export const peltierPidFactory: ControllerFactory = {
  type: 'peltier-pid',
  description: 'hypothermia: brain estimator (line, MLP or dynamic observer) → PI cascade (plate setpoint, Peltier current) → safety interlocks',
  create(p, ctx) {
    const interlocks = makeInterlocks(p);
    const law = new CascadePid({
      outer: { kp: optionalNumber(p, 'outer_kp') ?? 4, ki: optionalNumber(p, 'outer_ki') ?? 0.02, kd: optionalNumber(p, 'outer_kd') ?? 0 },
      inner: { kp: optionalNumber(p, 'inner_kp') ?? 0.3, ki: optionalNumber(p, 'inner_ki') ?? 0.02, kd: optionalNumber(p, 'inner_kd') ?? 0 },
      plateMin_C: optionalNumber(p, 'plateSetMin_C') ?? interlocks.limits.plateMin_C + 0.5,
      plateMax_C: optionalNumber(p, 'plateSetMax_C') ?? 37,
      plateBias_C: optionalNumber(p, 'plateBias_C') ?? 13,
      currentBias_A: optionalNumber(p, 'currentBias_A') ?? 0.4,
      ...currentLimits(p, ctx),
      Ts: ctx.Ts,
    });
    return new PeltierController(makeEstimator(p, ctx), law, interlocks);
  },
};

export const peltierFuzzyFactory: ControllerFactory = {
  type: 'peltier-fuzzy',
  description: 'hypothermia: brain estimator → fuzzy PI on the brain error (plate setpoint) → PI plate loop → safety interlocks',
  create(p, ctx) {
    const interlocks = makeInterlocks(p);
    const law = new FuzzyPlateLaw({
      errorScale_K: optionalNumber(p, 'errorScale_K') ?? 1,
      rateScale_Kps: optionalNumber(p, 'rateScale_Kps') ?? 0.01,
      stepScale_K: optionalNumber(p, 'stepScale_K') ?? 0.1,
      inner: { kp: optionalNumber(p, 'inner_kp') ?? 0.3, ki: optionalNumber(p, 'inner_ki') ?? 0.02, kd: 0 },
      plateMin_C: optionalNumber(p, 'plateSetMin_C') ?? interlocks.limits.plateMin_C + 0.5,
      plateMax_C: optionalNumber(p, 'plateSetMax_C') ?? 37,
      plateStart_C: optionalNumber(p, 'plateStart_C') ?? 22,
      currentBias_A: optionalNumber(p, 'currentBias_A') ?? 0.4,
      ...currentLimits(p, ctx),
      Ts: ctx.Ts,
    });
    return new PeltierController(makeEstimator(p, ctx), law, interlocks);
  },
};
