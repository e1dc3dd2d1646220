import type { FirmwareLink } from '../../firmware-sim/firmware-link.ts';

export interface PacedLinkOptions {
  /** Simulated seconds per wall second. Default 1 (real time). */
  readonly speed?: number;
  /** Longest stretch of wall time without yielding to the event loop, in ms. Default 20. */
  readonly yieldEvery_ms?: number;
  /** Wall clock in ms. Default performance.now. */
  readonly now?: () => number;
}

/**
 * Wraps a synchronous firmware link so that a simulated run unfolds in (scaled) real time and
 * yields to the event loop, letting the dashboard stream it while it runs. It also applies
 * setpoint overrides from the dashboard (written into the reference vector, so run.csv records
 * the value actually used) and stops the run on request. Without overrides the numbers are those
 * of the unwrapped link: pacing only changes when ticks happen on the wall clock.
 */
export class PacedLink implements FirmwareLink {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  private readonly overrides = new Map<number, number>();
  private stopReason: string | undefined;
  private wall0 = NaN;
  private lastYield = 0;
  private readonly speed: number;
  private readonly yieldEvery: number;
  private readonly now: () => number;
  /** Latest simulated time seen at a tick. */
  t = 0;

  constructor(
    private readonly inner: FirmwareLink,
    private readonly referenceNames: readonly string[],
    options: PacedLinkOptions = {},
  ) {
    this.sensorCount = inner.sensorCount;
    this.actuatorCount = inner.actuatorCount;
    this.speed = options.speed ?? 1;
    this.yieldEvery = options.yieldEvery_ms ?? 20;
    this.now = options.now ?? (() => performance.now());
    if (!(this.speed > 0)) throw new TypeError(`"speed" must be > 0 (got ${this.speed})`);
  }

  reset(): void {
    this.wall0 = NaN;
    this.inner.reset();
  }

  /** Holds reference `name` at `value` from the next tick on; returns an error text if there is no such reference. */
  setReference(name: string, value: number): string | undefined {
    const i = this.referenceNames.indexOf(name);
    if (i < 0) return `no reference named '${name}' (references: ${this.referenceNames.join(', ') || 'none'})`;
    this.overrides.set(i, value);
    return undefined;
  }

  stop(reason: string): void {
    this.stopReason = reason;
  }

  tick(sensorCounts: Int32Array, ref: Float64Array, t: number): Int32Array | Promise<Int32Array> {
    if (this.stopReason !== undefined) throw Object.assign(new Error(this.stopReason), { linkFault: true, stopped: true });
    for (const [i, v] of this.overrides) ref[i] = v;
    this.t = t;
    const out = this.inner.tick(sensorCounts, ref, t);
    if (out instanceof Promise) return out;
    const now = this.now();
    if (this.wall0 !== this.wall0) this.wall0 = now - (t / this.speed) * 1000;
    const ahead_ms = this.wall0 + (t / this.speed) * 1000 - now;
    if (ahead_ms > 2 || now - this.lastYield > this.yieldEvery) {
      this.lastYield = now;
      return new Promise((resolve) => setTimeout(() => resolve(out), Math.max(0, ahead_ms)));
    }
    return out;
  }
}
