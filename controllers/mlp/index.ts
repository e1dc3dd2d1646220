/** The MLP room: tansig/linear networks trained by Levenberg–Marquardt or gradient descent with momentum. */
export { Mlp } from './network.ts';
export { initNguyenWidrow } from './init.ts';
export { trainLm, type LmOptions, type TrainResult } from './train-lm.ts';
export { trainGdm, type GdmOptions } from './train-gdm.ts';
export { fitScaling, mse, type Dataset } from './dataset.ts';
export { mlpFromJson, mlpToJson, type MlpJson } from './json.ts';
export { JacobianWorkspace } from './jacobian.ts';
export type { UniformRng } from './rng.ts';
export type { MinMax } from './normalise.ts';
