import { describe, expect, it } from 'vitest';
import type { MetricSpec, StandardMetrics } from '../../firmware-sim/metrics.ts';
import { computeMetrics as batchMetrics } from '../helpers/batch-metrics.ts';
import { ColumnStore } from '../../firmware-sim/recorder.ts';
import { OnlineStepMetrics } from '../../run/record/step-metrics.ts';
import { replay } from '../helpers/replay.ts';

function record(h: number, n: number, f: (t: number) => { y: number; r: number; u?: number }): ColumnStore {
  const s = new ColumnStore();
  s.begin(['t_s', 'y', 'r', 'u']);
  const row = new Float64Array(4);
  for (let k = 0; k < n; k++) {
    const t = k * h;
    const v = f(t);
    row[0] = t;
    row[1] = v.y;
    row[2] = v.r;
    row[3] = v.u ?? 0;
    s.write(row);
  }
  return s;
}

/** The same expectations hold for the batch computation and for the online one fed row by row. */
const implementations: [string, (run: ColumnStore, spec: MetricSpec) => StandardMetrics][] = [
  ['computeMetrics', batchMetrics],
  ['OnlineStepMetrics', (run, spec) => replay(run, new OnlineStepMetrics(spec)).result()],
];

describe.each(implementations)('%s against closed-form step responses', (_name, computeMetrics) => {
  const h = 1e-4;
  const tau = 0.2;

  it('first-order lag y = 1 − e^(−t/τ): IAE τ, ISE τ/2, ITAE τ², rise τ·ln 9, 2 % settling τ·ln 50, no overshoot', () => {
    const run = record(h, Math.round(4 / h), (t) => ({ y: 1 - Math.exp(-t / tau), r: 1, u: 2 }));
    const m = computeMetrics(run, { output: 'y', reference: 'r', command: 'u', band: 0.02 });
    // Rectangle rule over the samples: exact up to h/2.
    expect(m.iae).toBeCloseTo(tau, 3);
    expect(m.ise).toBeCloseTo(tau / 2, 3);
    expect(m.itae).toBeCloseTo(tau * tau, 3);
    expect(m.rise_time_s).toBeCloseTo(tau * Math.log(9), 3);
    expect(m.settling_time_s).toBeCloseTo(tau * Math.log(50), 3);
    expect(m.overshoot_pct).toBe(0);
    expect(m.control_effort).toBeCloseTo(8, 6);
    expect(Math.abs(m.steady_state_error)).toBeLessThan(1e-6);
  });

  it('second-order step: overshoot = 100·exp(−ζπ/√(1−ζ²))', () => {
    const zeta = 0.3;
    const wn = 20;
    const wd = wn * Math.sqrt(1 - zeta * zeta);
    const y = (t: number) => 1 - Math.exp(-zeta * wn * t) * (Math.cos(wd * t) + (zeta / Math.sqrt(1 - zeta * zeta)) * Math.sin(wd * t));
    const run = record(h, Math.round(3 / h), (t) => ({ y: y(t), r: 1 }));
    const m = computeMetrics(run, { output: 'y', reference: 'r', band: 0.02 });
    expect(m.overshoot_pct).toBeCloseTo(100 * Math.exp((-zeta * Math.PI) / Math.sqrt(1 - zeta * zeta)), 2);
  });

  it('judges the last reference step, from where the output was at the step', () => {
    const run = record(h, Math.round(2 / h), (t) => (t < 1 ? { y: 1, r: 1 } : { y: 1 + 2 * (1 - Math.exp(-(t - 1) / tau)), r: 3 }));
    const m = computeMetrics(run, { output: 'y', reference: 'r', band: 0.02 });
    expect(m.rise_time_s).toBeCloseTo(tau * Math.log(9), 3);
    // Band is 2 % of the step 1 → 3, i.e. 0.04, reached when 2·e^(−t/τ) = 0.04: τ·ln 50, as for a unit step.
    expect(m.settling_band).toBeCloseTo(0.04, 12);
    expect(m.settling_time_s).toBeCloseTo(tau * Math.log(50), 3);
  });

  it('a step to zero and a step down on an offset settle in τ·ln 50 like any first-order step', () => {
    const toZero = record(h, Math.round(3 / h), (t) => ({ y: Math.exp(-t / tau), r: 0 }));
    const down = record(h, Math.round(3 / h), (t) => ({ y: -1 - (1 - Math.exp(-t / tau)), r: -2 }));
    for (const run of [toZero, down]) {
      const m = computeMetrics(run, { output: 'y', reference: 'r', band: 0.02 });
      expect(m.settling_band).toBeCloseTo(0.02, 12);
      expect(m.settling_time_s).toBeCloseTo(tau * Math.log(50), 3);
      expect(m.rise_time_s).toBeCloseTo(tau * Math.log(9), 3);
      expect(m.overshoot_pct).toBe(0);
    }
  });

  it('without a step (regulation) the band is a fraction of the reference; an output entering it only at the end has not settled', () => {
    const held = record(h, 1000, (t) => ({ y: 5 + 0.05 * Math.sin(40 * t), r: 5 }));
    const m = computeMetrics(held, { output: 'y', reference: 'r', band: 0.02 });
    expect(m.settling_band).toBeCloseTo(0.1, 12);
    expect(m.settling_time_s).toBe(0);
    // 1 → 0 linearly: inside ±0.02 only for the last 2 % of the run, less than the 10 % it must stay.
    const late = record(0.01, 100, (t) => ({ y: 1 - t / 0.99, r: 0 }));
    expect(computeMetrics(late, { output: 'y', reference: 'r', band: 0.02 }).settling_time_s).toBeNaN();
  });

  it('steady-state error never averages samples from before the judged step', () => {
    // Output held at 1; the reference goes 1 → 2 at 3.8 s of a 4 s run: the final error is 1, not 0.5.
    const run = record(0.01, 400, (t) => ({ y: 1, r: t < 3.795 ? 1 : 2 }));
    expect(computeMetrics(run, { output: 'y', reference: 'r', band: 0.02 }).steady_state_error).toBe(1);
  });

  it('reports never-settled as NaN and counts saturation at either end of the counts range', () => {
    const s = new ColumnStore();
    s.begin(['t_s', 'y', 'r', 'c']);
    for (let k = 0; k < 100; k++) s.write(Float64Array.of(k * 0.01, Math.sin(k), 1, k < 30 ? 0 : k < 60 ? 128 : 255));
    const m = computeMetrics(s, { output: 'y', reference: 'r', band: 0.02, saturation: { column: 'c', minCounts: 0, maxCounts: 255 } });
    expect(m.settling_time_s).toBeNaN();
    expect(m.saturation_time_s).toBeCloseTo(0.7, 10);
  });
});
