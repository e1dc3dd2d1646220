import { RunStopped } from '../errors/user-error.ts';
import type { Plant } from '../plants/plant.ts';

/**
 * The one way to steer a run from outside the loop: stop it (Ctrl-C, SIGTERM, the dashboard's stop
 * button) and hold references at values set from the dashboard. The loop consults it before every
 * tick, so a stop ends the run between two ticks with every file written. Overrides live in a typed
 * array (NaN: none) so the per-tick calls allocate nothing.
 */
export class RunControl {
  /** Time of the latest tick started (the dashboard's status line). */
  t = 0;
  private readonly overrides: Float64Array;
  private overridden = false;
  private stopReason: string | undefined;

  /** `ranges[i]`: the values reference i may be set to (undefined: any finite value). */
  constructor(
    readonly referenceNames: readonly string[] = [],
    private readonly ranges: readonly (readonly [number, number] | undefined)[] = [],
  ) {
    this.overrides = new Float64Array(referenceNames.length).fill(NaN);
  }

  /** Holds reference `name` at `value` from the next tick on; returns an error text if it cannot. */
  setReference(name: string, value: number): string | undefined {
    const i = this.referenceNames.indexOf(name);
    if (i < 0) return `no reference named '${name}' (references: ${this.referenceNames.join(', ') || 'none'})`;
    if (!Number.isFinite(value)) return `reference '${name}' must be a finite number (got ${value})`;
    const range = this.ranges[i];
    if (range && !(value >= range[0] && value <= range[1])) return `reference '${name}' must lie within [${range[0]}, ${range[1]}] on this rig (got ${value})`;
    this.overrides[i] = value;
    this.overridden = true;
    return undefined;
  }

  /** Ends the run before its next tick; the first reason given is the one reported. */
  stop(reason: string): void {
    if (this.stopReason === undefined) this.stopReason = reason;
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /** Called by the loop before tick `t`: throws RunStopped once a stop was asked for. */
  beforeTick(t: number): void {
    if (this.stopReason !== undefined) throw new RunStopped(this.stopReason);
    this.t = t;
  }

  /** Called by the loop after the references of a tick were evaluated: applies the overrides. */
  applyReferences(ref: Float64Array): void {
    if (!this.overridden) return;
    for (let i = 0; i < ref.length; i++) {
      const v = this.overrides[i];
      if (v === v) ref[i] = v;
    }
  }
}

/** The RunControl of a built run: its references, with the ranges the plant allows for them. */
export function runControlFor(built: { readonly config: { readonly references: readonly { readonly name: string }[] }; readonly plant: Plant }): RunControl {
  const names = built.config.references.map((r) => r.name);
  return new RunControl(
    names,
    names.map((n) => built.plant.referenceRange?.(n)),
  );
}
