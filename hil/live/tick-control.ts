import type { IoTickControl } from '../runners/io-run.ts';

/**
 * Stop and setpoint overrides from the dashboard for the io loop (`hil run --mode io --live`),
 * which keeps its own loop and has no FirmwareLink for PacedLink to wrap. Overrides live in a
 * typed array (NaN: none) so the per-tick calls allocate nothing.
 */
export class TickControl implements IoTickControl {
  /** Latest simulated time seen at a tick. */
  t = 0;
  private readonly overrides: Float64Array;
  private overridden = false;
  private stopReason: string | undefined;

  constructor(private readonly referenceNames: readonly string[]) {
    this.overrides = new Float64Array(referenceNames.length).fill(NaN);
  }

  /** Holds reference `name` at `value` from the next tick on; returns an error text if there is no such reference. */
  setReference(name: string, value: number): string | undefined {
    const i = this.referenceNames.indexOf(name);
    if (i < 0) return `no reference named '${name}' (references: ${this.referenceNames.join(', ') || 'none'})`;
    this.overrides[i] = value;
    this.overridden = true;
    return undefined;
  }

  /** Ends the run before its next tick, with its outputs written. */
  stop(reason: string): void {
    this.stopReason = reason;
  }

  beforeTick(t: number): void {
    if (this.stopReason !== undefined) throw Object.assign(new Error(this.stopReason), { linkFault: true, stopped: true });
    this.t = t;
  }

  applyReferences(ref: Float64Array): void {
    if (!this.overridden) return;
    for (let i = 0; i < ref.length; i++) {
      const v = this.overrides[i];
      if (v === v) ref[i] = v;
    }
  }
}
