/**
 * The controller contract: discrete time, engineering units, pure maths.
 * A controller never knows whether it runs in simulation, behind a serial link or on a real rig.
 * `update` is called once per control period in the hot loop: it must not allocate.
 */
export interface Controller {
  /** Measured quantities it reads, in order, e.g. ['x_m']. */
  readonly inputs: readonly string[];
  /** Reference quantities it reads, in order, e.g. ['x_ref_m']. */
  readonly references: readonly string[];
  /** Commands it writes, in order, e.g. ['i_cmd_A']. */
  readonly outputs: readonly string[];
  /** Back to the initial internal state (integrators, filters, memories). */
  reset(): void;
  /**
   * One control period. `y` measured inputs, `ref` references, `t` the caller's clock in seconds,
   * `u` written with the commands. The sample time is the difference between successive `t`.
   */
  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void;
}

/** Factory registered in controllers/registry.ts: builds a controller from scenario parameters. */
export interface ControllerFactory {
  readonly type: string;
  readonly description: string;
  /**
   * `params` is the scenario's `controller` object (already JSON); `context` gives the control
   * period and the directory model-file paths are relative to. Throw an Error with a clear
   * message for bad parameters: it reaches the user as a one-line error.
   */
  create(params: Record<string, unknown>, context: ControllerContext): Controller;
}

export interface ControllerContext {
  /** Control period in seconds. */
  readonly Ts: number;
  /** Directory that relative model file paths are resolved against. */
  readonly baseDir: string;
  /** Plant parameters after overrides, for controllers derived from the model (e.g. linearisation tuning). */
  readonly plantParams: Record<string, number>;
  /** Range [min, max] of each actuator by command name, so controllers can default their output limits. */
  readonly outputLimits: Readonly<Record<string, readonly [number, number]>>;
  /**
   * The scenario's converter channels by sensor and actuator name, with the board's defaults filled in,
   * for controllers that compute on counts as firmware does (the fixed-point controllers).
   */
  readonly channels?: Readonly<Record<string, ChannelDescription>>;
}

/** A converter channel as the scenario and the board define it. */
export interface ChannelDescription {
  /** Sensors: 'adc' or 'digital'; actuators: 'pwm' or 'digital'. */
  readonly kind: 'adc' | 'digital' | 'pwm';
  readonly bits: number;
  /** ADC full-scale voltage (sensors). */
  readonly vref: number;
  /** Value of one count (digital channels). */
  readonly lsb: number;
  /** Sensors: engineering value = gain·converted value + offset. */
  readonly gain: number;
  readonly offset: number;
  /** Actuators: the command range. */
  readonly min: number;
  readonly max: number;
}
