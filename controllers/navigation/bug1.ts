import { BugController, ReturnDetector, type BugSettings } from './bug-base.ts';

/**
 * Bug1 (Lumelsky & Stepanov; plants.md §4): at a hit point H circle the whole obstacle back to H,
 * remembering Q_m, the boundary point closest to the goal; go to Q_m the shorter way round and leave.
 * If the way to the goal from Q_m runs straight into the obstacle, the goal is unreachable.
 */
export class Bug1Controller extends BugController {
  private phase: 'circle' | 'toQ' = 'circle';
  private qx = 0;
  private qy = 0;
  private dQ = Infinity;
  private arc = 0;
  private arcQ = 0;
  private lastX = 0;
  private lastY = 0;
  private readonly backAtHit: ReturnDetector;
  private readonly atQ: ReturnDetector;
  /** Perimeter of the last circled boundary (m), for tests and the docs. */
  lastPerimeter_m = NaN;

  constructor(s: BugSettings) {
    super(s);
    this.backAtHit = new ReturnDetector(s.arrive_m, 2 * s.arrive_m + 0.3);
    this.atQ = new ReturnDetector(s.arrive_m, 0);
  }

  protected resetAlgorithm(): void {
    this.phase = 'circle';
    this.lastPerimeter_m = NaN;
  }

  protected onHit(gx: number, gy: number): void {
    this.phase = 'circle';
    this.qx = this.hx;
    this.qy = this.hy;
    this.dQ = Math.hypot(gx - this.hx, gy - this.hy);
    this.arc = 0;
    this.arcQ = 0;
    this.lastX = this.hx;
    this.lastY = this.hy;
    this.backAtHit.reset(this.hx, this.hy);
  }

  protected whileFollowing(gx: number, gy: number): void {
    const v = this.view;
    this.arc += Math.hypot(v.x - this.lastX, v.y - this.lastY);
    this.lastX = v.x;
    this.lastY = v.y;
    if (this.phase === 'circle') {
      const d = Math.hypot(gx - v.x, gy - v.y);
      if (d < this.dQ) {
        this.dQ = d;
        this.qx = v.x;
        this.qy = v.y;
        this.arcQ = this.arc;
      }
      if (this.backAtHit.update(v.x, v.y)) {
        const perimeter = this.arc;
        this.lastPerimeter_m = perimeter;
        this.phase = 'toQ';
        // Continue the same way if Q_m is nearer that way, otherwise turn round.
        if (this.arcQ > perimeter - this.arcQ) this.follower.reverse();
        this.atQ.reset(this.qx, this.qy, false);
        this.atQ.update(v.x, v.y);
      }
      return;
    }
    if (this.atQ.update(v.x, v.y) || Math.hypot(v.x - this.qx, v.y - this.qy) < 0.01) {
      if (this.follower.blocks(v, gx, gy, this.s.blockAngle_rad)) this.unreachable();
      else this.leave();
    }
  }
}
