import { UserError } from '../../errors/user-error.ts';
import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { SimulatedPlant } from '../../firmware-sim/simulation.ts';

const NO_RECORD: RowSink = { begin() {}, write() {}, end() {} };

/** Port values as pic-bridge reports them (A…E). */
export interface PicPorts {
  readonly A: number;
  readonly B: number;
  readonly C: number;
  readonly D: number;
  readonly E: number;
}

/**
 * A simulated plant wired to the emulated PIC16F877's pins as the io firmware drives them
 * (boards/firmware/pic/solar-io-asm.ts): ADC sensor i → AN<i>; the step rate from PORTD (magnitude)
 * and RC1 (reverse); the display index from PORTB. The digital step-count sensor is the firmware's
 * own count of the steps it issued, so the rig does not feed it; the plant must start at step 0,
 * where the firmware's count starts after HELLO.
 *
 * pic-bridge stops the board at every plant step (`step` events, one per `dt` of board time from
 * the host's first X after HELLO) until the rig has stepped the plant and set the new voltages, so
 * the plant runs on board time in real-time and fast modes alike. HELLO puts the initial state back.
 */
export class PicRig {
  readonly dt: number;
  /** Plant steps taken since the last HELLO. */
  k = 0;
  private readonly sim: SimulatedPlant;
  private readonly x0: Float64Array;
  private readonly counts: Int32Array;
  /** Plant output index of each ADC sensor, in AN order. */
  private readonly adcOutputs: number[] = [];
  private readonly energy: { panel: number; stepper: number; motor: number };

  constructor(private readonly built: BuiltRun) {
    const sensors = built.sensors;
    const adc = sensors.filter((s) => s.kind === 'adc');
    const digital = sensors.filter((s) => s.kind !== 'adc');
    const acts = built.actuators;
    if (digital.length !== 1 || acts.length !== 2 || acts.some((a) => a.kind !== 'digital')) {
      throw new UserError(`--rig ${built.scenario.name} on the PIC16F877: the rig wires the solar channels (ADC sensors, a step count, a digital step rate and display index)`);
    }
    if (adc.length > 5) throw new UserError(`--rig: ${adc.length} ADC sensors; the PIC io firmware reads AN0-AN4`);
    for (const s of adc) this.adcOutputs.push(s.outputIndex);
    this.dt = built.config.dt;
    // The rig is the physical plant: the board's converter quantises, so no sensor or input noise here.
    const noRng = { uniform: () => 0.5, gaussian: () => 0 };
    this.sim = new SimulatedPlant({ ...built.config, rng: noRng, inputNoise: [], outputNoise: [], computationDelay: false, initialActuatorCounts: undefined }, NO_RECORD);
    this.x0 = Float64Array.from(this.sim.x);
    this.sim.measure(0);
    const steps0 = this.sim.y[digital[0].outputIndex];
    if (steps0 !== 0) {
      throw new UserError(`--rig: the plant starts at ${steps0} steps; the io firmware counts from 0 after HELLO (set the start at home, e.g. --set rho0_deg=0)`);
    }
    this.counts = new Int32Array(acts.length);
    const states = built.plant.states.map((s) => s.name);
    this.energy = { panel: states.indexOf('E_panel_J'), stepper: states.indexOf('E_stepper_J'), motor: states.indexOf('motor_steps') };
  }

  /** The bridge's `adc` commands for the plant's current outputs. */
  voltages(): string {
    this.sim.measure(this.k * this.dt);
    return this.adcOutputs.map((o, i) => `adc ${i} ${this.sim.y[o].toFixed(6)}\n`).join('');
  }

  /** A host HELLO reached the board: initial state again. */
  reset(): string {
    this.sim.x.set(this.x0);
    this.k = 0;
    return this.voltages();
  }

  /** One plant step with the rate and display index on the pins; returns the new voltages. */
  step(p: PicPorts): string {
    const magnitude = p.D;
    this.counts[0] = p.C & 0x02 ? -magnitude : magnitude;
    this.counts[1] = p.B;
    this.sim.actuate(this.counts);
    this.sim.step(this.k);
    this.k++;
    return this.voltages();
  }

  /** The plant's time and energies since the last HELLO (solar plants only; otherwise just t). */
  summary(): string {
    const t = this.k * this.dt;
    const { panel, stepper, motor } = this.energy;
    if (panel < 0 || stepper < 0 || motor < 0) return `rig ${this.built.scenario.name}: t ${t} s`;
    const Wh = (i: number) => this.sim.x[i] / 3600;
    return `rig ${this.built.scenario.name}: t ${t} s, E_panel_Wh ${Wh(panel).toFixed(6)}, E_stepper_Wh ${Wh(stepper).toFixed(6)}, E_net_Wh ${(Wh(panel) - Wh(stepper)).toFixed(6)}, motor_steps ${this.sim.x[motor]}`;
  }
}
