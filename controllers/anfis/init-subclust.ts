import { AnfisModel, packMfs } from './model.ts';

export interface SubclustOptions {
  /** Cluster radius in the unit hypercube, one for all dimensions or one per dimension (default 0.5). */
  radii?: number | number[];
  /** Neighbourhood of potential reduction = squash × radii (default 1.25). */
  squash?: number;
  /** Accept a centre whose potential exceeds accept × the first centre's (default 0.5). */
  accept?: number;
  /** Stop when the best remaining potential is below reject × the first's (default 0.15). */
  reject?: number;
  inputNames?: string[];
  outputName?: string;
  name?: string;
}

/**
 * Subtractive clustering (Chiu 1994; MATLAB `subclust`) over the joint input–output data, scaled
 * into the unit hypercube. Potentials P_i = Σ_j exp(−4‖(x_i − x_j)/r‖²); the highest becomes a
 * centre and potentials near it are reduced by P*·exp(−4‖(x_i − c)/(squash·r)‖²); a candidate
 * between the reject and accept ratios is taken only if (its distance to the nearest centre, in
 * radii) + (its potential ratio) ≥ 1, otherwise its potential is zeroed and the next one tried.
 */
export function subclust(data: readonly (readonly number[])[], options: SubclustOptions = {}): { centers: number[][]; sigmas: number[]; min: number[]; max: number[] } {
  const N = data.length;
  const D = data[0].length;
  const radii = typeof options.radii === 'number' || options.radii === undefined ? new Array<number>(D).fill(options.radii ?? 0.5) : options.radii;
  const squash = options.squash ?? 1.25;
  const accept = options.accept ?? 0.5;
  const reject = options.reject ?? 0.15;
  const min = new Array<number>(D).fill(Infinity);
  const max = new Array<number>(D).fill(-Infinity);
  for (const row of data) {
    for (let d = 0; d < D; d++) {
      min[d] = Math.min(min[d], row[d]);
      max[d] = Math.max(max[d], row[d]);
    }
  }
  const X = data.map((row) => row.map((v, d) => (max[d] > min[d] ? (v - min[d]) / (max[d] - min[d]) : 0)));
  const dist2 = (a: readonly number[], b: readonly number[], scale: number): number => {
    let s = 0;
    for (let d = 0; d < D; d++) s += ((a[d] - b[d]) / (radii[d] * scale)) ** 2;
    return s;
  };
  const pot = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += Math.exp(-4 * dist2(X[i], X[j], 1));
    pot[i] = s;
  }
  const argmax = (): number => {
    let k = 0;
    for (let i = 1; i < N; i++) if (pot[i] > pot[k]) k = i;
    return k;
  };
  let k = argmax();
  const first = pot[k];
  const centers: number[][] = [];
  let more = first > 0;
  while (more) {
    const p = pot[k];
    const ratio = p / first;
    let take = false;
    if (ratio > accept) take = true;
    else if (ratio > reject) {
      let dmin = Infinity;
      for (const c of centers) dmin = Math.min(dmin, Math.sqrt(dist2(X[k], c, 1)));
      if (dmin + ratio >= 1) take = true;
      else {
        pot[k] = 0;
        k = argmax();
        more = pot[k] > reject * first;
        continue;
      }
    } else break;
    if (take) {
      const c = X[k];
      centers.push(c);
      for (let i = 0; i < N; i++) {
        pot[i] -= p * Math.exp(-4 * dist2(X[i], c, squash));
        if (pot[i] < 0) pot[i] = 0;
      }
      k = argmax();
      more = pot[k] > 0;
    }
  }
  const sigmas = radii.map((r, d) => (r * (max[d] - min[d])) / Math.sqrt(8));
  return { centers: centers.map((c) => c.map((v, d) => min[d] + v * (max[d] - min[d]))), sigmas, min, max };
}

/**
 * A first-order model from subtractive clustering (MATLAB `genfis2`): one rule per cluster, each
 * input gets one Gaussian MF per cluster (σ = r·range/√8, centre = the cluster's coordinate).
 */
export function initSubclust(inputs: readonly (readonly number[])[], targets: readonly number[], options: SubclustOptions = {}): AnfisModel {
  const n = inputs[0].length;
  const joint = inputs.map((row, j) => [...row, targets[j]]);
  const { centers, sigmas, min, max } = subclust(joint, options);
  const R = centers.length;
  const { offsets, size } = packMfs(Array.from({ length: n }, () => new Array(R).fill('gaussmf')));
  const premise = new Float64Array(size);
  const vars = Array.from({ length: n }, (_, i) => ({
    name: options.inputNames?.[i] ?? `input${i + 1}`,
    range: [min[i], max[i]] as [number, number],
    mfs: centers.map((c, r) => {
      const o = offsets[i][r];
      premise[o] = sigmas[i];
      premise[o + 1] = c[i];
      return { name: `in${i + 1}cluster${r + 1}`, type: 'gaussmf' as const, offset: o };
    }),
  }));
  return new AnfisModel(
    options.name ?? 'anfis',
    vars,
    { name: options.outputName ?? 'output', range: [min[n], max[n]] },
    centers.map((_, r) => new Array<number>(n).fill(r)),
    1,
    premise,
    new Float64Array(R * (n + 1)),
  );
}
