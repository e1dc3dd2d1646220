import { describe, expect, it } from 'vitest';
import { JacobianWorkspace, Mlp, fitScaling, initNguyenWidrow, mse, trainGdm, trainLm } from '../../controllers/mlp/index.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';

const xs = Array.from({ length: 16 }, (_, i) => -Math.PI + (2 * Math.PI * i) / 15);
const sine = { inputs: xs.map((x) => [x]), targets: xs.map((x) => [Math.sin(x)]) };

function net(seed: number, sizes = [1, 8, 8, 1]): Mlp {
  const n = new Mlp(sizes);
  fitScaling(n, sine);
  initNguyenWidrow(n, new Xoshiro128(seed));
  return n;
}

describe('Levenberg–Marquardt (trainlm defaults)', () => {
  it('fits sin(x) on 16 points with a 1-8-8-1 network to MSE < 1e-4', () => {
    for (const seed of [1, 2, 3]) {
      const n = net(seed);
      const before = mse(n, sine);
      const r = trainLm(n, sine, { epochs: 200 });
      expect(before).toBeGreaterThan(1e-2);
      expect(mse(n, sine)).toBeLessThan(1e-4);
      expect(r.mseHistory.length).toBeGreaterThan(1);
    }
  });

  it('never accepts a step that raises the error', () => {
    const r = trainLm(net(4), sine, { epochs: 50 });
    for (let k = 1; k < r.mseHistory.length; k++) expect(r.mseHistory[k]).toBeLessThanOrEqual(r.mseHistory[k - 1]);
  });

  it('the backpropagated Jacobian matches central finite differences to 1e-6', () => {
    const n = net(5, [2, 5, 3, 2]);
    const P = n.weights.length;
    const N = 4;
    const x = Float64Array.from({ length: N * 2 }, (_, i) => Math.sin(1.3 * i + 0.2));
    const J = new Float64Array(N * 2 * P);
    const y = new Float64Array(N * 2);
    new JacobianWorkspace(n).compute(n.weights, x, N, J, y);
    const h = 1e-6;
    const out = (w: Float64Array, s: number, k: number): number => {
      n.activations[0].set(x.subarray(s * 2, s * 2 + 2));
      return n.forwardUnit(w)[k];
    };
    let worst = 0;
    for (let p = 0; p < P; p++) {
      const wp = Float64Array.from(n.weights);
      const wm = Float64Array.from(n.weights);
      wp[p] += h;
      wm[p] -= h;
      for (let s = 0; s < N; s++) {
        for (let k = 0; k < 2; k++) {
          const fd = (out(wp, s, k) - out(wm, s, k)) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - J[(s * 2 + k) * P + p]));
        }
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('is deterministic for a given seed and differs between seeds', () => {
    const a = net(7);
    const b = net(7);
    const c = net(8);
    trainLm(a, sine, { epochs: 20 });
    trainLm(b, sine, { epochs: 20 });
    trainLm(c, sine, { epochs: 20 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
  });
});

describe('gradient descent with momentum (traingdm)', () => {
  it('lowers the error on sin(x), far more slowly than LM', () => {
    const n = net(1);
    const r = trainGdm(n, sine, { epochs: 2000 });
    expect(r.mseHistory[r.mseHistory.length - 1]).toBeLessThan(r.mseHistory[0] / 5);
    expect(mse(n, sine)).toBeGreaterThan(1e-4);
  });
});

describe('Nguyen–Widrow initialisation', () => {
  it('gives hidden weight rows of length 0.7·S^(1/R) and biases spread over ±that', () => {
    const n = new Mlp([2, 9, 1]);
    initNguyenWidrow(n, new Xoshiro128(3));
    const mag = 0.7 * Math.pow(9, 1 / 2);
    for (let i = 0; i < 9; i++) {
      const w0 = n.weights[n.wOffset[1] + 2 * i];
      const w1 = n.weights[n.wOffset[1] + 2 * i + 1];
      expect(Math.hypot(w0, w1)).toBeCloseTo(mag, 12);
      expect(Math.abs(n.weights[n.bOffset[1] + i])).toBeCloseTo(mag * Math.abs(-1 + (2 * i) / 8), 12);
    }
  });
});
