import type { Controller } from '../../controllers/controller.ts';
import type { BoardProfile } from '../profiles.ts';

/**
 * What the firmware generator needs to know of a scenario, as plain data: boards/ builds firmware
 * from this and imports nothing from the simulator (firmware-sim/scenario/firmware-description.ts
 * fills it from a built run).
 */
export interface FirmwareDescription {
  /** Scenario name: the hil firmware announces itself as hil/<name>. */
  readonly name: string;
  /** The scenario file, named in the sketch's header comment. */
  readonly file: string;
  /** Control period in seconds. */
  readonly Ts: number;
  /** Reference names in S-frame order. */
  readonly references: readonly string[];
  /** The controller type and model file as the scenario names them (messages and comments only). */
  readonly controllerType: string;
  readonly controllerModel: string;
  /** The controller object: the C generators read the fixed-point coefficients from it. */
  readonly controller: Controller;
  /** The scenario's board (its converters define the counts in S frames). */
  readonly board: BoardProfile;
  /** Sensor and actuator converters in S/M and A/X order. */
  readonly sensors: readonly FirmwareSensor[];
  readonly actuators: readonly FirmwareActuator[];
  /** hilbench's version, written into the generated files. */
  readonly version: string;
}

/** A sensor converter (the fields of firmware-sim/channels.ts's SensorChannel that firmware reads). */
export interface FirmwareSensor {
  readonly name: string;
  readonly kind: 'adc' | 'digital';
  readonly bits: number;
  readonly vref: number;
  readonly lsb: number;
  readonly gain: number;
  readonly offset: number;
}

/** An actuator converter (the fields of firmware-sim/channels.ts's ActuatorChannel that firmware writes). */
export interface FirmwareActuator {
  readonly name: string;
  readonly kind: 'pwm' | 'digital';
  readonly min: number;
  readonly max: number;
  readonly bits: number;
  readonly lsb: number;
}
