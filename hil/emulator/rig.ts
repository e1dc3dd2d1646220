import { UserError } from '../../errors/user-error.ts';
import type { ActuatorChannel, SensorChannel } from '../../firmware-sim/channels.ts';
import { NonFiniteError } from '../../firmware-sim/errors.ts';
import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { SimulatedPlant } from '../../firmware-sim/simulation.ts';
import type { Plant } from '../../plants/plant.ts';
import type { FrameType } from '../../protocol/frames.ts';
import type { AvrBoard } from './avr-board.ts';

const NO_RECORD: RowSink = { begin() {}, write() {}, end() {} };

/**
 * A simulated plant wired to the emulated board's pins (docs/protocol.md §5): before each plant
 * step the sensor voltages go into the ADC's `channelValues` (sensor i → A`i`), after it the PWM
 * duty of actuator pin k becomes plant input k. Time is board time: one plant step per `dt` of CPU
 * cycles, so the rig is faithful in both real-time and as-fast-as-possible modes.
 */
export class PlantRig {
  readonly plant: Plant;
  readonly dt: number;
  /** The simulated plant side of the run loop, without noise and without a record. */
  private readonly sim: SimulatedPlant;
  readonly x: Float64Array;
  private readonly sensors: readonly SensorChannel[];
  private readonly actuators: readonly ActuatorChannel[];
  private readonly duty: Int32Array;
  /** Plant steps taken (t = k·dt). */
  k = 0;
  /**
   * Board cycle of the next plant step. The step grid starts at the release, so the plant's steps
   * keep the same phase to the host's first X (and the board's period grid it starts) in every run,
   * however long the board ran before.
   */
  private nextStepCycle = 0;
  /**
   * The plant is held in its initial state until the host's first `X` frame after a `HELLO`, or
   * until an actuator pin leaves its safe output (the hand releasing the ball once the magnet is
   * on), so a run starts from the scenario's initial state however long the emulator waited for
   * the host. `HELLO` puts it back and holds it again.
   */
  held = true;
  private releaseOnDuty = true;
  /** Set when the plant's state became non-finite: the rig then holds it (the host sees the sensors freeze). */
  fault: string | undefined;
  private readonly x0: Float64Array;

  constructor(built: BuiltRun, private readonly board: AvrBoard) {
    this.plant = built.plant;
    this.dt = built.config.dt;
    this.sensors = built.sensors;
    this.actuators = built.actuators;
    for (const s of this.sensors) {
      if (s.kind !== 'adc') throw new UserError(`--rig: sensor '${s.name}' is ${s.kind}; the rig wires ADC sensors only`);
    }
    for (const a of this.actuators) {
      if (a.kind !== 'pwm') throw new UserError(`--rig: actuator '${a.name}' is ${a.kind}; the rig wires PWM actuators only`);
    }
    if (this.sensors.length > 6 || this.actuators.length > board.pwmPinCount) {
      throw new UserError('--rig: the Uno has 6 analog inputs and 6 PWM pins; the scenario needs more');
    }
    // The rig is the physical plant: the board's own converters quantise, so no sensor or input noise here.
    const noRng = { uniform: () => 0.5, gaussian: () => 0 };
    this.sim = new SimulatedPlant({ ...built.config, rng: noRng, inputNoise: [], outputNoise: [], computationDelay: false, initialActuatorCounts: undefined }, NO_RECORD);
    this.x = this.sim.x;
    this.x0 = Float64Array.from(this.x);
    this.duty = new Int32Array(this.actuators.length);
    this.warmUp();
    this.readActuators(); // safe outputs at power-up (duty 0)
    this.writeSensors();
  }

  /**
   * Runs the plant code a few thousand steps so the JIT has compiled it before the host starts (in
   * real-time mode the first milliseconds after release are the critical ones), then puts the
   * initial state back.
   */
  private warmUp(): void {
    for (let i = 0; i < 5000; i++) {
      try {
        this.sim.step(0);
        this.sim.measure(0);
      } catch {
        this.x.set(this.x0);
      }
      if (i % 100 === 0) this.x.set(this.x0);
    }
    this.x.set(this.x0);
  }

  get cyclesPerStep(): number {
    return Math.round(this.dt * this.board.clock_Hz);
  }

  /** Cycles the board should run before the next `step()`. */
  cyclesToStep(): number {
    return this.held ? this.cyclesPerStep : Math.max(1, this.nextStepCycle - this.board.cycles);
  }

  private release(): void {
    this.held = false;
    this.nextStepCycle = this.board.cycles + this.cyclesPerStep;
  }

  /** Sensor voltages for the next ADC conversions. */
  writeSensors(): void {
    this.sim.measure(this.k * this.dt);
    for (let i = 0; i < this.sensors.length; i++) this.board.setAnalogVoltage(i, this.sim.y[this.sensors[i].outputIndex]);
  }

  /** PWM duty on the actuator pins → actuator counts → plant inputs (the simulated plant's own conversion). */
  readActuators(): void {
    for (let j = 0; j < this.actuators.length; j++) {
      const ch = this.actuators[j];
      const duty = this.board.pwmDuty(j);
      this.duty[j] = ch.bits === 8 ? duty : Math.round((duty * (2 ** ch.bits - 1)) / 255);
    }
    this.sim.actuate(this.duty);
  }

  /** A protocol v1 host has said HELLO: the board answers its lines and otherwise waits for it. */
  get protocolHost(): boolean {
    return !this.releaseOnDuty;
  }

  /** The host's line starting with `type` reached the board (see `held`). */
  onHostFrame(type: FrameType): void {
    if (type === 'HELLO') {
      this.x.set(this.x0);
      this.k = 0;
      this.fault = undefined;
      this.held = true;
      // A protocol host: release on its X only (the pins still show the previous run until the
      // board has processed the HELLO).
      this.releaseOnDuty = false;
      this.writeSensors();
    } else if (type === 'X' && this.held) this.release();
  }

  /** One plant step of `dt` once the board has run for that time since the previous one. */
  step(): void {
    if (this.held) {
      // Firmata and other firmware without X frames: released when an actuator leaves its safe output.
      if (this.releaseOnDuty) for (let j = 0; j < this.actuators.length; j++) if (this.board.pwmDuty(j) !== 0) this.held = false;
      if (!this.held) {
        this.held = true;
        this.release();
      }
      return;
    }
    if (this.board.cycles < this.nextStepCycle) return;
    this.nextStepCycle += this.cyclesPerStep;
    if (this.fault) return;
    this.readActuators();
    try {
      this.sim.step(this.k);
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e;
      this.fault = e.message;
      return;
    }
    this.k++;
    this.writeSensors();
  }
}
