import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { evaluateScenario } from '../../tuning/evaluate.ts';
import { resolveParams } from '../../tuning/param-space.ts';

const fixture = fileURLToPath(new URL('./fixtures/fopdt.json', import.meta.url));
const openLoop = 'controller={"type":"open-loop","inputs":["y_meas"],"outputs":["u_cmd"],"values":[1]}';

describe('fopdt plant', () => {
  it('unit step response: 0 until θ, then K(1 − e^(−(t−θ)/τ)) (exact delay line)', () => {
    const run = evaluateScenario(fixture, [openLoop, 'duration=3'], { keepRun: true });
    const t = run.store!.t;
    const y = run.store!.column('y')!;
    let worst = 0;
    for (let k = 0; k < t.length; k++) {
      const expected = t[k] < 0.3 - 1e-9 ? 0 : 2 * (1 - Math.exp(-(t[k] - 0.3) / 1));
      worst = Math.max(worst, Math.abs(y[k] - expected));
    }
    expect(worst).toBeLessThan(1e-9);
    expect(y[Math.round(0.299 / 0.001)]).toBe(0);
    expect(y[Math.round(0.31 / 0.001)]).toBeGreaterThan(0);
  });
  it('θ = 0 is a plain first-order lag; a second run of the same scenario repeats the first exactly', () => {
    const a = evaluateScenario(fixture, [openLoop, 'duration=1', 'theta_s=0'], { keepRun: true });
    const y = a.store!.column('y')!;
    expect(y[500]).toBeCloseTo(2 * (1 - Math.exp(-0.5)), 9);
    const b = evaluateScenario(fixture, [openLoop, 'duration=1', 'theta_s=0'], { keepRun: true });
    expect(Array.from(b.store!.column('y')!)).toEqual(Array.from(y));
  });
});

describe('parameter names', () => {
  it('resolve to controller keys, plant parameters and dotted scenario paths', () => {
    const loaded = loadScenario('maglev');
    const built = buildRun(loaded);
    const specs = resolveParams(
      [
        { name: 'kp', lo: 1, hi: 2, log: false },
        { name: 'm_kg', lo: 0.008, hi: 0.01, log: false },
        { name: 'sensors.0.gain', lo: 0.002, hi: 0.004, log: false },
      ],
      loaded.scenario,
      built.plantParams,
    );
    expect(specs.map((s) => [s.path, s.initial])).toEqual([
      ['controller.kp', 51.57],
      ['params.m_kg', 0.009],
      ['sensors.0.gain', 0.003],
    ]);
  });
});
