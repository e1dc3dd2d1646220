import { describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { listBuiltinScenarios, loadScenario } from '../../firmware-sim/scenario/load.ts';
import { plantRegistry } from '../../plants/registry.ts';

// Plausible ranges (plants/plant.ts ParamDoc.range): every documented parameter has one, every
// parameter set's value lies inside it, and a value outside is refused in one line naming both.
describe('plant parameter plausible ranges', () => {
  for (const factory of plantRegistry.values()) {
    if (!factory.docs) continue;
    for (const set of factory.parameterSets) {
      it(`${factory.name} set ${set}: every parameter has a range holding its value`, () => {
        const docs = factory.docs!(set);
        expect(Object.keys(docs).length).toBeGreaterThan(0);
        for (const [name, d] of Object.entries(docs)) {
          expect(d.range, name).toBeDefined();
          expect(d.range![0], name).toBeLessThanOrEqual(d.range![1]);
          expect(d.value >= d.range![0] && d.value <= d.range![1], `${name} = ${d.value} outside [${d.range}]`).toBe(true);
        }
        expect(factory.checkParams?.(factory.defaults(set))).toBeUndefined();
      });
    }
  }

  it('every built-in scenario builds with its parameters and options', () => {
    for (const name of listBuiltinScenarios()) expect(() => buildRun(loadScenario(name)), name).not.toThrow();
  });

  it('refuses a value outside the range, naming parameter, value and range', () => {
    expect(() => buildRun(loadScenario('maglev', { set: ['m_kg=-0.009'] }))).toThrow(/params\.m_kg: -0\.009 kg is outside the plausible range \[0\.0001, 1\] kg/);
    expect(() => buildRun(loadScenario('maglev', { set: ['x0_m=0.02'] }))).toThrow(/params\.x0_m: 0\.02 m is outside the rig: the gap runs from 0 \(magnet\) to x_max_m = 0\.015 m/);
    expect(() => buildRun(loadScenario('solar', { set: ['lat_deg=95'] }))).toThrow(/params\.lat_deg: 95 deg is outside the plausible range \[-90, 90\] deg/);
    expect(() => buildRun(loadScenario('maglev', { set: ['toString=1'] }))).toThrow(/params\.toString: not a parameter of plant 'maglev'/);
  });
});
