/**
 * ANFIS (Jang 1993): Sugeno models trained by hybrid learning, initialised by grid partition or
 * subtractive clustering, converted to the fuzzy engine's model for evaluation and saving.
 */
export { AnfisModel, type AnfisInput } from './model.ts';
export { MF_TYPES, isMfType, type MfType } from './membership.ts';
export { initGrid, type GridOptions } from './init-grid.ts';
export { initSubclust, subclust, type SubclustOptions } from './init-subclust.ts';
export { trainHybrid, hybridEpochs, rmse, ape, NoRuleFiresError, type AnfisData, type HybridOptions, type HybridResult, type EpochReport } from './hybrid.ts';
export { toEngine, fromEngine } from './to-engine.ts';
export { FilteredDerivative, RunningIntegral } from './filtered-derivative.ts';
export { AnfisController, anfisFactory, parseFeature, type FeatureSpec } from './anfis-controller.ts';
export { curveCsv } from './curve.ts';
