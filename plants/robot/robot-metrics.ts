import type { PlantMetricsRecorder } from '../plant.ts';
import { nearestSegmentDistance } from './geometry.ts';
import { insideObstacle } from './map.ts';
import { NAV_STATUS, type PioneerRobot } from './robot.ts';

/** Goal tolerance of the task in plants.md §4: within 100 mm of the goal. */
export const GOAL_TOLERANCE_M = 0.1;

/**
 * Navigation metrics, row by row (metrics.json): path length (integrated true speed), its ratio to
 * the straight start–goal line, time, minimum clearance between the robot body and any wall,
 * collisions, and what the controller reported through `nav_status`.
 */
export class RobotMetrics implements PlantMetricsRecorder {
  private readonly ix: number;
  private readonly iy: number;
  private readonly iPath: number;
  private readonly iCollisions: number;
  private readonly iStatus: number;
  private readonly iRoute: number;
  private readonly igx: number;
  private readonly igy: number;
  private rows = 0;
  private minClearance = Infinity;
  private tStatus = NaN;
  private tGoal = NaN;
  private path0 = NaN;
  private straight = NaN;
  /** The last row's path, collisions, status, route cost and goal distance. */
  private pathLast = NaN;
  private collisionsLast = NaN;
  private statusLast = NaN;
  private routeLast = NaN;
  private goalDistanceLast = NaN;

  constructor(
    columns: readonly string[],
    private readonly robot: PioneerRobot,
  ) {
    const must = (name: string): number => {
      const i = columns.indexOf(name);
      if (i < 0) throw new Error(`robot metrics: no recorded signal '${name}'`);
      return i;
    };
    this.ix = must('x_m');
    this.iy = must('y_m');
    this.iPath = must('path_m');
    this.iCollisions = must('collisions');
    this.iStatus = must('nav_status');
    this.iRoute = columns.indexOf('route_cost_m');
    this.igx = columns.indexOf(robot.options.goalColumns[0]);
    this.igy = columns.indexOf(robot.options.goalColumns[1]);
  }

  write(row: Float64Array): void {
    const { robot } = this;
    const t = row[0];
    const x = row[this.ix];
    const y = row[this.iy];
    const d = insideObstacle(robot.map, x, y) ? -1 : nearestSegmentDistance(robot.map.segments, x, y);
    const c = d - robot.p.robot_radius_m;
    if (c < this.minClearance) this.minClearance = c;
    const status = row[this.iStatus];
    if (this.tStatus !== this.tStatus && status !== NAV_STATUS.running) this.tStatus = t;
    if (this.rows === 0) this.path0 = row[this.iPath];
    this.pathLast = row[this.iPath];
    this.collisionsLast = row[this.iCollisions];
    this.statusLast = status;
    if (this.iRoute >= 0) this.routeLast = row[this.iRoute];
    if (this.igx >= 0 && this.igy >= 0) {
      const gx = row[this.igx];
      const gy = row[this.igy];
      if (this.rows === 0) this.straight = Math.hypot(gx - x, gy - y);
      const dGoal = Math.hypot(gx - x, gy - y);
      if (this.tGoal !== this.tGoal && dGoal <= GOAL_TOLERANCE_M) this.tGoal = t;
      this.goalDistanceLast = dGoal;
    }
    this.rows++;
  }

  result(): Record<string, number> {
    const out: Record<string, number> = {
      path_length_m: this.pathLast - this.path0,
      min_clearance_m: this.minClearance,
      collisions: this.collisionsLast,
    };
    const last = this.statusLast;
    out.nav_status = last;
    out.goal_reached_reported = last === NAV_STATUS.reached ? 1 : 0;
    out.goal_unreachable_reported = last === NAV_STATUS.unreachable ? 1 : 0;
    out.time_to_status_s = this.tStatus;
    if (this.iRoute >= 0 && this.routeLast > 0) out.planned_route_m = this.routeLast;
    if (this.igx >= 0 && this.igy >= 0) {
      const straight = this.straight;
      const dEnd = this.goalDistanceLast;
      out.straight_line_m = straight;
      out.path_ratio = straight > 0 ? out.path_length_m / straight : NaN;
      out.final_goal_distance_m = dEnd;
      out.goal_reached = dEnd <= GOAL_TOLERANCE_M ? 1 : 0;
      out.time_to_goal_s = this.tGoal;
    }
    return out;
  }
}
