import { wrapAngle } from '../../plants/robot/geometry.ts';
import { SONAR_COUNT, sonarHeading_rad, sonarX_m, sonarY_m } from '../../plants/robot/sonar.ts';

/**
 * The robot's side of the channel seam: 16 sonar ranges and the odometric pose come in (digital
 * channels, 1 mm / 1 mrad per count), the goal comes as two references, and two wheel speed commands
 * plus a navigation status go out (docs/plants/robot.md).
 */
export const NAV_INPUTS: readonly string[] = [
  ...Array.from({ length: SONAR_COUNT }, (_, i) => `sonar${i}_meas_m`),
  'pose_x_meas_m',
  'pose_y_meas_m',
  'pose_theta_meas_rad',
];
export const NAV_REFERENCES: readonly string[] = ['x_goal_m', 'y_goal_m'];
export const NAV_OUTPUTS: readonly string[] = ['vL_cmd_mps', 'vR_cmd_mps', 'nav_status'];

/** Values of the `nav_status` output (the plant records them; docs/plants/robot.md). */
export const STATUS_RUNNING = 0;
export const STATUS_REACHED = 1;
export const STATUS_UNREACHABLE = 2;

/** Indices of the pose in the input vector. */
const IX = SONAR_COUNT;
const IY = SONAR_COUNT + 1;
const ITH = SONAR_COUNT + 2;

/**
 * One tick's view of the world from the robot: its odometric pose and every sonar echo turned into
 * a world point. Preallocated; `read` allocates nothing.
 */
export class SonarView {
  x = 0;
  y = 0;
  /** Heading wrapped to (−π, π]. */
  theta = 0;
  readonly range = new Float64Array(SONAR_COUNT);
  /** World coordinates of each echo; `echo[i]` is 0 when sonar i saw nothing within `maxRange`. */
  readonly hx = new Float64Array(SONAR_COUNT);
  readonly hy = new Float64Array(SONAR_COUNT);
  readonly echo = new Uint8Array(SONAR_COUNT);

  /** @param maxRange echoes at or beyond this range count as "nothing seen" (the sonar's maximum). */
  constructor(readonly maxRange: number) {}

  read(y: Float64Array): void {
    this.x = y[IX];
    this.y = y[IY];
    this.theta = wrapAngle(y[ITH]);
    const c = Math.cos(this.theta);
    const s = Math.sin(this.theta);
    for (let i = 0; i < SONAR_COUNT; i++) {
      const r = y[i];
      this.range[i] = r;
      const seen = r < this.maxRange - 1e-3;
      this.echo[i] = seen ? 1 : 0;
      const ox = this.x + c * sonarX_m[i] - s * sonarY_m[i];
      const oy = this.y + s * sonarX_m[i] + c * sonarY_m[i];
      const h = this.theta + sonarHeading_rad[i];
      this.hx[i] = ox + r * Math.cos(h);
      this.hy[i] = oy + r * Math.sin(h);
    }
  }

  /**
   * Free range from the robot centre toward (gx, gy), from the sonar whose axis is closest to that
   * bearing: the echo distance plus the sensor's offset from the centre, `free` if it saw nothing,
   * NaN when no sonar points within `maxAngle` of the bearing.
   */
  freeRangeToward(gx: number, gy: number, free: number, maxAngle: number): number {
    const bearing = Math.atan2(gy - this.y, gx - this.x);
    let best = -1;
    let bestErr = Infinity;
    for (let i = 0; i < SONAR_COUNT; i++) {
      const e = Math.abs(wrapAngle(this.theta + sonarHeading_rad[i] - bearing));
      if (e < bestErr) {
        bestErr = e;
        best = i;
      }
    }
    if (bestErr > maxAngle) return NaN;
    if (!this.echo[best]) return free;
    return Math.hypot(this.hx[best] - this.x, this.hy[best] - this.y);
  }
}

/** Unicycle (v, ω) → wheel rim speeds for a differential drive with the given track. */
export function driveWheels(u: Float64Array, v: number, w: number, track_m: number, status: number): void {
  u[0] = v - 0.5 * w * track_m;
  u[1] = v + 0.5 * w * track_m;
  u[2] = status;
}

/** Heading controller shared by the behaviours: turn toward `psi`, slow down in proportion to the heading error. */
export class HeadingControl {
  v = 0;
  w = 0;
  constructor(
    readonly speed_mps: number,
    readonly kTheta: number,
    readonly wMax: number,
  ) {}

  /** `ff` is a feed-forward turn rate (rad/s) added before saturation. */
  steer(theta: number, psi: number, ff: number): void {
    const err = wrapAngle(psi - theta);
    let w = this.kTheta * err + ff;
    w = w > this.wMax ? this.wMax : w < -this.wMax ? -this.wMax : w;
    const c = Math.cos(err);
    this.w = w;
    this.v = c > 0 ? this.speed_mps * c * c : 0;
  }
}
