import type { UniformRng } from '../mlp/rng.ts';

/** A regression sample: input vector and target vector. */
export interface Sample {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface SmoteOptions {
  /** Synthetic samples to create (default: as many as the originals). */
  count?: number;
  /** Neighbours to choose from (default 5, SMOTE's k; capped at n − 1). */
  k?: number;
}

/**
 * SMOTE adapted to regression (SMOTER, Torgo et al. 2013): pick a sample at random, one of its k
 * nearest neighbours in input space, and a point x = x_a + u·(x_b − x_a) with u ~ U(0, 1) on the
 * segment between them. The target is the two targets weighted by the inverse distance from the new
 * point to each end, which for a segment is y_a + u·(y_b − y_a) (linear interpolation).
 * Input distances use each column scaled to its range, so units do not bias the neighbours.
 */
export function smoteRegression(samples: readonly Sample[], rng: UniformRng, options: SmoteOptions = {}): Sample[] {
  const n = samples.length;
  if (n < 2) throw new Error('SMOTE needs at least two samples');
  const count = options.count ?? n;
  const k = Math.min(options.k ?? 5, n - 1);
  const dim = samples[0].x.length;
  const span = Array.from({ length: dim }, (_, j) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of samples) {
      lo = Math.min(lo, s.x[j]);
      hi = Math.max(hi, s.x[j]);
    }
    return hi > lo ? hi - lo : 1;
  });
  const dist = (a: Sample, b: Sample): number => {
    let d = 0;
    for (let j = 0; j < dim; j++) d += ((a.x[j] - b.x[j]) / span[j]) ** 2;
    return d;
  };
  const neighbours = samples.map((s, i) =>
    samples
      .map((o, j) => ({ j, d: dist(s, o) }))
      .filter((e) => e.j !== i)
      .sort((p, q) => p.d - q.d || p.j - q.j)
      .slice(0, k)
      .map((e) => e.j),
  );
  const out: Sample[] = [];
  for (let c = 0; c < count; c++) {
    const a = Math.floor(rng.uniform() * n);
    const b = neighbours[a][Math.floor(rng.uniform() * k)];
    const u = rng.uniform();
    const sa = samples[a];
    const sb = samples[b];
    out.push({
      x: sa.x.map((v, j) => v + u * (sb.x[j] - v)),
      y: sa.y.map((v, j) => v + u * (sb.y[j] - v)),
    });
  }
  return out;
}
