import type { Mlp } from './network.ts';
import type { UniformRng } from './rng.ts';

/**
 * Nguyen–Widrow initialisation (Nguyen & Widrow 1990; MATLAB `initnw`) for the tansig layers:
 * random weight directions of length 0.7·S^(1/R) and biases spread evenly over [−mag, mag], so the
 * S neurons' active regions tile the normalised input range [−1, 1]. The linear output layer gets
 * uniform weights in [−1, 1] (MATLAB `rands`), as initnw does for an unbounded transfer function.
 * Deterministic for a given random stream.
 */
export function initNguyenWidrow(net: Mlp, rng: UniformRng): void {
  const w = net.weights;
  const L = net.nLayers;
  for (let l = 1; l <= L; l++) {
    const R = net.sizes[l - 1];
    const S = net.sizes[l];
    const wo = net.wOffset[l];
    const bo = net.bOffset[l];
    if (l === L) {
      for (let i = 0; i < S * R; i++) w[wo + i] = 2 * rng.uniform() - 1;
      for (let i = 0; i < S; i++) w[bo + i] = 2 * rng.uniform() - 1;
      continue;
    }
    const mag = 0.7 * Math.pow(S, 1 / R);
    for (let i = 0; i < S; i++) {
      let norm = 0;
      for (let j = 0; j < R; j++) {
        const v = 2 * rng.uniform() - 1;
        w[wo + i * R + j] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < R; j++) w[wo + i * R + j] *= mag / norm;
      const spread = S === 1 ? 0 : -1 + (2 * i) / (S - 1);
      w[bo + i] = mag * spread * Math.sign(w[wo + i * R] || 1);
    }
  }
}
