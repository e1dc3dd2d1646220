import { describe, expect, it } from 'vitest';
import { Cmaes, mirror } from '../../tuning/methods/cmaes.ts';
import { GridSearch } from '../../tuning/methods/grid.ts';
import { minimize } from '../../tuning/methods/method.ts';
import { NelderMead } from '../../tuning/methods/nelder-mead.ts';
import { RandomSearch } from '../../tuning/methods/random.ts';

// Standard test functions on [-2, 2]^n (unit cube z ↦ 4z − 2). Minima known in closed form:
// Rosenbrock f(1, 1) = 0, sphere f(0.3, …) = 0 (shifted off the cube's centre on purpose).
const toBox = (z: readonly number[]): number[] => z.map((v) => 4 * v - 2);
const rosenbrock = (z: readonly number[]): number => {
  const [x, y] = toBox(z);
  return 100 * (y - x * x) ** 2 + (1 - x) ** 2;
};
const sphere = (z: readonly number[]): number => toBox(z).reduce((a, x) => a + (x - 0.3) ** 2, 0);

describe('Nelder–Mead', () => {
  it('finds the Rosenbrock minimum (1, 1) from (-1.2, 1)', () => {
    const r = minimize(new NelderMead([0.2, 0.75]), rosenbrock, 2000);
    expect(r.f).toBeLessThan(1e-6);
    const [x, y] = toBox(r.x);
    expect(x).toBeCloseTo(1, 2);
    expect(y).toBeCloseTo(1, 2);
  });
  it('minimises a 5-D sphere', () => {
    const r = minimize(new NelderMead([0.9, 0.1, 0.8, 0.2, 0.6]), sphere, 3000);
    expect(r.f).toBeLessThan(1e-8);
  });
});

describe('CMA-ES', () => {
  it('finds the Rosenbrock minimum', () => {
    const r = minimize(new Cmaes([0.2, 0.75], { seed: 7, sigma: 0.2 }), rosenbrock, 3000);
    expect(r.f).toBeLessThan(1e-6);
    const [x, y] = toBox(r.x);
    expect(x).toBeCloseTo(1, 2);
    expect(y).toBeCloseTo(1, 2);
  });
  it('minimises a 5-D sphere', () => {
    const r = minimize(new Cmaes([0.9, 0.1, 0.8, 0.2, 0.6], { seed: 3, sigma: 0.3 }), sphere, 3000);
    expect(r.f).toBeLessThan(1e-8);
  });
  it('gives the same path for the same seed and a different one for another seed', () => {
    const a = minimize(new Cmaes([0.5, 0.5], { seed: 1 }), rosenbrock, 200);
    const b = minimize(new Cmaes([0.5, 0.5], { seed: 1 }), rosenbrock, 200);
    const c = minimize(new Cmaes([0.5, 0.5], { seed: 2 }), rosenbrock, 200);
    expect(b).toEqual(a);
    expect(c.x).not.toEqual(a.x);
  });
  it('mirrors samples into the unit box', () => {
    expect(mirror(1.2)).toBeCloseTo(0.8, 12);
    expect(mirror(-0.1)).toBeCloseTo(0.1, 12);
    expect(mirror(2.3)).toBeCloseTo(0.3, 12);
    expect(mirror(0.4)).toBe(0.4);
  });
});

describe('grid and random search', () => {
  it('grid enumerates m^n points including both ends', () => {
    const g = new GridSearch(2, 30);
    expect(g.perAxis).toBe(5);
    const pts: number[][] = [];
    for (let b = g.ask(); b; b = g.ask()) pts.push(...b);
    expect(pts.length).toBe(25);
    expect(pts[0]).toEqual([0, 0]);
    expect(pts[24]).toEqual([1, 1]);
    expect(new Set(pts.map((p) => p.join())).size).toBe(25);
  });
  it('random search on the sphere gets within 0.1 of the minimum with 2000 samples in 2-D', () => {
    const r = minimize(new RandomSearch(2, 5), sphere, 2000);
    expect(r.f).toBeLessThan(0.1);
    for (const v of r.x) expect(v).toBeGreaterThanOrEqual(0);
  });
});
