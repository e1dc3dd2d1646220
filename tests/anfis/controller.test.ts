import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnfisModel, anfisFactory, toEngine } from '../../controllers/anfis/index.ts';
import { writeModelFile } from '../../controllers/fuzzy/index.ts';
import { tempDir } from './cli-helpers.ts';

/** One rule with a wide Gaussian on each input: the output is exactly the linear consequent. */
function linearModel(coef: number[], constant: number): AnfisModel {
  const n = coef.length;
  const premise = new Float64Array(2 * n);
  const inputs = coef.map((_, i) => {
    premise[2 * i] = 1e6;
    premise[2 * i + 1] = 0;
    return { name: `in${i + 1}`, range: [-1, 1] as [number, number], mfs: [{ name: 'all', type: 'gaussmf' as const, offset: 2 * i }] };
  });
  return new AnfisModel('lin', inputs, { name: 'out', range: [-1, 1] }, [new Array(n).fill(0)], 1, premise, Float64Array.from([...coef, constant]));
}

describe("the 'anfis' controller type", () => {
  const dir = tempDir('anfis-ctl');
  writeModelFile(join(dir, 'lin.fis'), toEngine(linearModel([2, 0.1, 10], 0.1)));
  const ctl = anfisFactory.create(
    { type: 'anfis', model: 'lin.fis', sensors: ['x_m'], features: ['x_m', 'd:x_m', 'i:x_m'], reference: 'r_m', output: 'u', derivativeTau_s: 0.01, outMin: -5, outMax: 5 },
    { Ts: 0.001, baseDir: dir, plantParams: {}, outputLimits: {} },
  );

  it('computes signal, filtered derivative and error integral with the caller’s clock', () => {
    const y = new Float64Array(1);
    const ref = Float64Array.of(1);
    const u = new Float64Array(1);
    // hand computation: α = τ/(τ + Δt) = 0.01/0.011; d1 = (1 − α)·(0.2 − 0.1)/0.001; I1 = (1 − 0.2)·0.001
    y[0] = 0.1;
    ctl.update(y, ref, 0, u);
    expect(u[0]).toBeCloseTo(2 * 0.1 + 0.1 * 0 + 10 * 0 + 0.1, 12);
    y[0] = 0.2;
    ctl.update(y, ref, 0.001, u);
    const alpha = 0.01 / 0.011;
    const d1 = ((1 - alpha) * 0.1) / 0.001;
    const i1 = 0.8 * 0.001;
    expect(u[0]).toBeCloseTo(2 * 0.2 + 0.1 * d1 + 10 * i1 + 0.1, 12);
    y[0] = 0.2;
    ctl.update(y, ref, 0.003, u);
    const d2 = (0.01 / 0.012) * d1; // Δt = 2 ms, no change in y
    expect(u[0]).toBeCloseTo(2 * 0.2 + 0.1 * d2 + 10 * (i1 + 0.8 * 0.002) + 0.1, 12);
  });

  it('clamps the command and starts over on reset', () => {
    const u = new Float64Array(1);
    ctl.reset();
    ctl.update(Float64Array.of(100), Float64Array.of(0), 0, u);
    expect(u[0]).toBe(5);
    ctl.update(Float64Array.of(-100), Float64Array.of(0), 0.001, u);
    expect(u[0]).toBe(-5);
    ctl.reset();
    ctl.update(Float64Array.of(0.3), Float64Array.of(0.3), 0, u);
    expect(u[0]).toBeCloseTo(0.7, 12);
  });

  it('rejects a feature list that does not fit the model, naming the key', () => {
    expect(() =>
      anfisFactory.create({ type: 'anfis', model: 'lin.fis', sensors: ['x_m'], features: ['x_m'], output: 'u' }, { Ts: 0.001, baseDir: dir, plantParams: {}, outputLimits: {} }),
    ).toThrow(/controller\.features: 1 features for a model with 3 inputs/);
    expect(() =>
      anfisFactory.create({ type: 'anfis', model: 'lin.fis', sensors: ['x_m'], features: ['x_m', 'd:y_m', 'x_m'], output: 'u' }, { Ts: 0.001, baseDir: dir, plantParams: {}, outputLimits: {} }),
    ).toThrow(/'d:y_m' names 'y_m'/);
    expect(() =>
      anfisFactory.create({ type: 'anfis', model: 'lin.fis', sensors: ['x_m'], features: ['x_m', 'd:x_m', 'i:x_m'], output: 'u' }, { Ts: 0.001, baseDir: dir, plantParams: {}, outputLimits: {} }),
    ).toThrow(/controller\.reference/);
  });
});
