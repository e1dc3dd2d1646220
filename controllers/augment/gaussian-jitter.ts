import type { UniformRng } from '../mlp/rng.ts';
import type { Sample } from './smote-regression.ts';

export interface JitterOptions {
  /** Synthetic samples to create (default: as many as the originals). */
  count?: number;
  /** Noise σ on each input, in the input's units (default: 1 % of each input's range). */
  sigmaX?: readonly number[];
  /** Noise σ on each target, in the target's units (default: 0, targets copied). */
  sigmaY?: readonly number[];
}

/**
 * Gaussian-jitter augmentation: copies of randomly chosen samples with independent normal noise
 * added to the inputs (and optionally the targets). Normal deviates by Box–Muller from `rng`.
 */
export function gaussianJitter(samples: readonly Sample[], rng: UniformRng, options: JitterOptions = {}): Sample[] {
  const n = samples.length;
  if (n < 1) throw new Error('jitter needs at least one sample');
  const count = options.count ?? n;
  const dim = samples[0].x.length;
  const sigmaX =
    options.sigmaX ??
    Array.from({ length: dim }, (_, j) => {
      const v = samples.map((s) => s.x[j]);
      return 0.01 * (Math.max(...v) - Math.min(...v));
    });
  const sigmaY = options.sigmaY ?? samples[0].y.map(() => 0);
  const normal = (): number => {
    const u1 = 1 - rng.uniform(); // in (0, 1], so the log is finite
    const u2 = rng.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const out: Sample[] = [];
  for (let c = 0; c < count; c++) {
    const s = samples[Math.floor(rng.uniform() * n)];
    out.push({ x: s.x.map((v, j) => v + sigmaX[j] * normal()), y: s.y.map((v, j) => v + sigmaY[j] * normal()) });
  }
  return out;
}
