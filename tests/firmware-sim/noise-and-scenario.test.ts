import { describe, expect, it } from 'vitest';
import { GaussianNoise, SineNoise, UniformNoise } from '../../firmware-sim/noise.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { applySet, loadScenario } from '../../firmware-sim/scenario/load.ts';
import { RampReference, StepReference, TableReference } from '../../firmware-sim/references.ts';

describe('noise sources', () => {
  it('uniform noise stays within ±pp/2, holds each draw for the hold time, and has the uniform variance pp²/12', () => {
    const n = new UniformNoise(new Xoshiro128(1), 0.02, 0.001);
    const dt = 1e-4;
    let sum2 = 0;
    let changes = 0;
    let prev = NaN;
    const steps = 200_000;
    for (let k = 0; k < steps; k++) {
      const v = n.value(k * dt);
      expect(Math.abs(v)).toBeLessThanOrEqual(0.01);
      if (v !== prev) changes++;
      prev = v;
      sum2 += v * v;
    }
    expect(changes).toBe(steps / 10); // a new draw every 1 ms = every 10 steps
    expect(sum2 / steps).toBeCloseTo(0.02 ** 2 / 12, 6);
  });

  it('Gaussian noise has the requested σ; sine noise is the closed form', () => {
    const g = new GaussianNoise(new Xoshiro128(2), 0.05, 0);
    let s2 = 0;
    for (let k = 0; k < 100_000; k++) s2 += g.value(k) ** 2;
    expect(Math.sqrt(s2 / 100_000)).toBeCloseTo(0.05, 3);
    const s = new SineNoise(0.01, 1, 0);
    expect(s.value(0.25)).toBeCloseTo(0.01, 15);
    expect(s.value(0.75)).toBeCloseTo(-0.01, 15);
  });
});

describe('references', () => {
  it('step, ramp with limit and table (hold and linear) give their defined values', () => {
    const step = new StepReference(1, 2, 0.5);
    expect([step.value(0.49), step.value(0.5)]).toEqual([1, 2]);
    const ramp = new RampReference(0, 2, 1, 3);
    expect([ramp.value(0.5), ramp.value(2), ramp.value(10)]).toEqual([0, 2, 3]);
    const pts: [number, number][] = [
      [0, 0],
      [1, 10],
      [3, 30],
    ];
    expect(new TableReference(pts, 'hold').value(2)).toBe(10);
    expect(new TableReference(pts, 'linear').value(2)).toBe(20);
    expect(new TableReference(pts, 'linear').value(-1)).toBe(0);
    expect(new TableReference(pts, 'linear').value(9)).toBe(30);
  });
});

describe('scenario overrides', () => {
  it('--set takes dotted paths and bare plant parameters, parsing JSON values', () => {
    const o: Record<string, unknown> = { params: {}, noise: { enabled: false } };
    applySet(o, 'noise.enabled=true');
    applySet(o, 'm_kg=0.01');
    applySet(o, 'controller.direction=reverse');
    expect(o).toEqual({ params: { m_kg: 0.01 }, noise: { enabled: true }, controller: { direction: 'reverse' } });
    expect(() => applySet(o, 'novalue')).toThrow(/key=value/);
  });

  it('loads a built-in scenario with overrides and names a bad override by its JSON path', () => {
    const s = loadScenario('maglev', { duration: 0.5, seed: 9, set: ['controller.kp=40'] }).scenario;
    expect([s.duration, s.seed, s.controller.kp]).toEqual([0.5, 9, 40]);
    expect(() => loadScenario('maglev', { set: ['Ts=-1'] })).toThrow(/maglev\.json: Ts: /);
    expect(() => loadScenario('no-such-scenario')).toThrow(/unknown scenario 'no-such-scenario'/);
    expect(() => loadScenario('maglev', { controller: 'nope' })).toThrow(/--controller 'nope'/);
    // A table reference whose times do not increase would make the lookup return a reversed step.
    expect(() => loadScenario('maglev', { set: ['references.0={"name":"x_ref_m","type":"table","points":[[1,0.008],[0,0.009]]}'] })).toThrow(/references\.0\.points: .*increase strictly/);
    expect(() => applySet({}, 'params.__proto__.x=1')).toThrow(/'__proto__' is not a scenario key/);
  });
});
