import { wrapAngle } from '../../plants/robot/geometry.ts';
import type { HeadingControl, SonarView } from './robot-io.ts';

/** Side sonars of the seed (Yufka & Parlaktuna): 7 and 8 clockwise, 0 and 15 counter-clockwise, plus the front/rear ones next to them. */
const CLOCKWISE_SONARS = Uint8Array.from([2, 3, 4, 5, 6, 7, 8, 9, 10]);
const COUNTER_CLOCKWISE_SONARS = Uint8Array.from([5, 4, 3, 2, 1, 0, 15, 14, 13]);

/** Bound on the fed-forward turn rate (rad/s): a corner at the offset turns at v/offset = 0.2 rad/s. */
const FF_MAX = 0.5;

/** +1: clockwise around the obstacle (obstacle on the right); −1: counter-clockwise (obstacle on the left). */
export type FollowSide = 1 | -1;

/** Echo points remembered from the last this many ticks (a dense sampling of the wall just passed). */
const HISTORY_TICKS = 40;

/**
 * Boundary following at a fixed offset from the nearest obstacle point. The followed side's echoes
 * of the last few ticks are kept in world coordinates (the sparse ring alone samples a wall only
 * every 10–20 cm, so its nearest echo jumps), and so is the nearest point ever since the hit:
 * around a convex corner, where the side sonars lose the wall, the robot keeps circling the last
 * point it saw (the vertex) at the offset. The path is the offset curve of the obstacle, straight
 * along faces and circular around corners.
 */
export class WallFollower {
  side: FollowSide = 1;
  /** Nearest obstacle point (world) and its distance from the robot centre; `has` is false until one is seen. */
  px = 0;
  py = 0;
  d = Infinity;
  has = false;
  private lastPsi = NaN;
  private lastT = NaN;
  private readonly histX = new Float64Array(HISTORY_TICKS * 9);
  private readonly histY = new Float64Array(HISTORY_TICKS * 9);
  private histLen = 0;
  private histNext = 0;

  constructor(
    readonly offset_m: number,
    /** Echoes farther than this are ignored when looking for the followed wall. */
    readonly senseRange_m: number,
    /** Offset error gain: heading correction (rad) per metre of offset error. */
    readonly kOffset: number,
  ) {}

  reset(side: FollowSide = 1): void {
    this.side = side;
    this.has = false;
    this.d = Infinity;
    this.lastPsi = NaN;
    this.lastT = NaN;
    this.histLen = 0;
    this.histNext = 0;
  }

  /** Keeps the memory but follows the other way round (Bug1's shorter way back to Q_m). */
  reverse(): void {
    this.side = this.side === 1 ? -1 : 1;
    this.lastPsi = NaN;
  }

  /** Updates the nearest obstacle point from this tick's echoes (and the remembered point). */
  sense(view: SonarView): void {
    const set = this.side === 1 ? CLOCKWISE_SONARS : COUNTER_CLOCKWISE_SONARS;
    const cap = this.histX.length;
    for (let k = 0; k < set.length; k++) {
      const i = set[k];
      if (!view.echo[i]) continue;
      if (Math.hypot(view.hx[i] - view.x, view.hy[i] - view.y) >= this.senseRange_m) continue;
      this.histX[this.histNext] = view.hx[i];
      this.histY[this.histNext] = view.hy[i];
      this.histNext = (this.histNext + 1) % cap;
      if (this.histLen < cap) this.histLen++;
    }
    let best = this.has ? Math.hypot(this.px - view.x, this.py - view.y) : Infinity;
    let bx = this.px;
    let by = this.py;
    for (let k = 0; k < this.histLen; k++) {
      const d = Math.hypot(this.histX[k] - view.x, this.histY[k] - view.y);
      if (d < best) {
        best = d;
        bx = this.histX[k];
        by = this.histY[k];
      }
    }
    if (best < Infinity) {
      this.px = bx;
      this.py = by;
      this.d = best;
      this.has = true;
    }
  }

  /** Heading along the boundary, corrected toward the offset; the change of that heading is fed forward. */
  steer(view: SonarView, heading: HeadingControl, t: number): void {
    if (!this.has) {
      // Nothing seen yet (should not happen right after a hit): creep straight ahead.
      heading.steer(view.theta, view.theta, 0);
      return;
    }
    const phi = Math.atan2(this.py - view.y, this.px - view.x);
    let corr = this.kOffset * (this.d - this.offset_m);
    corr = corr > 1 ? 1 : corr < -1 ? -1 : corr;
    const psi = phi + this.side * (Math.PI / 2 - corr);
    let ff = 0;
    if (this.lastPsi === this.lastPsi && t > this.lastT) ff = wrapAngle(psi - this.lastPsi) / (t - this.lastT);
    ff = ff > FF_MAX ? FF_MAX : ff < -FF_MAX ? -FF_MAX : ff;
    this.lastPsi = psi;
    this.lastT = t;
    heading.steer(view.theta, psi, ff);
  }

  /**
   * Whether heading straight for (gx, gy) would run into the followed obstacle: the goal lies less
   * than `maxAngle` away from the direction of the nearest obstacle point.
   */
  blocks(view: SonarView, gx: number, gy: number, maxAngle: number): boolean {
    if (!this.has) return false;
    const a = Math.atan2(gy - view.y, gx - view.x);
    const b = Math.atan2(this.py - view.y, this.px - view.x);
    return Math.abs(wrapAngle(a - b)) < maxAngle;
  }
}

/**
 * Motion-to-goal hit test on the front ring (sonars 0–7; the seed uses 1–6): an echo within
 * `offset` of the robot centre, in a direction less than `maxAngle` from the goal.
 */
export function frontHit(view: SonarView, gx: number, gy: number, offset_m: number, maxAngle: number): boolean {
  const a = Math.atan2(gy - view.y, gx - view.x);
  for (let i = 0; i < 8; i++) {
    if (!view.echo[i]) continue;
    const dx = view.hx[i] - view.x;
    const dy = view.hy[i] - view.y;
    if (dx * dx + dy * dy > offset_m * offset_m) continue;
    if (Math.abs(wrapAngle(Math.atan2(dy, dx) - a)) < maxAngle) return true;
  }
  return false;
}
