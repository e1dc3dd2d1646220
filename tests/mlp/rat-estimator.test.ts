import { describe, expect, it } from 'vitest';
import { RAT_DATA, readRatCsv, ratRng } from '../../cli/commands/estimator.ts';
import { mse } from '../../controllers/mlp/dataset.ts';
import { leastSquaresLine, lineMse, paperLine, ratStudy, toDataset, trainRatMlp } from '../../controllers/mlp/rat-estimator.ts';

const rows = readRatCsv(RAT_DATA);
const test = rows.filter((r) => r.set === 'test');

describe('rat brain-temperature estimator (on the reconstruction of controllers/mlp/data/README.md)', () => {
  it('splits the paper way: odd samples train, even samples test', () => {
    expect(rows.filter((r) => r.set === 'train').map((r) => r.sample)).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    expect(test.map((r) => r.sample)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
  });

  it('the paper line’s test MSE follows from the clamps of samples 2 and 14 and sample 16', () => {
    // Independent hand computation: residuals are zero except where the reconstruction clamped
    // (2: 35.00, 14: 30.00) and at the measured sample 16 (28.90); rounding to 2 decimals adds a little.
    const by = (s: number) => rows.find((r) => r.sample === s)!;
    const major = [2, 14, 16].reduce((s, k) => s + (paperLine(by(k).rectal_C) - by(k).brain_C) ** 2, 0) / 8;
    const total = lineMse(test, paperLine);
    expect(total).toBeGreaterThanOrEqual(major);
    expect(total - major).toBeLessThan(1e-4);
    expect(total).toBeCloseTo(0.01132, 4);
  });

  it('the least-squares line on the training half is close to the paper line', () => {
    const ls = leastSquaresLine(rows.filter((r) => r.set === 'train'));
    expect(ls.slope).toBeCloseTo(1.695, 1);
    expect(lineMse(test, (x) => ls.slope * x + ls.intercept)).toBeCloseTo(0.0112, 3);
  });

  it('pins the seed-1 MLP test MSE and the median over seeds (worse than the line, as the reconstruction is linear)', () => {
    const net = trainRatMlp(toDataset(rows.filter((r) => r.set === 'train')), ratRng(1, 0));
    const m = mse(net, toDataset(test));
    expect(m).toBeCloseTo(0.0441, 3);
    const study = ratStudy(rows, [1, 2, 3, 4, 5], ratRng, ['none']);
    expect(study.mlpTestMse.none[0]).toBeCloseTo(m, 12);
    expect(study.summary.none.median).toBeGreaterThan(study.paperLineTestMse);
  });
});

describe('hilbench estimator rat', () => {
  it('prints both test MSEs and the reconstruction caveat', async () => {
    const { hilbenchInProcess } = await import('../anfis/cli-helpers.ts');
    const r = await hilbenchInProcess(['estimator', 'rat', '--seeds', '3', '--no-augment']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/1\.695\*T_R - 26\.8 \(paper\)\s+test MSE 0\.0113/);
    expect(r.stdout).toMatch(/MLP 1-8-8-1 trainlm, seed 1\s+test MSE 0\.0441/);
    expect(r.stdout).toMatch(/reconstruction/);
    const bad = await hilbenchInProcess(['estimator', 'rat', '--data', '/nonexistent/rat.csv']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('hilbench: /nonexistent/rat.csv: cannot read (ENOENT)\n');
  });
});
