import type { Controller } from '../controller.ts';
import {
  driveWheels,
  HeadingControl,
  NAV_INPUTS,
  NAV_OUTPUTS,
  NAV_REFERENCES,
  SonarView,
  STATUS_REACHED,
  STATUS_RUNNING,
  STATUS_UNREACHABLE,
} from './robot-io.ts';
import { frontHit, WallFollower } from './wall-follower.ts';

export interface BugSettings {
  /** Cruise speed; the seed drives at 100 mm/s [S]. */
  readonly speed_mps: number;
  /** Boundary offset from the obstacle (plants.md: 500 mm). */
  readonly offset_m: number;
  /** Track width used to turn (v, ω) into wheel speeds. */
  readonly track_m: number;
  /** Sonar maximum range: echoes at this range mean "nothing". Also DistBug's R. */
  readonly sonarMax_m: number;
  /** Done when this close to the goal (plants.md: 100 mm). */
  readonly goalTolerance_m: number;
  readonly kTheta: number;
  readonly wMax_radps: number;
  readonly kOffset: number;
  /** A direction within this angle of the nearest obstacle point counts as "into the obstacle". */
  readonly blockAngle_rad: number;
  /** Back at a point (hit point, Q_m) when the closest approach is within this radius. */
  readonly arrive_m: number;
  /**
   * Motion to goal stops at an echo this close to the robot centre. A little beyond the offset,
   * because the sparse ring sees an oblique wall late and the robot still moves while it turns.
   */
  readonly hitDistance_m: number;
}

export const defaultBugSettings: BugSettings = {
  speed_mps: 0.1,
  offset_m: 0.5,
  track_m: 0.33,
  sonarMax_m: 5,
  goalTolerance_m: 0.1,
  kTheta: 1.5,
  wMax_radps: 0.8,
  kOffset: 3,
  blockAngle_rad: (80 * Math.PI) / 180,
  arrive_m: 0.2,
  hitDistance_m: 0.6,
};

/**
 * Detects the return to a point: the robot must first get `away` from it, then the closest
 * approach within `radius` counts as arrival.
 */
export class ReturnDetector {
  private px = 0;
  private py = 0;
  private left = false;
  private prev = Infinity;
  constructor(
    private readonly radius: number,
    private readonly away: number,
  ) {}
  reset(px: number, py: number, mustLeave = true): void {
    this.px = px;
    this.py = py;
    this.left = !mustLeave;
    this.prev = Infinity;
  }
  update(x: number, y: number): boolean {
    const d = Math.hypot(x - this.px, y - this.py);
    if (!this.left) {
      if (d > this.away) this.left = true;
      this.prev = d;
      return false;
    }
    const arrived = d < this.radius && d > this.prev;
    this.prev = d;
    return arrived;
  }
}

/**
 * What the three Bug algorithms share: the channel layout, motion to goal with the front hit test,
 * the wall follower, arrival at the goal and the status output. Subclasses decide when to start
 * and stop following the boundary.
 */
export abstract class BugController implements Controller {
  readonly inputs = NAV_INPUTS;
  readonly references = NAV_REFERENCES;
  readonly outputs = NAV_OUTPUTS;
  protected readonly view: SonarView;
  protected readonly heading: HeadingControl;
  protected readonly follower: WallFollower;
  protected status = STATUS_RUNNING;
  protected following = false;
  /** Hit point of the current boundary, distance from it to the goal. */
  protected hx = 0;
  protected hy = 0;
  protected dHit = 0;
  /** Start pose, taken at the first tick (Bug2's M-line). */
  protected sx = 0;
  protected sy = 0;
  private started = false;
  /** Count of boundary hits, for tests and the docs. */
  hits = 0;

  constructor(readonly s: BugSettings) {
    this.view = new SonarView(s.sonarMax_m);
    this.heading = new HeadingControl(s.speed_mps, s.kTheta, s.wMax_radps);
    this.follower = new WallFollower(s.offset_m, 2 * s.offset_m + 0.5, s.kOffset);
  }

  /** Current status: 0 running, 1 reached, 2 unreachable. */
  get navStatus(): number {
    return this.status;
  }

  reset(): void {
    this.status = STATUS_RUNNING;
    this.following = false;
    this.started = false;
    this.hits = 0;
    this.follower.reset(1);
    this.resetAlgorithm();
  }

  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void {
    const v = this.view;
    v.read(y);
    const gx = ref[0];
    const gy = ref[1];
    if (!this.started) {
      this.started = true;
      this.sx = v.x;
      this.sy = v.y;
    }
    if (this.status === STATUS_RUNNING && Math.hypot(gx - v.x, gy - v.y) <= this.s.goalTolerance_m) this.status = STATUS_REACHED;
    if (this.status !== STATUS_RUNNING) {
      driveWheels(u, 0, 0, this.s.track_m, this.status);
      return;
    }
    if (!this.following && frontHit(v, gx, gy, this.s.hitDistance_m, this.s.blockAngle_rad)) {
      this.following = true;
      this.hits++;
      this.hx = v.x;
      this.hy = v.y;
      this.dHit = Math.hypot(gx - v.x, gy - v.y);
      this.follower.reset(1);
      this.follower.sense(v);
      this.onHit(gx, gy);
    }
    if (this.following) {
      this.follower.sense(v);
      this.whileFollowing(gx, gy, t);
    }
    if (this.status !== STATUS_RUNNING) {
      driveWheels(u, 0, 0, this.s.track_m, this.status);
      return;
    }
    if (this.following) this.follower.steer(v, this.heading, t);
    else this.heading.steer(v.theta, Math.atan2(gy - v.y, gx - v.x), 0);
    driveWheels(u, this.heading.v, this.heading.w, this.s.track_m, this.status);
  }

  /** Leave the boundary and head for the goal. */
  protected leave(): void {
    this.following = false;
    this.follower.reset(1);
  }

  protected unreachable(): void {
    this.status = STATUS_UNREACHABLE;
  }

  protected abstract resetAlgorithm(): void;
  /** Called once at a new hit point (hx, hy). */
  protected abstract onHit(gx: number, gy: number): void;
  /** Called every tick while following, after the follower has sensed; may call leave() or unreachable(). */
  protected abstract whileFollowing(gx: number, gy: number, t: number): void;
}
