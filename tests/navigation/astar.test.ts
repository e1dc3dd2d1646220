import { describe, expect, it } from 'vitest';
import { planRoute } from '../../controllers/navigation/astar.ts';
import { OccupancyGrid } from '../../controllers/navigation/grid.ts';
import { loadMap, parseMap, type RobotMap } from '../../plants/robot/map.ts';
import { defaultMapFile } from '../../plants/robot/index.ts';
import { runRobot } from './helpers.ts';

/** Independent reference: Dijkstra over the same moves with a plain O(n²) scan (no heuristic, no heap). */
function dijkstraCost(grid: OccupancyGrid, s: number, g: number): number {
  const n = grid.nx * grid.ny;
  const dist = new Array<number>(n).fill(Infinity);
  const done = new Array<boolean>(n).fill(false);
  dist[s] = 0;
  for (;;) {
    let k = -1;
    for (let m = 0; m < n; m++) if (!done[m] && dist[m] < Infinity && (k < 0 || dist[m] < dist[k])) k = m;
    if (k < 0) return Infinity;
    if (k === g) return dist[k];
    done[k] = true;
    const i = k % grid.nx;
    const j = Math.floor(k / grid.nx);
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        if ((di === 0 && dj === 0) || !grid.isFree(i + di, j + dj)) continue;
        if (di !== 0 && dj !== 0 && !(grid.isFree(i + di, j) && grid.isFree(i, j + dj))) continue;
        const m = (j + dj) * grid.nx + i + di;
        dist[m] = Math.min(dist[m], dist[k] + Math.hypot(di, dj));
      }
    }
  }
}

describe('A* on the 1 m grid (Gürel et al.; plants.md §4)', () => {
  const map = loadMap(defaultMapFile);

  it('consistency test 11c: the route cost on the fitted world is 6000 + 3·1414.2 mm', () => {
    const route = planRoute(new OccupancyGrid(map, 1, 0, 0, 0), 0, 0, 7, 5)!;
    expect(route.cost_m * 1000).toBeCloseTo(6000 + 3 * 1414.2136, 1);
    expect(route.waypoints[0]).toEqual([0, 0]);
    expect(route.waypoints.at(-1)).toEqual([7, 5]);
  });

  it('gives plants.md’s 10828 mm with a 250 mm safety margin', () => {
    const route = planRoute(new OccupancyGrid(map, 1, 0, 0, 0.25), 0, 0, 7, 5)!;
    expect(route.cost_m * 1000).toBeCloseTo(10828.4, 1);
  });

  it('agrees with a plain Dijkstra on random maps (the Euclidean heuristic is admissible)', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 30; trial++) {
      const obstacles = Array.from({ length: 6 }, () => {
        const x = 500 + rnd() * 8000;
        const y = 500 + rnd() * 6000;
        // Cut at the room's far walls: maps with obstacles outside the room are refused.
        const w = Math.min(300 + rnd() * 1500, 9500 - x);
        const h = Math.min(300 + rnd() * 1500, 7500 - y);
        return { points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]] as [number, number][] };
      });
      const m: RobotMap = parseMap({ name: 'random', room: [-500, -500, 9500, 7500], obstacles }, 'random');
      const grid = new OccupancyGrid(m, 1, 0, 0, 0);
      const s = grid.nodeAt(0, 0);
      const g = grid.nodeAt(9, 7);
      const route = planRoute(grid, 0, 0, 9, 7);
      const ref = grid.blocked[s] || grid.blocked[g] ? Infinity : dijkstraCost(grid, s, g);
      if (ref === Infinity) expect(route).toBeUndefined();
      else expect(route!.cost_m).toBeCloseTo(ref, 9);
    }
  });

  it('does not cut corners: a diagonal past a blocked cell becomes two straight moves', () => {
    // One obstacle filling cell (1, 0) only.
    const m = parseMap({ name: 'corner', room: [-500, -500, 2500, 1500], obstacles: [{ points: [[600, -400], [1400, -400], [1400, 400], [600, 400]] }] }, 'corner');
    const route = planRoute(new OccupancyGrid(m, 1, 0, 0, 0), 0, 0, 2, 0)!;
    // Around the blocked cell: up, diagonal, diagonal down would cut corners; allowed is (0,0)→(0,1)→(1,1)→(2,1)→(2,0).
    expect(route.cost_m).toBeCloseTo(4, 12);
  });

  it('has no route to a goal inside an obstacle', () => {
    expect(planRoute(new OccupancyGrid(map, 1, 0, 0, 0), 0, 0, 4.085, 3.901)).toBeUndefined();
  });

  it('robot-astar: the robot agent follows the planner’s route to the goal without collision', () => {
    const { metrics } = runRobot('robot-astar');
    expect(metrics.planned_route_m).toBeCloseTo(10.243, 3);
    expect(metrics.goal_reached_reported).toBe(1);
    expect(metrics.collisions).toBe(0);
    expect(metrics.min_clearance_m).toBeGreaterThan(0.25);
    expect(Math.abs(metrics.path_length_m / metrics.planned_route_m - 1)).toBeLessThan(0.02);
  });

  it('robot-astar reports an unreachable goal when the planner finds no route', () => {
    const { metrics } = runRobot('robot-astar', { set: ['references.0.value=4.085', 'references.1.value=3.901'] });
    expect(metrics.nav_status).toBe(2);
    expect(metrics.path_length_m).toBe(0);
  });
});
