import type { HeadingControl } from './robot-io.ts';

/**
 * Drives through a list of waypoints: heads for the current one (turning on the spot when it lies
 * far off the heading), switches to the next within `switch_m`, and ends within `goalTolerance_m`
 * of the goal. Allocation-free per step.
 */
export class PathFollower {
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  private k = 0;

  constructor(
    readonly heading: HeadingControl,
    readonly switch_m: number,
    readonly goalTolerance_m: number,
  ) {}

  setPath(points: readonly (readonly [number, number])[]): void {
    this.xs = Float64Array.from(points, (p) => p[0]);
    this.ys = Float64Array.from(points, (p) => p[1]);
    this.k = 0;
  }

  /** Index of the waypoint being driven to. */
  get target(): number {
    return this.k;
  }

  /** One tick; returns true when the goal (gx, gy) is reached. */
  step(x: number, y: number, theta: number, gx: number, gy: number): boolean {
    if (Math.hypot(gx - x, gy - y) <= this.goalTolerance_m) return true;
    const n = this.xs.length;
    while (this.k < n - 1 && Math.hypot(this.xs[this.k] - x, this.ys[this.k] - y) < this.switch_m) this.k++;
    // The last grid node is the goal's cell centre; drive to the goal itself.
    const tx = this.k >= n - 1 ? gx : this.xs[this.k];
    const ty = this.k >= n - 1 ? gy : this.ys[this.k];
    this.heading.steer(theta, Math.atan2(ty - y, tx - x), 0);
    return false;
  }
}
