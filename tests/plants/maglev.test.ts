import { describe, expect, it } from 'vitest';
import { Maglev, maglevFactory, opticalDetector } from '../../plants/maglev/index.ts';
import { Rk4Integrator } from '../../firmware-sim/integrators.ts';

const setA = (): Maglev => maglevFactory.create(maglevFactory.defaults('A')) as Maglev;

/** Integrates the plant with a continuous-time feedback law (evaluated at every RK4 stage start). */
function simulate(plant: Maglev, law: (x: number, v: number) => number, x0: number, duration: number, dt = 1e-5, v0 = 0) {
  const x = Float64Array.of(x0, v0);
  const u = new Float64Array(1);
  const rk4 = new Rk4Integrator(2, dt);
  const xs: number[] = [];
  const n = Math.round(duration / dt);
  for (let k = 0; k < n; k++) {
    u[0] = law(x[0], x[1]);
    rk4.step(plant, k, x, u);
    plant.constrain(0, x);
    xs.push(x[0]);
  }
  return xs;
}

describe('maglev plant, parameter set A (plants.md §1)', () => {
  it('holds the ball at 8 mm with 95.5 mA ± 1 % (the seed value), and F = m·g there', () => {
    const p = setA();
    const i = p.holdingCurrent(0.008);
    expect(Math.abs(i - 0.0955) / 0.0955).toBeLessThan(0.01);
    expect(p.force(0.008, i)).toBeCloseTo(0.009 * 9.81, 10);
    // 95.5 mA itself gives 0.08829 N (plants.md check).
    expect(p.force(0.008, 0.0955)).toBeCloseTo(0.08829, 4);
  });

  it('shows why L0 was reconstructed: the printed 5.108 mH would need 1.116 A', () => {
    const literal = maglevFactory.create({ ...maglevFactory.defaults('A'), L0_H: 0.005108 }) as Maglev;
    expect(literal.holdingCurrent(0.008)).toBeCloseTo(1.116, 3);
  });

  it('has the other equilibrium currents of plants.md', () => {
    const p = setA();
    expect(p.holdingCurrent(0)).toBeCloseTo(0.0318, 4);
    expect(p.holdingCurrent(0.01355)).toBeCloseTo(0.1397, 4);
    expect(p.holdingCurrent(0.015)).toBeCloseTo(0.151, 3);
  });

  it('linearises at 8 mm to dF/dx = 14.7 N/m, dF/di = 1.849 N/A and an unstable pole at 40.4 rad/s', () => {
    const lin = setA().linearize(0.008);
    expect(lin.dFdx_Npm).toBeCloseTo(14.7, 1);
    expect(lin.dFdi_NpA).toBeCloseTo(1.849, 2);
    expect(lin.pole_radps).toBeCloseTo(40.4, 1);
  });

  it('matches the Quanser rig: i0(6 mm) = 0.858 A ± 1 %', () => {
    const q = maglevFactory.create(maglevFactory.defaults('quanser')) as Maglev;
    expect(Math.abs(q.holdingCurrent(0.006) - 0.858) / 0.858).toBeLessThan(0.01);
  });

  it('is neutrally stable under i = I_eq(x): no net force anywhere, so a 1 mm/s push drifts at 1 mm/s (x = x0 + v0·t)', () => {
    const p = setA();
    const dt = 1e-5;
    // The law is applied inside every RK4 stage (continuous feedback): held over a step, a moving
    // ball would see the current of where it was, and the sampled loop drifts away (µm per second).
    const i = new Float64Array(1);
    const continuous = { derivatives: (t: number, x: Float64Array, _u: Float64Array, dx: Float64Array) => ((i[0] = p.holdingCurrent(x[0])), p.derivatives(t, x, i, dx)) };
    const x = Float64Array.of(0.0081, 0.001);
    const rk4 = new Rk4Integrator(2, dt);
    let worst = 0;
    for (let k = 0; k < 100_000; k++) {
      rk4.step(continuous as unknown as Maglev, k, x, i);
      // Set A has no viscous damping (kv = 0): the closed form is a straight line.
      worst = Math.max(worst, Math.abs(x[0] - (0.0081 + 0.001 * (k + 1) * dt)));
    }
    expect(worst).toBeLessThan(1e-12);
    expect(x[1]).toBeCloseTo(0.001, 12);
  });

  it('oscillates without decay under the seed’s ±8 % valley correction (about 7.3–8.6 mm from 8.5 mm)', () => {
    const p = setA();
    const xs = simulate(p, (x) => p.holdingCurrent(x) * (1 + 0.08 * Math.sign(x - 0.008)), 0.0085, 2);
    const half = xs.length / 2;
    const range = (a: number[]) => [Math.min(...a), Math.max(...a)];
    const [min1, max1] = range(xs.slice(0, half));
    const [min2, max2] = range(xs.slice(half));
    expect(max2 - min2).toBeGreaterThan(0.95 * (max1 - min1));
    expect(min2 * 1000).toBeGreaterThan(7.32 - 0.15);
    expect(min2 * 1000).toBeLessThan(7.32 + 0.15);
    expect(max2 * 1000).toBeGreaterThan(8.57 - 0.15);
    expect(max2 * 1000).toBeLessThan(8.57 + 0.15);
  });

  it('stops the ball at the magnet face and the floor without NaN or tunnelling', () => {
    const p = setA();
    const up = simulate(p, () => 0.15, 0.005, 0.2);
    expect(Math.min(...up)).toBe(0);
    expect(up.every(Number.isFinite)).toBe(true);
    const down = simulate(p, () => 0, 0.005, 0.5);
    expect(Math.max(...down)).toBe(0.015);
    expect(down.every((x) => x >= 0 && x <= 0.015)).toBe(true);
  });

  it('voltage mode on the Quanser set: pulled onto the magnet at 24 V, the ball rests there and the current settles at U/R, no NaN', () => {
    const q = maglevFactory.create({ ...maglevFactory.defaults('quanser'), x0_m: 0.002 }, { input: 'voltage' }) as Maglev;
    const x = q.initialState();
    const u = Float64Array.of(24);
    const rk4 = new Rk4Integrator(3, 1e-4);
    let touched = -1;
    let bad = '';
    for (let k = 0; k < 100_000; k++) {
      rk4.step(q, k, x, u);
      q.constrain(0, x);
      if (!bad && !(Number.isFinite(x[0]) && Number.isFinite(x[1]) && Number.isFinite(x[2]))) bad = `step ${k}: ${Array.from(x)}`;
      if (touched < 0 && x[0] === 0) touched = k;
      if (!bad && touched >= 0 && (x[0] !== 0 || x[1] !== 0)) bad = `left the magnet at step ${k}: ${Array.from(x)}`;
    }
    expect(bad).toBe('');
    expect(touched).toBeGreaterThan(0);
    // 10 s later (17 coil time constants L(0)/R) the ball rests on the magnet face and the coil is a
    // plain R–L: i → 24 V / 11 Ω.
    expect(x[2]).toBeCloseTo(24 / 11, 5);
  });

  it('voltage mode: at the holding current and matching voltage the coil current stays constant', () => {
    const p = maglevFactory.create(maglevFactory.defaults('A'), { input: 'voltage' }) as Maglev;
    const i0 = p.holdingCurrent(0.008);
    const dx = new Float64Array(3);
    p.derivatives(0, Float64Array.of(0.008, 0, i0), Float64Array.of(i0 * 11), dx);
    expect(dx[0]).toBe(0);
    expect(Math.abs(dx[1])).toBeLessThan(1e-12);
    expect(Math.abs(dx[2])).toBeLessThan(1e-12);
  });
});

describe('maglev optical detectors (plants.md §1, seed Table 1)', () => {
  const g = { fullScale_V: 9, h1_m: 0.01175, D_m: 0.01, w_m: 0.0004 };
  const cls = (v: number) => (v < 3 ? 'L' : v < 6 ? 'M' : 'H');
  const pattern = (x: number) =>
    cls(opticalDetector(g, x + 0.005)) + cls(opticalDetector(g, x + 0.0025)) + cls(opticalDetector(g, x));

  it('a 15 → 0 mm sweep passes through the seed table’s nine (op3, op2, op1) classes in order', () => {
    // Seed Table 1, far to near: extremely far … extremely near.
    const table = ['HHH', 'HHM', 'HHL', 'HML', 'HLL', 'MLL', 'LLL', 'LLM', 'LLH'];
    const seen: string[] = [];
    for (let x = 0.015; x >= 0; x -= 0.00001) {
      const p = pattern(x);
      if (seen[seen.length - 1] !== p) seen.push(p);
    }
    expect(seen).toEqual(table);
  });

  it('reads (8.62, 0.38, 0.00) V at 8 mm, inside the HLL (Medium) band', () => {
    expect(opticalDetector(g, 0.013)).toBeCloseTo(8.62, 2);
    expect(opticalDetector(g, 0.0105)).toBeCloseTo(0.38, 2);
    expect(opticalDetector(g, 0.008)).toBeCloseTo(0.0, 2);
    expect(pattern(0.008)).toBe('HLL');
  });
});
