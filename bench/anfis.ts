import { Matrix, solve } from 'ml-matrix';
import { initGrid, toEngine, trainHybrid } from '../controllers/anfis/index.ts';
import { compile } from '../controllers/fuzzy/index.ts';
import { mfValue } from '../controllers/anfis/membership.ts';
import { Xoshiro128 } from '../firmware-sim/rng.ts';

/**
 * ANFIS hybrid-learning speed on a fixed problem: 4 inputs × 2 bell MFs = 16 first-order rules,
 * 500 pairs of a smooth 4-D function. References measured in the same run: one forward pass of the
 * same 500 pairs through the compiled fuzzy engine, and the consequent fit done as a batch
 * least-squares solve with ml-matrix instead of hybrid learning's recursive least squares.
 */
export async function benchAnfis(): Promise<void> {
  const rng = new Xoshiro128(7);
  const inputs = Array.from({ length: 500 }, () => [0, 1, 2, 3].map(() => -1 + 2 * rng.uniform()));
  const targets = inputs.map(([a, b, c, d]) => Math.sin(a) * Math.cos(b) + 0.5 * c * d + 0.1 * a * a);
  const data = { inputs, targets };

  const timeIt = (fn: () => void, minMs = 1500): number => {
    fn(); // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < minMs) {
      fn();
      n++;
    }
    return (n * 1000) / (performance.now() - t0);
  };

  const epochsPerCall = 10;
  const trainCalls = timeIt(() => {
    const m = initGrid(inputs, targets, { mfs: 2 });
    trainHybrid(m, data, { epochs: epochsPerCall });
  });
  const epochs_per_s = trainCalls * epochsPerCall;

  const model = initGrid(inputs, targets, { mfs: 2 });
  trainHybrid(model, data, { epochs: 5 });
  const engine = compile(toEngine(model));
  const x = new Float64Array(4);
  const y = new Float64Array(1);
  const forward_passes_per_s = timeIt(() => {
    for (const row of inputs) {
      x.set(row);
      engine.evaluate(x, y);
    }
  });

  const batch_ls_per_s = timeIt(() => {
    const rows = inputs.map((xr) => {
      const w = model.rules.map((rule) => rule.reduce((p, mf, i) => p * mfValue('gbellmf', model.premise, model.inputs[i].mfs[mf].offset, xr[i]), 1));
      const s = w.reduce((a, b) => a + b, 0);
      return w.flatMap((wr) => [...xr.map((v) => (wr / s) * v), wr / s]);
    });
    const A = new Matrix(rows);
    const At = A.transpose();
    solve(At.mmul(A).add(Matrix.eye(A.columns).mul(1e-6)), At.mmul(Matrix.columnVector(targets)));
  });

  console.log(
    JSON.stringify({
      bench: 'anfis',
      problem: '4 inputs, 16 rules, 500 pairs, hybrid learning',
      epochs_per_s: round(epochs_per_s),
      engine_forward_passes_per_s: round(forward_passes_per_s),
      epoch_cost_in_forward_passes: round(forward_passes_per_s / epochs_per_s),
      ml_matrix_batch_ls_per_s: round(batch_ls_per_s),
      epoch_vs_batch_ls_ratio: round(epochs_per_s / batch_ls_per_s),
    }),
  );
}

function round(v: number): number {
  return Number(v.toPrecision(4));
}
