import { describe, expect, it } from 'vitest';
import { FLAG_BRAIN_STOP, FLAG_PLATE, FLAG_RECTAL, FLAG_SINK, Interlocks } from '../../../controllers/thermal/interlocks.ts';
import { BrainObserver, LineEstimator } from '../../../controllers/thermal/estimators.ts';
import { buildRun } from '../../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../../firmware-sim/scenario/load.ts';
import { INTERLOCK_BITS } from '../../../plants/hypothermia/index.ts';
import { HypothermiaMetrics } from '../../../plants/hypothermia/metrics.ts';
import { replay } from '../../helpers/replay.ts';
import { runInMemory } from '../../helpers/scenario.ts';

describe('hypothermia interlocks', () => {
  it('flag bits agree between the controller and the plant alarm decoding', () => {
    expect([FLAG_PLATE, FLAG_SINK, FLAG_RECTAL, FLAG_BRAIN_STOP]).toEqual([
      INTERLOCK_BITS.plate_cold,
      INTERLOCK_BITS.sink_hot,
      INTERLOCK_BITS.rectal_low,
      INTERLOCK_BITS.brain_low_stop,
    ]);
  });

  it('plate and rectal interlocks cut cooling, keep heating allowed and clear with hysteresis; sink and brain stops latch', () => {
    const il = new Interlocks();
    expect(il.apply(1, 36, 10, 30, 33)).toBe(1);
    expect(il.flags).toBe(0);
    expect(il.apply(1, 36, 4.9, 30, 33)).toBe(0);
    expect(il.flags).toBe(FLAG_PLATE);
    expect(il.apply(-0.5, 36, 5.2, 30, 33)).toBe(-0.5); // inside hysteresis: still tripped, heating allowed
    expect(il.flags).toBe(FLAG_PLATE);
    expect(il.apply(1, 36, 5.6, 30, 33)).toBe(1);
    expect(il.flags).toBe(0);
    expect(il.apply(1, 32.9, 10, 30, 33)).toBe(0);
    expect(il.flags).toBe(FLAG_RECTAL);
    expect(il.apply(1, 33.6, 10, 30, 33)).toBe(1);
    expect(il.flags).toBe(0);
    const sink = new Interlocks();
    expect(sink.apply(1, 36, 10, 60.1, 33)).toBe(0);
    expect(sink.flags).toBe(FLAG_SINK);
    expect(sink.apply(-1, 36, 10, 40, 33)).toBe(0); // latched: no current either way, even once cool
    expect(sink.flags).toBe(FLAG_SINK);
    expect(il.apply(1, 36, 10, 30, 29.9)).toBe(0);
    expect(il.flags & FLAG_BRAIN_STOP).toBe(FLAG_BRAIN_STOP);
    expect(il.apply(-1, 36, 10, 30, 33)).toBe(0); // latched stop: nothing at all
  });

  it('events reach run.csv (alarm_code) and metrics: a weak heat sink trips the sink interlock', () => {
    const store = runInMemory(buildRun(loadScenario('hypothermia', { set: ['R_SA_KpW=40', 'duration=3600'] })));
    const m = replay(store, new HypothermiaMetrics(store.columns, 32.5, 0.5)).result();
    expect(m.interlock_sink_hot_events).toBe(1);
    const alarm = store.column('alarm_code')!;
    expect(alarm.some((a) => (a & FLAG_SINK) !== 0)).toBe(true);
    const TS = store.column('T_sink_C')!;
    expect(Math.max(...TS)).toBeLessThan(63);
  });

  it('a raised rectal limit and brain-stop threshold raise their events', () => {
    const store = runInMemory(
      buildRun(loadScenario('hypothermia', { set: ['controller.rectalMin_C=37.5', 'controller.brainStop_C=34', 'duration=3600'] })),
    );
    const m = replay(store, new HypothermiaMetrics(store.columns, 32.5, 0.5)).result();
    expect(m.interlock_rectal_low_events).toBeGreaterThanOrEqual(1);
    expect(m.interlock_brain_low_stop_events).toBe(1);
    const I = store.column('I_tec_A')!;
    expect(Math.abs(I[I.length - 1])).toBeLessThan(0.01); // zero within one 10-bit PWM step of the H-bridge
  });
});

describe('brain estimators', () => {
  it('the line estimator is the seed formula', () => {
    expect(new LineEstimator().update(35)).toBeCloseTo(32.525, 12);
  });

  it('the observer converges to the brain node\'s exact response to a plate step (τ ≈ 50 s)', () => {
    const obs = new BrainObserver({ C_B_JpK: 7.26, q_B_W: 0.07, w_B_WpK: 0.1267, G_BP_WpK: 0.02, rectalFilter_s: 1e-9 });
    obs.update(37, 22, 0, 0);
    let est = 0;
    for (let t = 1; t <= 600; t++) est = obs.update(37, 10, 0, t);
    const Tss = (0.07 + 0.1267 * 37 + 0.02 * 10) / (0.1267 + 0.02);
    expect(est).toBeCloseTo(Tss, 4);
    const o2 = new BrainObserver({ C_B_JpK: 7.26, q_B_W: 0.07, w_B_WpK: 0.1267, G_BP_WpK: 0.02, rectalFilter_s: 1e-9 });
    const T0 = o2.update(37, 22, 0, 0);
    const tau = 7.26 / 0.1467;
    let e = 0;
    for (let t = 1; t <= 50; t++) e = o2.update(37, 10, 0, t);
    expect(e).toBeCloseTo(Tss + (T0 - Tss) * Math.exp(-50 / tau), 9);
  });
});
