import { describe, expect, it } from 'vitest';
import { runRobot, type NavRun } from './helpers.ts';

// plants.md §4 [C], consistency test 11: ratios on the fitted world, ±0.05.
const PLANTS_MD_RATIO = { bug1: 3.39, bug2: 2.03, distbug: 1.48 } as const;
// The seed's own numbers [S]: Bug1 ≈ 3.37×, DistBug ≈ 1.49×.
const SEED_RATIO = { bug1: 3.37, distbug: 1.49 } as const;

describe('Bug algorithms on the fitted Yufka & Parlaktuna world (plants.md §4)', () => {
  const runs: Record<string, NavRun> = {};
  const get = (alg: 'bug1' | 'bug2' | 'distbug'): NavRun => (runs[alg] ??= runRobot(`robot-${alg}`));

  it('consistency test 11a: the straight line from S to G is 8602.3 mm', () => {
    expect(get('distbug').metrics.straight_line_m * 1000).toBeCloseTo(8602.3, 1);
  });

  for (const alg of ['bug1', 'bug2', 'distbug'] as const) {
    it(`consistency test 11b: ${alg} reaches the goal without collision, ratio ${PLANTS_MD_RATIO[alg]} ± 0.05`, () => {
      const { metrics } = get(alg);
      expect(metrics.goal_reached).toBe(1);
      expect(metrics.goal_reached_reported).toBe(1);
      expect(metrics.collisions).toBe(0);
      expect(metrics.min_clearance_m).toBeGreaterThan(0.15);
      expect(Math.abs(metrics.path_ratio - PLANTS_MD_RATIO[alg])).toBeLessThanOrEqual(0.05);
    });
  }

  it('orders the path lengths Bug1 > Bug2 > DistBug, within 10 % of the seed where it printed a number', () => {
    const [b1, b2, db] = (['bug1', 'bug2', 'distbug'] as const).map((a) => get(a).metrics.path_length_m);
    expect(b1).toBeGreaterThan(b2);
    expect(b2).toBeGreaterThan(db);
    expect(Math.abs(get('bug1').metrics.path_ratio / SEED_RATIO.bug1 - 1)).toBeLessThan(0.1);
    expect(Math.abs(get('distbug').metrics.path_ratio / SEED_RATIO.distbug - 1)).toBeLessThan(0.1);
  });

  it('Bug1 takes about 290 s at 100 mm/s, as the seed reports', () => {
    const t = get('bug1').metrics.time_to_goal_s;
    expect(t).toBeGreaterThan(290);
    expect(t).toBeLessThan(330);
  });

  it('reports an unreachable goal (inside obstacle O2) with every Bug algorithm', () => {
    for (const alg of ['bug1', 'bug2', 'distbug']) {
      const { metrics } = runRobot('robot-unreachable', { controller: alg });
      expect(metrics.nav_status, alg).toBe(2);
      expect(metrics.goal_unreachable_reported, alg).toBe(1);
      expect(metrics.goal_reached, alg).toBe(0);
      expect(metrics.collisions, alg).toBe(0);
    }
  });

  it('keeps working with a 5-ray sonar fan, ±0.75 % odometry noise and sonar noise', () => {
    const { metrics } = runRobot('robot-distbug', { set: ['sonar_rays=5', 'odo_error_per_unit=0.0075'] });
    expect(metrics.goal_reached_reported).toBe(1);
    expect(metrics.collisions).toBe(0);
    expect(Math.abs(metrics.path_ratio - PLANTS_MD_RATIO.distbug)).toBeLessThan(0.1);
  });
});
