import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../firmware-sim/rng.ts';
import { groupSpec } from '../../../report/plots.ts';
import { PLOT_BUCKETS, PLOT_SAMPLED_ROWS, PlotStore } from '../../../run/record/plot-store.ts';

const H = 1e-3;
const ROWS = 10_000_000;
const PERIOD = 200_000;

/** Row k: t, a slow sine, isolated spikes (±) on a small sine, a row-coherent pair (x = k, y = 2k + 1). */
function fill(store: PlotStore, rows: number, spikes: Map<number, number>): void {
  store.begin(['t_s', 'slow', 'spiky', 'x', 'y']);
  const row = new Float64Array(5);
  for (let k = 0; k < rows; k++) {
    row[0] = k * H;
    row[1] = Math.sin((2 * Math.PI * k) / PERIOD);
    row[2] = spikes.get(k) ?? 0.01 * Math.sin(k / 1000);
    row[3] = k;
    row[4] = 2 * k + 1;
    store.write(row);
  }
}

describe('PlotStore: a bounded decimated copy for plots', () => {
  const rng = new Xoshiro128(7);
  const spikes = new Map<number, number>();
  // Spikes far apart (> 2 bucket widths at 10^7 rows, 2^14 rows each), up and down.
  for (let i = 0; i < 40; i++) spikes.set(100_000 + i * 240_000 + Math.floor(rng.uniform() * 1000), (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform()));
  const store = new PlotStore();
  const bytesAtBegin = (() => {
    const s = new PlotStore();
    s.begin(['t_s', 'slow', 'spiky', 'x', 'y']);
    return s.bytes;
  })();
  fill(store, ROWS, spikes);

  it('holds the same memory after 10^7 rows as at the start, and at most 2 points per bucket', () => {
    expect(store.recordedRows).toBe(ROWS);
    expect(store.bytes).toBe(bytesAtBegin);
    expect(store.bytes).toBeLessThan(200_000);
    expect(store.rows).toBeLessThanOrEqual(2 * PLOT_BUCKETS);
    expect(store.rows).toBeGreaterThan(PLOT_BUCKETS / 2);
    expect(store.t.length).toBe(store.rows);
    expect(store.column('slow')!.length).toBe(store.rows);
    expect(store.sampledRows.t.length).toBeLessThanOrEqual(PLOT_SAMPLED_ROWS + 1);
  });

  it('keeps every spike, at a time within one bucket of its own, and every crest and trough of the sine', () => {
    const t = store.t;
    const spiky = store.column('spiky')!;
    const bucket = 2 ** 14 * H;
    for (const [k, v] of spikes) {
      const at = [...spiky.keys()].filter((p) => spiky[p] === v);
      expect(at.length, `spike ${v} at row ${k}`).toBeGreaterThan(0);
      expect(Math.min(...at.map((p) => Math.abs(t[p] - k * H)))).toBeLessThan(bucket);
    }
    // The discrete crest and trough of each period of the slow sine, found by scanning the signal.
    const slow = new Set(store.column('slow'));
    for (let start = 0; start < ROWS; start += PERIOD) {
      let hi = -Infinity;
      let lo = Infinity;
      for (let k = start; k < start + PERIOD; k++) {
        const v = Math.sin((2 * Math.PI * k) / PERIOD);
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
      expect(slow.has(hi), `crest of period ${start / PERIOD}`).toBe(true);
      expect(slow.has(lo), `trough of period ${start / PERIOD}`).toBe(true);
    }
    // First and last times are the run's.
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBe((ROWS - 1) * H);
  });

  it('sampledRows are whole recorded rows, evenly strided, ending with the last row', () => {
    const s = store.sampledRows;
    const x = s.column('x')!;
    const y = s.column('y')!;
    const stride = x[1] - x[0];
    expect(Math.log2(stride) % 1).toBe(0);
    for (let i = 0; i < x.length; i++) {
      expect(y[i]).toBe(2 * x[i] + 1);
      expect(s.t[i]).toBe(x[i] * H);
      if (i > 0 && i < x.length - 1) expect(x[i] - x[i - 1]).toBe(stride);
    }
    expect(x[0]).toBe(0);
    expect(x[x.length - 1]).toBe(ROWS - 1);
  });

  it("the report's panel takes the envelope as it is: the spikes reach the plot", () => {
    const spec = groupSpec(store, { title: 'spiky', signals: ['spiky'] }) as { data: { values: { value: number }[] } };
    const values = new Set(spec.data.values.map((r) => r.value));
    for (const v of spikes.values()) expect(values.has(v)).toBe(true);
  });

  it('a short run is kept row for row', () => {
    const short = new PlotStore();
    fill(short, 300, new Map());
    expect(short.rows).toBe(300);
    expect([...short.column('x')!]).toEqual(Array.from({ length: 300 }, (_, k) => k));
    expect(short.sampledRows.t.length).toBe(300);
  });
});
