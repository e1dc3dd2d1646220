import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { initGrid, initSubclust, trainHybrid, type AnfisModel } from '../../controllers/anfis/index.ts';
import { mfAddGradient, mfValue, type MfType } from '../../controllers/anfis/membership.ts';
import { sincData } from './data.ts';

describe('membership gradients', () => {
  const cases: [MfType, number[]][] = [
    ['gbellmf', [2.5, 1.7, 0.3]],
    ['gaussmf', [1.2, -0.4]],
    ['trimf', [-1, 0.5, 2]],
  ];
  for (const [type, params] of cases) {
    it(`${type}: analytic ∂µ/∂p equals central differences`, () => {
      for (const x of [-0.9, -0.2, 0.9, 1.6]) {
        const p = Float64Array.from(params);
        const g = new Float64Array(p.length);
        mfAddGradient(type, p, 0, x, mfValue(type, p, 0, x), 1, g);
        for (let k = 0; k < p.length; k++) {
          const h = 1e-7;
          const pp = Float64Array.from(p);
          const pm = Float64Array.from(p);
          pp[k] += h;
          pm[k] -= h;
          const fd = (mfValue(type, pp, 0, x) - mfValue(type, pm, 0, x)) / (2 * h);
          expect(g[k]).toBeCloseTo(fd, 6);
        }
      }
    });
  }
});

/** Batch (ridge, λ = 1/γ) least squares for the consequents with the premise fixed, through ml-matrix. */
function batchConsequents(m: AnfisModel, inputs: readonly (readonly number[])[], targets: readonly number[]): number[] {
  const rows = inputs.map((x) => {
    const w = m.rules.map((rule) => rule.reduce((prod, mf, i) => prod * mfValue(m.inputs[i].mfs[mf].type, m.premise, m.inputs[i].mfs[mf].offset, x[i]), 1));
    const s = w.reduce((a, b) => a + b, 0);
    return w.flatMap((wr) => [...x.map((xi) => (wr / s) * xi), wr / s]);
  });
  const A = new Matrix(rows);
  const At = A.transpose();
  // RLS from S0 = γI, θ0 = 0 is exactly the ridge solution (AᵀA + I/γ)⁻¹Aᵀt
  return solve(At.mmul(A).add(Matrix.eye(A.columns).mul(1e-6)), At.mmul(Matrix.columnVector(targets as number[]))).to1DArray();
}

describe('hybrid learning', () => {
  it('the forward pass’s recursive least squares (γ = 1e6) gives the batch least-squares consequents', () => {
    const data = sincData();
    const m = initGrid(data.inputs, data.targets, { mfs: 3 });
    const premise = Float64Array.from(m.premise);
    trainHybrid(m, data, { epochs: 1 });
    // one epoch: the consequents were fitted with the initial premise, which the best model keeps
    expect(Array.from(m.premise)).toEqual(Array.from(premise));
    const ls = batchConsequents(m, data.inputs, data.targets);
    const scale = Math.max(...ls.map(Math.abs));
    ls.forEach((v, i) => expect(Math.abs(m.consequent[i] - v) / scale).toBeLessThan(1e-7)); // plain least squares differs by ~1e-5 here: the test sees the ridge term
  });

  it('applies the step-size rules: ×1.1 after four decreases, never more often than every fourth epoch', () => {
    const data = sincData();
    const m = initGrid(data.inputs, data.targets, { mfs: 4 });
    const r = trainHybrid(m, data, { epochs: 20, stepSize: 0.01 });
    // the error falls monotonically at first, so the step grows at epochs 5, 9, 13, 17 (indices 5, 9, 13, 17 record the new size)
    for (let i = 1; i < 20; i++) expect(r.trainRmse[i]).toBeLessThan(r.trainRmse[i - 1]);
    const expected = r.stepSizes.map((_, i) => 0.01 * Math.pow(1.1, i < 5 ? 0 : Math.floor((i - 1) / 4)));
    r.stepSizes.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 15));
  });

  it('applies the ×0.9 rule after two up-down oscillations of the error (MATLAB anfis), at most every fourth epoch', () => {
    const data = sincData();
    const m = initGrid(data.inputs, data.targets, { mfs: 4 });
    const r = trainHybrid(m, data, { epochs: 60, stepSize: 1.5 });
    // Replay the documented rules on the recorded error history: after epoch i the step shrinks if
    // E went down, up, down, up (ending down), grows if it fell four times running.
    const E = r.trainRmse;
    let ss = 1.5;
    let lastDec = 0;
    let lastInc = 0;
    let decreases = 0;
    for (let i = 0; i < E.length; i++) {
      expect(r.stepSizes[i]).toBeCloseTo(ss, 14);
      if (i >= 4 && i - lastDec >= 4 && E[i] < E[i - 1] && E[i - 1] > E[i - 2] && E[i - 2] < E[i - 3] && E[i - 3] > E[i - 4]) {
        ss *= 0.9;
        lastDec = i;
        decreases++;
      } else if (i >= 4 && i - lastInc >= 4 && E[i] < E[i - 1] && E[i - 1] < E[i - 2] && E[i - 2] < E[i - 3] && E[i - 3] < E[i - 4]) {
        ss *= 1.1;
        lastInc = i;
      }
    }
    expect(decreases).toBeGreaterThan(0);
  });

  it('stops with the row when no rule fires for it, instead of training a NaN model', () => {
    const data = sincData();
    const m = initGrid(data.inputs, data.targets, { mfs: 2, mfType: 'trimf' });
    // Triangles spanning the data range give 0 outside it: a row at x = 50 fires nothing.
    const inputs = [...data.inputs, [50, 0]];
    const targets = [...data.targets, 0];
    expect(() => trainHybrid(m, { inputs, targets }, { epochs: 3 })).toThrow(expect.objectContaining({ name: 'NoRuleFiresError', row: inputs.length - 1, epoch: 1 }));
  });

  it('stops at the error goal and returns the best-checking model separately', () => {
    const data = sincData();
    const check = { inputs: data.inputs.map(([x, y]) => [x + 1, y + 1]), targets: data.inputs.map(([x, y]) => Math.sin(x + 1) / (x + 1) * (Math.sin(y + 1) / (y + 1))) };
    const m = initGrid(data.inputs, data.targets, { mfs: 4 });
    const r = trainHybrid(m, data, { epochs: 200, stepSize: 0.1, errorGoal: 0.05, check });
    expect(r.trainRmse.length).toBeLessThan(200);
    expect(r.trainRmse[r.trainRmse.length - 1]).toBeLessThanOrEqual(0.05);
    expect(r.checkRmse).toHaveLength(r.trainRmse.length);
    expect(r.checkRmse[r.bestCheckEpoch! - 1]).toBe(Math.min(...r.checkRmse));
  });

  it('is deterministic: the same data and options give the same bits', () => {
    const data = sincData();
    const a = initGrid(data.inputs, data.targets, { mfs: 3, mfType: 'gaussmf' });
    const b = initGrid(data.inputs, data.targets, { mfs: 3, mfType: 'gaussmf' });
    trainHybrid(a, data, { epochs: 15, stepSize: 0.05 });
    trainHybrid(b, data, { epochs: 15, stepSize: 0.05 });
    expect(Array.from(a.premise)).toEqual(Array.from(b.premise));
    expect(Array.from(a.consequent)).toEqual(Array.from(b.consequent));
  });

  it('trains zero-order models and triangle MFs too', () => {
    const data = sincData();
    const m0 = initGrid(data.inputs, data.targets, { mfs: 5, order: 0, mfType: 'trimf' });
    const r = trainHybrid(m0, data, { epochs: 30, stepSize: 0.1 });
    expect(m0.consequent).toHaveLength(25);
    expect(Math.min(...r.trainRmse)).toBeLessThan(r.trainRmse[0]);
  });
});

describe('subtractive clustering (genfis2-like)', () => {
  it('finds one cluster per well-separated blob and trains from there', () => {
    const inputs: number[][] = [];
    const targets: number[] = [];
    const centres = [
      [0, 0],
      [10, 0],
      [5, 10],
    ];
    centres.forEach(([cx, cy], k) => {
      for (let i = 0; i < 30; i++) {
        const a = (2 * Math.PI * i) / 30;
        const r = 0.3 * ((i % 3) + 1) / 3;
        inputs.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
        targets.push(k * 5 + 0.1 * Math.cos(a));
      }
    });
    const m = initSubclust(inputs, targets, { radii: 0.3 });
    expect(m.nRules).toBe(3);
    const found = m.rules.map((_, r) => [m.premise[m.inputs[0].mfs[r].offset + 1], m.premise[m.inputs[1].mfs[r].offset + 1]]);
    for (const [cx, cy] of centres) expect(found.some(([x, y]) => Math.hypot(x - cx, y - cy) < 0.5)).toBe(true);
    const r = trainHybrid(m, { inputs, targets }, { epochs: 5 });
    expect(Math.min(...r.trainRmse)).toBeLessThan(0.2);
  });
});
