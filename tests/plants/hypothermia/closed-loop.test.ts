import { beforeAll, describe, expect, it } from 'vitest';
import { buildRun } from '../../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../../firmware-sim/scenario/load.ts';
import { HypothermiaMetrics } from '../../../plants/hypothermia/metrics.ts';
import { replay } from '../../helpers/replay.ts';
import type { ColumnStore } from '../../../firmware-sim/recorder.ts';
import { runInMemory } from '../../helpers/scenario.ts';

function run(name: string, controller?: string, set: string[] = []): { store: ColumnStore; m: Record<string, number> } {
  const store = runInMemory(buildRun(loadScenario(name, { controller, set })));
  return { store, m: replay(store, new HypothermiaMetrics(store.columns, 32.5, 0.5)).result() };
}

describe('hypothermia closed loop, 3 h (issue acceptance)', () => {
  let dynamic: ReturnType<typeof run>;
  let line: ReturnType<typeof run>;
  beforeAll(() => {
    dynamic = run('hypothermia');
    line = run('hypothermia-static-line');
  });

  it('with the dynamic estimator the true brain enters 32.5 ± 0.5 °C and stays ≥ 95 % of the time after entry', () => {
    expect(dynamic.m.time_to_band_s).toBeLessThan(3600);
    expect(dynamic.m.time_in_band_after_entry_pct).toBeGreaterThanOrEqual(95);
    expect(dynamic.m.undershoot_below_band_C).toBe(0);
    expect(dynamic.m.interlock_events).toBe(0);
  });

  it('steering on the static line undershoots: the brain ends below the band while the core is still above 35 °C', () => {
    expect(line.m.T_brain_min_C).toBeLessThan(32.0);
    expect(line.m.time_in_band_after_entry_pct).toBeLessThan(80);
    // the static estimate itself still reads above the target (it assumes the core has settled)
    const est = line.store.column('display_T_brain_est_C')!;
    const TB = line.store.column('T_brain_C')!;
    const k = est.length - 1;
    expect(est[k] - TB[k]).toBeGreaterThan(0.5);
  });

  it('the static line reaches about 31.4–31.6 °C when run to the core\'s settling (plants.md: 31.4 °C)', () => {
    const long = run('hypothermia-static-line', undefined, ['duration=21600']);
    expect(long.m.T_brain_min_C).toBeGreaterThan(31.3);
    expect(long.m.T_brain_min_C).toBeLessThan(31.7);
  });

  it('the static MLP estimator (seam to the MLP room) undershoots like the line it learned', () => {
    const mlp = run('hypothermia-static-mlp');
    expect(mlp.m.T_brain_min_C).toBeLessThan(32.0);
    const est = mlp.store.column('display_T_brain_est_C')!;
    const TR = mlp.store.column('T_rectal_C')!;
    // Static: the estimate is a function of the rectal reading alone, close to the seed line.
    const k = est.length - 1;
    expect(Math.abs(est[k] - (1.695 * TR[k] - 26.8))).toBeLessThan(0.4);
  });

  it('the fuzzy law with the dynamic estimator also holds the band', () => {
    const f = run('hypothermia', 'fuzzy-dynamic');
    expect(f.m.time_in_band_after_entry_pct).toBeGreaterThanOrEqual(95);
  });

  const withPerfusion = (factor: number) => {
    const w = 0.1267 * factor;
    return run('hypothermia', undefined, [`w_B_WpK=${w}`, `G_RA_WpK=${0.695 * w}`, `q_R_W=${26.8 * w - 0.695 * w * 22}`]);
  };

  it('the dynamic estimator tolerates ±10 % perfusion error in the plant (steady states still on the seed line)', () => {
    for (const f of [0.9, 1.1]) expect(withPerfusion(f).m.time_in_band_after_entry_pct, `w_B × ${f}`).toBeGreaterThanOrEqual(95);
  });

  it('known limit: with 20 % less perfusion the open-loop observer is biased by about (T_ss shift) 0.5 K and the brain ends below the band', () => {
    const r = withPerfusion(0.8);
    // Brain steady state under the controller: observer holds its estimate at 32.5; the true node settles lower.
    expect(r.m.T_brain_final_C).toBeLessThan(32.0);
    expect(r.m.T_brain_final_C).toBeGreaterThan(31.7);
  });

  it('the true brain temperature never reaches the controller: no sensor samples T_brain_C', () => {
    const built = buildRun(loadScenario('hypothermia'));
    const names = built.sensors.map((s) => built.plant.outputs[s.outputIndex].name);
    expect(names).toEqual(['rectal_V', 'plate_V', 'sink_V']);
    expect(built.plant.outputs.some((o) => /brain/i.test(o.name))).toBe(false);
  });
});
