import { actuatorValue, type ActuatorChannel, type SensorChannel } from '../../firmware-sim/channels.ts';
import { makeIntegrator, type Integrator } from '../../firmware-sim/integrators.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import type { Plant } from '../../plants/plant.ts';
import type { FrameType } from '../../protocol/frames.ts';
import type { AvrBoard } from './avr-board.ts';

/**
 * A simulated plant wired to the emulated board's pins (docs/protocol.md §5): before each plant
 * step the sensor voltages go into the ADC's `channelValues` (sensor i → A`i`), after it the PWM
 * duty of actuator pin k becomes plant input k. Time is board time: one plant step per `dt` of CPU
 * cycles, so the rig is faithful in both real-time and as-fast-as-possible modes.
 */
export class PlantRig {
  readonly plant: Plant;
  readonly dt: number;
  readonly x: Float64Array;
  private readonly u: Float64Array;
  private readonly y: Float64Array;
  private readonly integrator: Integrator;
  private readonly sensors: readonly SensorChannel[];
  private readonly actuators: readonly ActuatorChannel[];
  private readonly noRng = { uniform: () => 0.5, gaussian: () => 0 };
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
  private readonly x0: Float64Array;

  constructor(built: BuiltRun, private readonly board: AvrBoard) {
    this.plant = built.plant;
    this.dt = built.config.dt;
    this.sensors = built.sensors;
    this.actuators = built.actuators;
    for (const s of this.sensors) {
      if (s.kind !== 'adc') throw Object.assign(new Error(`--rig: sensor '${s.name}' is ${s.kind}; the rig wires ADC sensors only`), { userError: true });
    }
    for (const a of this.actuators) {
      if (a.kind !== 'pwm') throw Object.assign(new Error(`--rig: actuator '${a.name}' is ${a.kind}; the rig wires PWM actuators only`), { userError: true });
    }
    if (this.sensors.length > 6 || this.actuators.length > board.pwmPinCount) {
      throw Object.assign(new Error('--rig: the Uno has 6 analog inputs and 6 PWM pins; the scenario needs more'), { userError: true });
    }
    this.x = built.config.x0 ? Float64Array.from(built.config.x0) : this.plant.initialState();
    this.x0 = Float64Array.from(this.x);
    this.u = new Float64Array(this.plant.inputs.length);
    this.y = new Float64Array(this.plant.outputs.length);
    this.integrator = makeIntegrator(built.config.integrator, this.x.length, this.dt);
    this.warmUp();
    this.readActuators(); // safe outputs at power-up (duty 0)
    this.writeSensors();
  }

  /**
   * Runs the plant code a few thousand steps on a scratch state so the JIT has compiled it before
   * the host starts: in real-time mode the first milliseconds after release are the critical ones.
   */
  private warmUp(): void {
    const x = Float64Array.from(this.x);
    for (let i = 0; i < 5000; i++) {
      this.integrator.step(this.plant, 0, x, this.u);
      this.plant.measure(0, x, this.u, this.y, this.noRng);
      if (i % 100 === 0) x.set(this.x);
    }
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
    this.plant.measure(this.k * this.dt, this.x, this.u, this.y, this.noRng);
    for (let i = 0; i < this.sensors.length; i++) this.board.setAnalogVoltage(i, this.y[this.sensors[i].outputIndex]);
  }

  /** PWM duty on the actuator pins → plant inputs. */
  readActuators(): void {
    for (let j = 0; j < this.actuators.length; j++) {
      const ch = this.actuators[j];
      const duty = this.board.pwmDuty(j);
      const counts = ch.bits === 8 ? duty : Math.round((duty * (2 ** ch.bits - 1)) / 255);
      this.u[ch.inputIndex] = actuatorValue(ch, counts);
    }
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
    this.readActuators();
    this.integrator.step(this.plant, this.k, this.x, this.u);
    this.k++;
    if (this.plant.constrain) this.plant.constrain(this.k * this.dt, this.x, this.u);
    this.writeSensors();
  }
}
