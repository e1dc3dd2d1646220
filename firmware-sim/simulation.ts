import type { Plant, Rng } from '../plants/plant.ts';
import {
  actuatorValue,
  sensorCounts,
  sensorValue,
  type ActuatorChannel,
  type SensorChannel,
} from './channels.ts';
import { NonFiniteError } from './errors.ts';
import type { PlantSide } from './plant-side.ts';
import { makeIntegrator, type Integrator, type IntegratorName } from './integrators.ts';
import type { NoiseSource } from './noise.ts';
import type { RowSink } from './recorder.ts';
import type { Reference } from './references.ts';

export interface SimulationConfig {
  readonly plant: Plant;
  /** Initial state; defaults to `plant.initialState()`. */
  readonly x0?: Float64Array;
  readonly integrator: IntegratorName;
  /** Plant step in seconds. */
  readonly dt: number;
  /** Control period as a whole number of plant steps (Ts = controlEvery·dt). */
  readonly controlEvery: number;
  /** Record one row every this many plant steps. */
  readonly recordEvery: number;
  readonly duration: number;
  readonly sensors: readonly SensorChannel[];
  readonly actuators: readonly ActuatorChannel[];
  readonly references: readonly { readonly name: string; readonly ref: Reference }[];
  /** Additive noise on plant inputs, evaluated every plant step (after the actuator converter). */
  readonly inputNoise: readonly { readonly inputIndex: number; readonly source: NoiseSource }[];
  /** Additive noise on plant outputs, evaluated at each sample (before the ADC). */
  readonly outputNoise: readonly { readonly outputIndex: number; readonly source: NoiseSource }[];
  readonly rng: Rng;
  /** Apply each tick's actuator counts one control period late, as a real MCU computing in between would. */
  readonly computationDelay: boolean;
  /** Actuator counts before the first tick takes effect (default 0). */
  readonly initialActuatorCounts?: Int32Array;
}

/** run.csv's columns of a simulated run: time, states, inputs, outputs, sensors, references, actuator counts. */
export function simulationColumns(cfg: SimulationConfig): string[] {
  const { plant } = cfg;
  const columns = [
    't_s',
    ...plant.states.map((s) => s.name),
    ...plant.inputs.map((s) => s.name),
    ...plant.outputs.map((s) => s.name),
    ...cfg.sensors.flatMap((s) => [`${s.name}_counts`, s.name]),
    ...cfg.references.map((r) => r.name),
    ...cfg.actuators.map((a) => `${a.name}_counts`),
  ];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new Error(`signal name '${c}' is used twice; rename the sensor, reference or actuator`);
    seen.add(c);
  }
  return columns;
}

/**
 * The simulated plant side of the run loop: the plant integrated at `dt` (RK4 or Euler) with the
 * simulated MCU's converters around it. Per control tick the loop calls `sample` (measure, sensor
 * noise, ADC counts), then the link, then `actuate` (zero-order hold, optional one-period
 * computation delay) and `advance` (the period's plant steps: input noise, rows, integration,
 * constraints, non-finite guard). Nothing is allocated per step.
 */
export class SimulatedPlant implements PlantSide {
  readonly columns: readonly string[];
  readonly x: Float64Array;
  /** Plant input values from the actuators (held between ticks), before input noise. */
  readonly uHeld: Float64Array;
  /** Plant input values actually applied this step (with noise). */
  readonly u: Float64Array;
  readonly y: Float64Array;
  readonly counts: Int32Array;
  readonly ref: Float64Array;
  readonly actCounts: Int32Array;
  private readonly pendingCounts: Int32Array;
  private readonly row: Float64Array;
  private readonly integrator: Integrator;
  readonly totalSteps: number;
  readonly ticks: number;
  /** Plant steps completed. */
  steps = 0;
  // Hot-loop copies of the configuration.
  private readonly plant: Plant;
  private readonly dt: number;
  private readonly controlEvery: number;
  private readonly recordEvery: number;

  constructor(
    private readonly cfg: SimulationConfig,
    private readonly sink: RowSink,
  ) {
    const { plant } = cfg;
    this.plant = plant;
    this.dt = cfg.dt;
    this.controlEvery = cfg.controlEvery;
    this.recordEvery = cfg.recordEvery;
    if (!(cfg.dt > 0)) throw new Error(`dt must be > 0 (got ${cfg.dt})`);
    if (!Number.isInteger(cfg.controlEvery) || cfg.controlEvery < 1) {
      throw new Error(`the control period must be a whole multiple of dt (got ${cfg.controlEvery} steps)`);
    }
    this.x = cfg.x0 ? Float64Array.from(cfg.x0) : plant.initialState();
    if (this.x.length !== plant.states.length) {
      throw new Error(`initial state has ${this.x.length} values, plant has ${plant.states.length} states`);
    }
    this.uHeld = new Float64Array(plant.inputs.length);
    // Without input noise the applied inputs are the held ones: share the array, skip a copy per step.
    this.u = cfg.inputNoise.length ? new Float64Array(plant.inputs.length) : this.uHeld;
    this.y = new Float64Array(plant.outputs.length);
    this.counts = new Int32Array(cfg.sensors.length);
    this.ref = new Float64Array(cfg.references.length);
    this.actCounts = new Int32Array(cfg.actuators.length);
    this.pendingCounts = new Int32Array(cfg.actuators.length);
    if (cfg.initialActuatorCounts) this.pendingCounts.set(cfg.initialActuatorCounts);
    this.integrator = makeIntegrator(cfg.integrator, this.x.length, cfg.dt);
    this.totalSteps = Math.round(cfg.duration / cfg.dt);
    this.ticks = Math.ceil(this.totalSteps / cfg.controlEvery);
    this.columns = simulationColumns(cfg);
    this.row = new Float64Array(this.columns.length);
    // Before the first tick the plant sees the initial actuator counts.
    for (let j = 0; j < cfg.actuators.length; j++) this.applyCounts(j, this.pendingCounts[j]);
  }

  tickTime(i: number): number {
    return i * this.controlEvery * this.dt;
  }

  get tEnd(): number {
    return this.steps * this.dt;
  }

  begin(): void {
    this.sink.begin(this.columns);
  }

  end(): void {
    this.sink.end();
  }

  /** Measures the plant, adds sensor noise, converts to counts (the references are the loop's). */
  sample(_i: number, t: number): void {
    const { plant, sensors } = this.cfg;
    this.measure(t);
    for (let i = 0; i < this.y.length; i++) {
      const v = this.y[i];
      if (v - v !== 0) throw new NonFiniteError(t, plant.outputs[i].name, 'plant output');
    }
    for (let i = 0; i < sensors.length; i++) this.counts[i] = sensorCounts(sensors[i], this.y[sensors[i].outputIndex]);
  }

  /** The plant's outputs at `t` with sensor noise, in `y` (no conversion, no check). */
  measure(t: number): void {
    const { plant, outputNoise } = this.cfg;
    plant.measure(t, this.x, this.u, this.y, this.cfg.rng);
    for (let i = 0; i < outputNoise.length; i++) {
      const n = outputNoise[i];
      this.y[n.outputIndex] += n.source.value(t);
    }
  }

  /** The control period's plant steps (the last period may be cut short by the duration). */
  advance(tick: number): void {
    const from = tick * this.controlEvery;
    const to = Math.min(from + this.controlEvery, this.totalSteps);
    for (let k = from; k < to; k++) this.step(k);
  }

  /** Takes a tick's actuator counts, honouring the computation delay, and holds them. */
  actuate(out: Int32Array): void {
    const n = this.cfg.actuators.length;
    if (this.cfg.computationDelay) {
      for (let j = 0; j < n; j++) {
        this.applyCounts(j, this.pendingCounts[j]);
        this.pendingCounts[j] = out[j];
      }
    } else {
      for (let j = 0; j < n; j++) this.applyCounts(j, out[j]);
    }
  }

  private applyCounts(j: number, c: number): void {
    const ch = this.cfg.actuators[j];
    this.actCounts[j] = c;
    this.uHeld[ch.inputIndex] = actuatorValue(ch, c);
  }

  /** Step k: input noise, its row, one integration step, constraints and the non-finite guard. */
  step(k: number): void {
    const { plant, dt } = this;
    const inputNoise = this.cfg.inputNoise;
    const t = k * dt;
    if (inputNoise.length) {
      for (let i = 0; i < this.u.length; i++) this.u[i] = this.uHeld[i];
      for (let i = 0; i < inputNoise.length; i++) {
        const n = inputNoise[i];
        this.u[n.inputIndex] += n.source.value(t);
      }
    }
    if (k % this.recordEvery === 0) this.record(k);
    this.integrator.step(plant, k, this.x, this.u);
    if (plant.constrain) plant.constrain((k + 1) * dt, this.x, this.u);
    for (let i = 0; i < this.x.length; i++) {
      const v = this.x[i];
      if (v - v !== 0) throw new NonFiniteError((k + 1) * dt, plant.states[i].name, 'state');
    }
    this.steps = k + 1;
  }

  private record(k: number): void {
    const { row, cfg } = this;
    let c = 0;
    row[c++] = k * this.dt;
    for (let i = 0; i < this.x.length; i++) row[c++] = this.x[i];
    for (let i = 0; i < this.u.length; i++) row[c++] = this.u[i];
    for (let i = 0; i < this.y.length; i++) row[c++] = this.y[i];
    for (let i = 0; i < cfg.sensors.length; i++) {
      row[c++] = this.counts[i];
      row[c++] = sensorValue(cfg.sensors[i], this.counts[i]);
    }
    for (let i = 0; i < this.ref.length; i++) row[c++] = this.ref[i];
    for (let j = 0; j < this.actCounts.length; j++) row[c++] = this.actCounts[j];
    this.sink.write(row);
  }
}
