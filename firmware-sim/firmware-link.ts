import type { Controller } from '../controllers/controller.ts';
import { actuatorCounts, sensorValue, type ActuatorChannel, type SensorChannel } from './channels.ts';
import { NonFiniteError } from './errors.ts';

/**
 * The seam between the run loop and whatever computes the control law: once per control period
 * it takes sensor counts (and the references, in engineering units) and returns actuator counts.
 * Pure simulation answers synchronously; serial links return a Promise.
 * The returned array may be reused by the link: copy it if you keep it past the next tick.
 */
export interface FirmwareLink {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  tick(sensorCounts: Int32Array, ref: Float64Array, t: number): Int32Array | Promise<Int32Array>;
  /** Called once before the first tick of a run. */
  reset(): void;
}

/**
 * The TypeScript firmware model: a `Controller` behind the simulated MCU's converters.
 * Counts become engineering units exactly as `sensorValue` says, and commands become counts
 * exactly as `actuatorCounts` says, so any link that honours the same channels is comparable.
 */
export class ControllerFirmware implements FirmwareLink {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  private readonly y: Float64Array;
  private readonly u: Float64Array;
  private readonly out: Int32Array;

  constructor(
    private readonly controller: Controller,
    private readonly sensors: readonly SensorChannel[],
    private readonly actuators: readonly ActuatorChannel[],
  ) {
    if (controller.inputs.length !== sensors.length) {
      throw new Error(
        `controller reads ${controller.inputs.length} input(s) (${controller.inputs.join(', ')}) but the scenario defines ${sensors.length} sensor channel(s)`,
      );
    }
    if (controller.outputs.length !== actuators.length) {
      throw new Error(
        `controller writes ${controller.outputs.length} output(s) (${controller.outputs.join(', ')}) but the scenario defines ${actuators.length} actuator channel(s)`,
      );
    }
    this.sensorCount = sensors.length;
    this.actuatorCount = actuators.length;
    this.y = new Float64Array(sensors.length);
    this.u = new Float64Array(actuators.length);
    this.out = new Int32Array(actuators.length);
  }

  reset(): void {
    this.controller.reset();
  }

  tick(sensorCounts: Int32Array, ref: Float64Array, t: number): Int32Array {
    for (let i = 0; i < this.sensorCount; i++) this.y[i] = sensorValue(this.sensors[i], sensorCounts[i]);
    this.controller.update(this.y, ref, t, this.u);
    for (let j = 0; j < this.actuatorCount; j++) {
      const uj = this.u[j];
      if (uj - uj !== 0) throw new NonFiniteError(t, this.actuators[j].name, 'controller output'); // NaN or ±Infinity
      this.out[j] = actuatorCounts(this.actuators[j], uj);
    }
    return this.out;
  }
}
