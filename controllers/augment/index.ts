/** Data augmentation for tiny regression sets (see docs/mlp.md, "Augmentation"). */
export { smoteRegression, type Sample, type SmoteOptions } from './smote-regression.ts';
export { gaussianJitter, type JitterOptions } from './gaussian-jitter.ts';
