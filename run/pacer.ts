import type { Pacer } from './loop.ts';

export interface WallClockPacerOptions {
  /** Simulated seconds per wall second. Default 1 (real time). */
  readonly speed?: number;
  /** Longest stretch of wall time without yielding to the event loop, in ms. Default 20. */
  readonly yieldEvery_ms?: number;
  /** Wall clock in ms. Default performance.now. */
  readonly now?: () => number;
}

/**
 * Paces a simulated run to (scaled) real time so it can be watched (`run --live`), and yields to the
 * event loop so the dashboard streams it while it runs. Pacing changes only when ticks happen on the
 * wall clock, never the numbers.
 */
export class WallClockPacer implements Pacer {
  private wall0 = NaN;
  private lastYield = 0;
  private readonly speed: number;
  private readonly yieldEvery: number;
  private readonly now: () => number;

  constructor(options: WallClockPacerOptions = {}) {
    this.speed = options.speed ?? 1;
    this.yieldEvery = options.yieldEvery_ms ?? 20;
    this.now = options.now ?? (() => performance.now());
    if (!(this.speed > 0)) throw new TypeError(`"speed" must be > 0 (got ${this.speed})`);
  }

  after(t: number): Promise<void> | undefined {
    const now = this.now();
    if (this.wall0 !== this.wall0) this.wall0 = now - (t / this.speed) * 1000;
    const ahead_ms = this.wall0 + (t / this.speed) * 1000 - now;
    if (ahead_ms > 2 || now - this.lastYield > this.yieldEvery) {
      this.lastYield = now;
      return new Promise((resolve) => setTimeout(resolve, Math.max(0, ahead_ms)));
    }
    return undefined;
  }
}

/**
 * Lets an as-fast-as-possible simulation hear Ctrl-C and show progress: every `every_ms` of wall
 * time it yields to the event loop (setImmediate, no wait) and reports the simulated time reached.
 */
export class YieldingPacer implements Pacer {
  private last = performance.now();
  constructor(
    private readonly onProgress?: (t: number) => void,
    private readonly every_ms = 50,
  ) {}

  after(t: number): Promise<void> | undefined {
    const now = performance.now();
    if (now - this.last < this.every_ms) return undefined;
    this.last = now;
    this.onProgress?.(t);
    return new Promise((resolve) => setImmediate(resolve));
  }
}
