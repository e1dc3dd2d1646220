import type { RecordedRun } from '../plant.ts';
import { nearestSegmentDistance } from './geometry.ts';
import { insideObstacle } from './map.ts';
import { NAV_STATUS, type PioneerRobot } from './robot.ts';

/** Goal tolerance of the task in plants.md §4: within 100 mm of the goal. */
export const GOAL_TOLERANCE_M = 0.1;

/**
 * Navigation metrics of a recorded run (metrics.json): path length (integrated true speed), its
 * ratio to the straight start–goal line, time, minimum clearance between the robot body and any
 * wall, collisions, and what the controller reported through `nav_status`.
 */
export function robotMetrics(run: RecordedRun, robot: PioneerRobot): Record<string, number> {
  const t = run.t;
  const n = t.length;
  const col = (name: string): Float64Array => {
    const c = run.column(name);
    if (!c) throw new Error(`robot metrics: no recorded signal '${name}'`);
    return c;
  };
  const x = col('x_m');
  const y = col('y_m');
  const path = col('path_m');
  const collisions = col('collisions');
  const status = col('nav_status');
  const gx = run.column(robot.options.goalColumns[0]);
  const gy = run.column(robot.options.goalColumns[1]);

  let minClearance = Infinity;
  for (let k = 0; k < n; k++) {
    const d = insideObstacle(robot.map, x[k], y[k]) ? -1 : nearestSegmentDistance(robot.map.segments, x[k], y[k]);
    const c = d - robot.p.robot_radius_m;
    if (c < minClearance) minClearance = c;
  }
  const out: Record<string, number> = {
    path_length_m: path[n - 1] - path[0],
    min_clearance_m: minClearance,
    collisions: collisions[n - 1],
  };
  let tStatus = NaN;
  for (let k = 0; k < n; k++) {
    if (status[k] !== NAV_STATUS.running) {
      tStatus = t[k];
      break;
    }
  }
  const last = status[n - 1];
  out.nav_status = last;
  out.goal_reached_reported = last === NAV_STATUS.reached ? 1 : 0;
  out.goal_unreachable_reported = last === NAV_STATUS.unreachable ? 1 : 0;
  out.time_to_status_s = tStatus;
  const route = run.column('route_cost_m');
  if (route && route[n - 1] > 0) out.planned_route_m = route[n - 1];
  if (gx && gy) {
    const straight = Math.hypot(gx[0] - x[0], gy[0] - y[0]);
    const dEnd = Math.hypot(gx[n - 1] - x[n - 1], gy[n - 1] - y[n - 1]);
    let tGoal = NaN;
    for (let k = 0; k < n; k++) {
      if (Math.hypot(gx[k] - x[k], gy[k] - y[k]) <= GOAL_TOLERANCE_M) {
        tGoal = t[k];
        break;
      }
    }
    out.straight_line_m = straight;
    out.path_ratio = straight > 0 ? out.path_length_m / straight : NaN;
    out.final_goal_distance_m = dEnd;
    out.goal_reached = dEnd <= GOAL_TOLERANCE_M ? 1 : 0;
    out.time_to_goal_s = tGoal;
  }
  return out;
}
