import { BugController, ReturnDetector, type BugSettings } from './bug-base.ts';

/**
 * Bug2 (Lumelsky & Stepanov; plants.md §4): follow the M-line from start to goal; after a hit at H,
 * follow the boundary until the M-line is met again at a point Q closer to the goal than H from which
 * the way to the goal is free, then leave. Returning to H means the goal is unreachable.
 */
export class Bug2Controller extends BugController {
  private prevSide = 0;
  private readonly backAtHit: ReturnDetector;
  /** Required progress over the hit point before leaving (m). */
  private readonly progress_m = 0.05;

  constructor(s: BugSettings) {
    super(s);
    this.backAtHit = new ReturnDetector(s.arrive_m, 2 * s.arrive_m + 0.3);
  }

  protected resetAlgorithm(): void {
    this.prevSide = 0;
  }

  protected onHit(gx: number, gy: number): void {
    this.prevSide = this.mLineSide(gx, gy);
    this.backAtHit.reset(this.hx, this.hy);
  }

  /** Signed distance of the robot from the M-line (m), positive on its left. */
  private mLineSide(gx: number, gy: number): number {
    const ex = gx - this.sx;
    const ey = gy - this.sy;
    const len = Math.hypot(ex, ey);
    return len > 0 ? (ex * (this.view.y - this.sy) - ey * (this.view.x - this.sx)) / len : 0;
  }

  protected whileFollowing(gx: number, gy: number): void {
    const v = this.view;
    const side = this.mLineSide(gx, gy);
    const crossed = (side <= 0 && this.prevSide > 0) || (side >= 0 && this.prevSide < 0) || Math.abs(side) < 1e-3;
    this.prevSide = side;
    if (
      crossed &&
      Math.hypot(gx - v.x, gy - v.y) < this.dHit - this.progress_m &&
      !this.follower.blocks(v, gx, gy, this.s.blockAngle_rad)
    ) {
      this.leave();
      return;
    }
    if (this.backAtHit.update(v.x, v.y)) this.unreachable();
  }
}
