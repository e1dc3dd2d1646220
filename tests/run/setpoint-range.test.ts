import { describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { runControlFor } from '../../run/control.ts';

// Setpoints from the dashboard are held to what the rig allows (docs/dashboard.md): the gap within
// the travel, the goal inside the room, a brain target the rectal channel can measure.
describe('setpoint ranges', () => {
  it('maglev: the gap setpoint lies between the magnet face and the floor stop (x_max_m, also as --set)', () => {
    const control = runControlFor(buildRun(loadScenario('maglev')));
    expect(control.setReference('x_ref_m', 0.0085)).toBeUndefined();
    expect(control.setReference('x_ref_m', 1e300)).toBe("reference 'x_ref_m' must lie within [0, 0.015] on this rig (got 1e+300)");
    expect(control.setReference('x_ref_m', -0.001)).toMatch(/within \[0, 0.015\]/);
    const longer = runControlFor(buildRun(loadScenario('maglev', { set: ['x_max_m=0.02'] })));
    expect(longer.setReference('x_ref_m', 0.018)).toBeUndefined();
  });

  it('robot: the goal lies inside the room of its map', () => {
    const built = buildRun(loadScenario('robot-bug2'));
    const control = runControlFor(built);
    const [gx, gy] = built.config.references.map((r) => r.name);
    expect(control.setReference(gx, 1)).toBeUndefined();
    expect(control.setReference(gx, 1e6)).toMatch(new RegExp(`reference '${gx}' must lie within \\[`));
    expect(control.setReference(gy, -1e6)).toMatch(new RegExp(`reference '${gy}' must lie within \\[`));
  });

  it('hypothermia: a brain target inside the rectal amplifier span (25–45 °C)', () => {
    const control = runControlFor(buildRun(loadScenario('hypothermia')));
    expect(control.setReference('T_brain_ref_C', 33)).toBeUndefined();
    expect(control.setReference('T_brain_ref_C', 60)).toBe("reference 'T_brain_ref_C' must lie within [25, 45] on this rig (got 60)");
  });

  it('a value that is not finite is refused before any range', () => {
    expect(runControlFor(buildRun(loadScenario('maglev'))).setReference('x_ref_m', NaN)).toMatch(/finite/);
  });
});
