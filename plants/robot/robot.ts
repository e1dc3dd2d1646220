import type { HeadlineMetric, MakeRng, Plant, PlantMetricsRecorder, PlotRun, Rng, SignalInfo } from '../plant.ts';
import { nearestSegmentDistance, rayCast } from './geometry.ts';
import { insideObstacle, type RobotMap } from './map.ts';
import type { RobotParams } from './params.ts';
import { RobotMetrics } from './robot-metrics.ts';
import { robotPlots } from './robot-plots.ts';
import { SONAR_COUNT, sonarHeading_rad, sonarX_m, sonarY_m } from './sonar.ts';

/** State indices. */
export const S = {
  x: 0, y: 1, theta: 2, vL: 3, vR: 4,
  odoX: 5, odoY: 6, odoTheta: 7, odoErrLin: 8, odoErrAng: 9,
  path: 10, contact: 11, collisions: 12,
} as const;

/** Input indices. */
export const U = { vL: 0, vR: 1, status: 2, routeCost: 3 } as const;

/** Output indices: sonars 0–15, then the odometric pose. */
export const Y = { sonar0: 0, poseX: SONAR_COUNT, poseY: SONAR_COUNT + 1, poseTheta: SONAR_COUNT + 2 } as const;

/** Navigation status a controller reports through the `nav_status` input (docs/plants/robot.md). */
export const NAV_STATUS = { running: 0, reached: 1, unreachable: 2 } as const;

export interface RobotOptions {
  /** Reference columns holding the goal, for the metrics and the map plot. */
  readonly goalColumns: readonly [string, string];
  /** Seeded random source for the odometry error (the run builder's `makeRng`). */
  readonly makeRng: MakeRng;
}

/**
 * Pioneer 3-DX: differential-drive kinematics with rate-limited wheel speeds, the 16-sonar ring
 * ray-cast against a polygon map, odometry with optional random and systematic scale errors, and
 * contact detection (counted, not resolved: the robot does not bounce, so a collision is never hidden).
 */
export class PioneerRobot implements Plant {
  /** The summary's plant line (robot-metrics.ts computes them). */
  readonly headlineMetrics: readonly HeadlineMetric[] = [
    { key: 'goal_reached', label: 'goal', values: { 1: 'goal reached', 0: 'goal not reached' } },
    { key: 'nav_status', label: 'nav_status', values: { [NAV_STATUS.running]: 'controller still running', [NAV_STATUS.reached]: 'controller reports the goal reached', [NAV_STATUS.unreachable]: 'controller reports the goal unreachable' } },
    { key: 'time_to_goal_s', label: 'time to goal' },
    { key: 'path_length_m', label: 'path length' },
    { key: 'collisions', label: 'collisions' },
    { key: 'min_clearance_m', label: 'min clearance' },
  ];
  /** The goal lies inside the room. */
  referenceRange(reference: string): readonly [number, number] | undefined {
    const r = this.map.room;
    if (reference === this.options.goalColumns[0]) return [r.xmin, r.xmax];
    if (reference === this.options.goalColumns[1]) return [r.ymin, r.ymax];
    return undefined;
  }
  readonly states: readonly SignalInfo[] = [
    { name: 'x_m', unit: 'm', description: 'true x position' },
    { name: 'y_m', unit: 'm', description: 'true y position' },
    { name: 'theta_rad', unit: 'rad', description: 'true heading (unwrapped)' },
    { name: 'vL_mps', unit: 'm/s', description: 'left wheel rim speed' },
    { name: 'vR_mps', unit: 'm/s', description: 'right wheel rim speed' },
    { name: 'odo_x_m', unit: 'm', description: 'odometric x' },
    { name: 'odo_y_m', unit: 'm', description: 'odometric y' },
    { name: 'odo_theta_rad', unit: 'rad', description: 'odometric heading' },
    { name: 'odo_err_lin', unit: '1', description: 'current odometry scale error on distance' },
    { name: 'odo_err_ang', unit: '1', description: 'current odometry scale error on rotation' },
    { name: 'path_m', unit: 'm', description: 'distance travelled (true)' },
    { name: 'contact', unit: '1', description: '1 while the robot body overlaps a wall or obstacle' },
    { name: 'collisions', unit: '1', description: 'number of contacts so far' },
  ];
  readonly inputs: readonly SignalInfo[] = [
    { name: 'vL_cmd_mps', unit: 'm/s', description: 'left wheel speed command' },
    { name: 'vR_cmd_mps', unit: 'm/s', description: 'right wheel speed command' },
    { name: 'nav_status', unit: '1', description: 'controller status: 0 running, 1 goal reached, 2 goal unreachable' },
    { name: 'route_cost_m', unit: 'm', description: 'length of the route a planning controller reports (0: none); recorded only' },
  ];
  readonly outputs: readonly SignalInfo[];
  private odoRng: Rng;
  private readonly fanCos: Float64Array;
  private readonly fanSin: Float64Array;

  constructor(
    readonly p: RobotParams,
    readonly map: RobotMap,
    readonly options: RobotOptions,
  ) {
    if (!(p.track_m > 0)) throw new Error(`track_m must be > 0 (got ${p.track_m})`);
    if (!(p.wheel_tau_s > 0)) throw new Error(`wheel_tau_s must be > 0 (got ${p.wheel_tau_s})`);
    if (!(p.sonar_max_m > p.sonar_min_m)) throw new Error('sonar_max_m must exceed sonar_min_m');
    if (!Number.isInteger(p.sonar_rays) || p.sonar_rays < 1) throw new Error(`sonar_rays must be a whole number ≥ 1 (got ${p.sonar_rays})`);
    if (insideObstacle(map, p.x0_m, p.y0_m)) throw new Error(`the start (${p.x0_m}, ${p.y0_m}) m is inside an obstacle or outside the room of map '${map.name}'`);
    const clearance = nearestSegmentDistance(map.segments, p.x0_m, p.y0_m);
    if (clearance < p.robot_radius_m) {
      throw new Error(`the start (${p.x0_m}, ${p.y0_m}) m is ${clearance.toFixed(3)} m from a wall of map '${map.name}', less than the robot radius ${p.robot_radius_m} m: the robot would start in contact`);
    }
    this.outputs = [
      ...Array.from({ length: SONAR_COUNT }, (_, i) => ({ name: `sonar${i}_m`, unit: 'm', description: `sonar ${i} range` })),
      { name: 'pose_x_m', unit: 'm', description: 'odometric x reported by the robot' },
      { name: 'pose_y_m', unit: 'm', description: 'odometric y reported by the robot' },
      { name: 'pose_theta_rad', unit: 'rad', description: 'odometric heading reported by the robot' },
    ];
    this.odoRng = options.makeRng(p.odo_seed >>> 0);
    // Ray fan offsets across the field of view (a single ray on the axis by default).
    const n = p.sonar_rays;
    const fov = (p.sonar_fov_deg * Math.PI) / 180;
    this.fanCos = new Float64Array(n);
    this.fanSin = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const a = n === 1 ? 0 : -fov / 2 + (k * fov) / (n - 1);
      this.fanCos[k] = Math.cos(a);
      this.fanSin[k] = Math.sin(a);
    }
  }

  initialState(): Float64Array {
    const { p } = this;
    this.odoRng = this.options.makeRng(p.odo_seed >>> 0);
    const x = new Float64Array(this.states.length);
    x[S.x] = p.x0_m;
    x[S.y] = p.y0_m;
    x[S.theta] = p.theta0_rad;
    x[S.odoX] = p.x0_m;
    x[S.odoY] = p.y0_m;
    x[S.odoTheta] = p.theta0_rad;
    x[S.odoErrLin] = p.odo_bias_lin;
    x[S.odoErrAng] = p.odo_bias_ang;
    return x;
  }

  derivatives(_t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void {
    const vL = x[S.vL];
    const vR = x[S.vR];
    const v = 0.5 * (vL + vR);
    const w = (vR - vL) / this.p.track_m;
    const th = x[S.theta];
    dx[S.x] = v * Math.cos(th);
    dx[S.y] = v * Math.sin(th);
    dx[S.theta] = w;
    dx[S.vL] = this.wheelAccel(u[U.vL], vL);
    dx[S.vR] = this.wheelAccel(u[U.vR], vR);
    const vo = v * (1 + x[S.odoErrLin]);
    const oth = x[S.odoTheta];
    dx[S.odoX] = vo * Math.cos(oth);
    dx[S.odoY] = vo * Math.sin(oth);
    dx[S.odoTheta] = w * (1 + x[S.odoErrAng]);
    dx[S.odoErrLin] = 0;
    dx[S.odoErrAng] = 0;
    dx[S.path] = v < 0 ? -v : v;
    dx[S.contact] = 0;
    dx[S.collisions] = 0;
  }

  /** First-order wheel speed loop, saturated at the speed limit and rate-limited (accelerating vs braking). */
  private wheelAccel(cmd: number, v: number): number {
    const vmax = this.p.wheel_speed_max_mps;
    const target = cmd > vmax ? vmax : cmd < -vmax ? -vmax : cmd;
    const a = (target - v) / this.p.wheel_tau_s;
    const limit = a * v >= 0 ? this.p.accel_mps2 : this.p.decel_mps2;
    return a > limit ? limit : a < -limit ? -limit : a;
  }

  constrain(_t: number, x: Float64Array): void {
    const { p } = this;
    if (p.odo_error_per_unit > 0) {
      x[S.odoErrLin] = p.odo_bias_lin + p.odo_error_per_unit * (2 * this.odoRng.uniform() - 1);
      x[S.odoErrAng] = p.odo_bias_ang + p.odo_error_per_unit * (2 * this.odoRng.uniform() - 1);
    }
    const px = x[S.x];
    const py = x[S.y];
    const touching = nearestSegmentDistance(this.map.segments, px, py) < p.robot_radius_m || insideObstacle(this.map, px, py);
    if (touching && x[S.contact] === 0) x[S.collisions] += 1;
    x[S.contact] = touching ? 1 : 0;
  }

  measure(_t: number, x: Float64Array, _u: Float64Array, y: Float64Array, noise: Rng): void {
    const { p } = this;
    const px = x[S.x];
    const py = x[S.y];
    const th = x[S.theta];
    const c = Math.cos(th);
    const s = Math.sin(th);
    for (let i = 0; i < SONAR_COUNT; i++) {
      const ox = px + c * sonarX_m[i] - s * sonarY_m[i];
      const oy = py + s * sonarX_m[i] + c * sonarY_m[i];
      const h = th + sonarHeading_rad[i];
      const hc = Math.cos(h);
      const hs = Math.sin(h);
      let r = Infinity;
      for (let k = 0; k < this.fanCos.length; k++) {
        const dxr = hc * this.fanCos[k] - hs * this.fanSin[k];
        const dyr = hs * this.fanCos[k] + hc * this.fanSin[k];
        const d = rayCast(this.map.segments, ox, oy, dxr, dyr);
        if (d < r) r = d;
      }
      if (r < p.sonar_max_m) r += p.sonar_noise_m * (2 * noise.uniform() - 1);
      y[Y.sonar0 + i] = r < p.sonar_min_m ? p.sonar_min_m : r > p.sonar_max_m ? p.sonar_max_m : r;
    }
    y[Y.poseX] = x[S.odoX];
    y[Y.poseY] = x[S.odoY];
    y[Y.poseTheta] = x[S.odoTheta];
  }

  metricsRecorder(columns: readonly string[]): PlantMetricsRecorder {
    return new RobotMetrics(columns, this);
  }


  extraPlots(run: PlotRun): object[] {
    return robotPlots(run, this);
  }
}
