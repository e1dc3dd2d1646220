import { BugController, ReturnDetector, type BugSettings } from './bug-base.ts';

/**
 * DistBug (Kamon & Rivlin 1997; Ng & Bräunl 2007; plants.md §4): follow the boundary clockwise from
 * the hit point, tracking d_min, the smallest distance to the goal since the hit, and F, the free
 * range toward the goal from the sonars (R when nothing echoes). Leave when d(X,T) − F ≤ 0 or
 * d(X,T) − F ≤ d_min − Step. Returning to the hit point means the goal is unreachable.
 */
export class DistBugController extends BugController {
  private dMin = Infinity;
  private readonly backAtHit: ReturnDetector;
  /** Last free range used (m), for tests. */
  lastF = NaN;

  constructor(
    s: BugSettings,
    /** Step of the leaving condition (plants.md: 200 mm). */
    readonly step_m: number,
    /** Sonars farther than this from the goal bearing give no F (half the ring's largest gap). */
    readonly fAngle_rad: number,
  ) {
    super(s);
    this.backAtHit = new ReturnDetector(s.arrive_m, 2 * s.arrive_m + 0.3);
  }

  protected resetAlgorithm(): void {
    this.dMin = Infinity;
  }

  protected onHit(): void {
    this.dMin = this.dHit;
    this.backAtHit.reset(this.hx, this.hy);
  }

  protected whileFollowing(gx: number, gy: number): void {
    const v = this.view;
    const d = Math.hypot(gx - v.x, gy - v.y);
    if (d < this.dMin) this.dMin = d;
    const F = v.freeRangeToward(gx, gy, this.s.sonarMax_m, this.fAngle_rad);
    if (F === F) {
      this.lastF = F;
      // A robot of finite size also needs the goal direction to point away from the wall it follows.
      if ((d - F <= 0 || d - F <= this.dMin - this.step_m) && !this.follower.blocks(v, gx, gy, this.s.blockAngle_rad)) {
        this.leave();
        return;
      }
    }
    if (this.backAtHit.update(v.x, v.y)) this.unreachable();
  }
}
