import type { FirmwareLink } from '../firmware-sim/firmware-link.ts';
import type { PlantSide } from '../firmware-sim/plant-side.ts';
import type { Reference } from '../firmware-sim/references.ts';
import { RunControl } from './control.ts';

/** Paces an asynchronous run on the wall clock (`--live`): may return a wait after tick `t`. */
export interface Pacer {
  after(t: number): Promise<void> | undefined;
}

export interface LoopSummary {
  readonly ticks: number;
  /** Simulated (or board) time reached, s. */
  readonly t_end: number;
}

/**
 * The one run loop of hilbench, over a plant side and a controller side:
 *
 * | mode | plant side | controller side |
 * |---|---|---|
 * | sim | SimulatedPlant | ControllerFirmware (TypeScript, in process) |
 * | hil | SimulatedPlant | LockstepLink (firmware on a board) |
 * | io  | BoardPlant     | ControllerFirmware |
 *
 * Every tick: stop check, the plant side samples, the references are evaluated (with the
 * dashboard's overrides), the link computes, the plant side takes the actuator counts and advances
 * to the next tick. `runSync` drives it without a single await (pure simulation stays synchronous
 * and allocation-free); `run` awaits the sides that answer asynchronously. Both call the same
 * per-tick methods in the same order.
 */
export class RunLoop {
  private readonly ref: Float64Array;
  private ticksDone = 0;

  constructor(
    private readonly plant: PlantSide,
    private readonly link: FirmwareLink,
    private readonly references: readonly { readonly name: string; readonly ref: Reference }[],
    readonly control: RunControl = new RunControl(references.map((r) => r.name)),
    private readonly pacer?: Pacer,
  ) {
    this.ref = plant.ref;
    if (this.ref.length !== references.length) throw new Error(`plant side records ${this.ref.length} references, the scenario has ${references.length}`);
  }

  /** Runs to the end without awaiting: every side must answer synchronously. */
  runSync(): LoopSummary {
    const { plant, link, control } = this;
    this.begin();
    try {
      for (let i = 0; i < plant.ticks; i++) {
        const t = plant.tickTime(i);
        control.beforeTick(t);
        if (plant.sample(i, t) !== undefined) throw new Error('the plant side answers asynchronously: use run()');
        this.evaluateReferences(t);
        const out = link.tick(plant.counts, this.ref, t);
        if (out instanceof Promise) throw new Error('the link answers asynchronously: use run()');
        plant.actuate(out);
        plant.advance(i);
        this.ticksDone = i + 1;
      }
    } finally {
      plant.end();
    }
    return this.summary();
  }

  /** Runs to the end, awaiting a side whenever it answers with a Promise (serial links, pacing). */
  async run(): Promise<LoopSummary> {
    const { plant, link, control, pacer } = this;
    this.begin();
    try {
      for (let i = 0; i < plant.ticks; i++) {
        const t = plant.tickTime(i);
        control.beforeTick(t);
        const sampled = plant.sample(i, t);
        if (sampled) await sampled;
        this.evaluateReferences(t);
        let out = link.tick(plant.counts, this.ref, t);
        if (out instanceof Promise) out = await out;
        plant.actuate(out);
        plant.advance(i);
        this.ticksDone = i + 1;
        const wait = pacer?.after(t);
        if (wait) await wait;
      }
    } finally {
      plant.end();
    }
    return this.summary();
  }

  get ticks(): number {
    return this.ticksDone;
  }

  private begin(): void {
    this.link.reset();
    this.plant.begin();
  }

  private evaluateReferences(t: number): void {
    const refs = this.references;
    for (let i = 0; i < refs.length; i++) this.ref[i] = refs[i].ref.value(t);
    this.control.applyReferences(this.ref);
  }

  private summary(): LoopSummary {
    return { ticks: this.ticksDone, t_end: this.plant.tEnd };
  }
}
