import { describe, expect, it } from 'vitest';
import { type MetricSpec, type StandardMetrics } from '../../../firmware-sim/metrics.ts';
import { computeMetrics } from '../../helpers/batch-metrics.ts';
import { ColumnStore } from '../../../firmware-sim/recorder.ts';
import { Xoshiro128 } from '../../../firmware-sim/rng.ts';
import { OnlineStepMetrics } from '../../../run/record/step-metrics.ts';
import { replay } from '../../helpers/replay.ts';

const COLUMNS = ['t_s', 'y', 'r', 'u', 'c'];

/**
 * A random closed-loop-like record: a reference with 0–5 steps at random rows (sometimes at row 1
 * or the last row), a second-order output following it with noise, a command and its 8-bit counts.
 */
function randomRun(rng: Xoshiro128, n: number): ColumnStore {
  const store = new ColumnStore();
  store.begin(COLUMNS);
  const h = 1e-3 * (0.5 + rng.uniform());
  const t0 = rng.uniform() < 0.3 ? 0 : rng.uniform() * 10;
  const changes = new Set<number>();
  const count = Math.floor(rng.uniform() * 6);
  for (let i = 0; i < count; i++) {
    const pick = rng.uniform();
    changes.add(pick < 0.1 ? 1 : pick < 0.2 ? n - 1 : Math.floor(rng.uniform() * n));
  }
  const zeta = 0.2 + rng.uniform();
  const wn = 5 + 50 * rng.uniform();
  const noise = rng.uniform() < 0.5 ? 0 : 0.02 * rng.uniform();
  let r = rng.uniform() < 0.2 ? 0 : 4 * rng.gaussian();
  let y = rng.uniform() < 0.3 ? r : r + rng.gaussian();
  let v = 0;
  const row = new Float64Array(COLUMNS.length);
  for (let k = 0; k < n; k++) {
    if (changes.has(k)) r = rng.uniform() < 0.2 ? 0 : 4 * rng.gaussian();
    const u = wn * wn * (r - y) - 2 * zeta * wn * v;
    v += u * h;
    y += v * h;
    row[0] = t0 + k * h;
    row[1] = y + noise * rng.gaussian();
    row[2] = r;
    row[3] = u;
    row[4] = Math.min(255, Math.max(0, Math.round(128 + u)));
    store.write(row);
  }
  return store;
}

function expectIdentical(online: StandardMetrics, batch: StandardMetrics, label: string): void {
  for (const key of Object.keys(batch) as (keyof StandardMetrics)[]) {
    if (!Object.is(online[key], batch[key])) throw new Error(`${label}: ${key} online ${online[key]} ≠ batch ${batch[key]}`);
  }
}

const SPECS: MetricSpec[] = [
  { output: 'y', reference: 'r', command: 'u', band: 0.02, saturation: { column: 'c', minCounts: 0, maxCounts: 255 } },
  { output: 'y', reference: 'r', band: 0.05, bandAbs: 0.01 },
];

describe('OnlineStepMetrics is bit-identical to computeMetrics', () => {
  it('on 300 random runs, with and without the row count known, ended early, and with the steady-state window beyond a small ring', () => {
    const rng = new Xoshiro128(11);
    for (let seed = 0; seed < 300; seed++) {
      const n = seed < 6 ? seed : Math.floor(rng.uniform() * 4000);
      const store = randomRun(rng, n);
      for (const spec of SPECS) {
        const batch = computeMetrics(store, spec);
        const label = `run ${seed} (${n} rows, band ${spec.bandAbs ?? spec.band})`;
        expectIdentical(replay(store, new OnlineStepMetrics(spec)).result(), batch, `${label}, length unknown`);
        expectIdentical(replay(store, new OnlineStepMetrics(spec, { expectedRows: n })).result(), batch, `${label}, length known`);
        expectIdentical(replay(store, new OnlineStepMetrics(spec, { expectedRows: n + 1 + seed })).result(), batch, `${label}, ended early`);
        const small = replay(store, new OnlineStepMetrics(spec, { expectedRows: n, ringCapacity: 8 }));
        expect(small.steadyStateTruncated).toBe(false);
        expectIdentical(small.result(), batch, `${label}, window beyond an 8-row ring, length known`);
      }
    }
  });

  it('on edge records: rise thresholds met exactly, non-finite outputs, NaN references, a constant reference of zero, a sink reused for a second run', () => {
    const spec = SPECS[0];
    const cases: number[][][] = [
      [[0, NaN, 1, 0, 0], [0.1, 1, 1, 0, 0], [0.2, 2, 1, 0, 0]],
      [[0, 0, NaN, 0, 0], [0.1, 1, NaN, 0, 0], [0.2, 2, NaN, 0, 0]],
      [[0, 0, 0, 0, 0], [0.1, -0, 0, 0, 255], [0.2, 0, -0, -1, 255], [0.3, 0, 0, 0, 0]],
      [[0, Infinity, 1, 0, 0], [0.1, 1, 1, 0, 0]],
      [[5, 1, 2, 3, 0]],
      // Progress exactly 0.1 and 0.9, leaving the band once after entering it.
      [[0, 0, 1, 0, 0], [0.5, 0.1, 1, 0, 0], [1, 0.9, 1, 0, 0], [1.5, 1, 1, 0, 0], [2, 1.5, 1, 0, 0], [2.5, 1, 1, 0, 0], [3, 1, 1, 0, 0], [3.5, 1, 1, 0, 0]],
    ];
    const sink = new OnlineStepMetrics(spec);
    for (const rows of cases) {
      const store = new ColumnStore();
      store.begin(COLUMNS);
      for (const r of rows) store.write(Float64Array.from(r));
      expectIdentical(replay(store, sink).result(), computeMetrics(store, spec), JSON.stringify(rows));
    }
  });
});

describe('OnlineStepMetrics steady-state window beyond its ring', () => {
  it('a run of unknown length whose window exceeds the ring averages the last ring-length errors and says so', () => {
    const store = new ColumnStore();
    store.begin(COLUMNS);
    // Error r − y = k: the last 16 of 1000 rows average (984 + … + 999) / 16 = 991.5; the true 100-row window 949.5.
    for (let k = 0; k < 1000; k++) store.write(Float64Array.of(k * 0.01, -k, 0, 0, 0));
    const spec = { output: 'y', reference: 'r', band: 0.02 };
    const cut = replay(store, new OnlineStepMetrics(spec, { ringCapacity: 16 }));
    expect(cut.steadyStateTruncated).toBe(true);
    expect(cut.result().steady_state_error).toBe(991.5);
    const exact = replay(store, new OnlineStepMetrics(spec, { ringCapacity: 100 }));
    expect(exact.steadyStateTruncated).toBe(false);
    expect(exact.result().steady_state_error).toBe(949.5);
  });
});
