/**
 * The plant contract: a continuous-time model in SI units.
 *
 * A plant object holds parameters only; its state lives in a Float64Array owned by the caller
 * (the simulator), so a run can be reset or cloned without touching the model.
 * `derivatives` and `measure` are called in the hot loop: they must not allocate.
 */

/** Random source handed to plants and noise models. Implemented in firmware-sim/rng.ts. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  gaussian(): number;
}

/** A named signal with its unit; the unit suffix is also part of the name (`x_m`, `i_A`). */
export interface SignalInfo {
  readonly name: string;
  readonly unit: string;
  readonly description?: string;
}

export interface Plant {
  /** State names with unit suffix, e.g. ['x_m', 'v_mps']. */
  readonly states: readonly SignalInfo[];
  /** Actuator quantities the plant consumes, e.g. ['i_A']. */
  readonly inputs: readonly SignalInfo[];
  /** Sensor quantities the plant produces, e.g. ['op1_V', 'x_sensor_V']. */
  readonly outputs: readonly SignalInfo[];

  initialState(): Float64Array;
  /** Writes dx/dt into `dx`. No allocation. */
  derivatives(t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void;
  /** Writes the sensor outputs into `y`. Noise, if any, is drawn from `noise`. No allocation. */
  measure(t: number, x: Float64Array, u: Float64Array, y: Float64Array, noise: Rng): void;
  /**
   * Optional: applied after every integration step, for hard constraints the ODE cannot express
   * (mechanical stops, wrapping angles, discrete events). Mutates `x` in place. No allocation.
   */
  constrain?(t: number, x: Float64Array, u: Float64Array): void;
  /**
   * Optional: plant-specific metrics (energy, path length …) computed while the run goes, with
   * bounded state: the run loop makes one recorder per run with the recorded column names, hands it
   * every row, and reads `result()` when the run ends (or fails).
   */
  metricsRecorder?(columns: readonly string[]): PlantMetricsRecorder;
  /**
   * Optional: the plant metric keys worth a line in the terminal summary, in order (the rest stay in
   * metrics.json and report.html).
   */
  readonly headlineMetrics?: readonly HeadlineMetric[];
  /**
   * Optional: the values a reference (setpoint) may take on this rig, [min, max] in its unit (the gap
   * within the travel, the goal within the room). A setpoint from the dashboard outside it is refused.
   */
  referenceRange?(reference: string): readonly [number, number] | undefined;
  /**
   * Optional: extra report panels as Vega-Lite specifications (plain JSON objects, no import of
   * vega needed), e.g. a map with the robot's path. Data must be inlined in each spec.
   */
  extraPlots?(run: PlotRun): object[];
}

/**
 * A plant's online metrics. `write` is called with every recorded row (a reused buffer: copy what
 * you keep) and must not allocate; `result` may be called at any time and gives the metrics of the
 * rows written so far (keys as in metrics.json; NaN is written as null).
 */
export interface PlantMetricsRecorder {
  write(row: Float64Array): void;
  result(): Record<string, number>;
}

/** How the summary prints one plant metric: `<label> <value> <unit>`, or a word for coded values. */
export interface HeadlineMetric {
  /** Key in metrics.json, as the plant's metrics recorder returns it. */
  readonly key: string;
  /** Words before the value, e.g. 'path length'. */
  readonly label: string;
  /** Unit after the value (default: from the key's suffix, none for plain counts and ratios). */
  readonly unit?: string;
  /** The value is multiplied by this before printing (e.g. 100 for a ratio shown in %). */
  readonly scale?: number;
  /** Coded values (flags, status codes): the words printed instead of label and value, e.g. { 1: 'goal reached', 0: 'goal not reached' }. */
  readonly values?: Readonly<Record<number, string>>;
  /** Printed instead of label and value when the metric is null (e.g. 'never in band'). */
  readonly ifNull?: string;
}

/** Read-only view of a recorded run (whole, or decimated for plots). Columns are indexed by signal name. */
export interface RecordedRun {
  readonly t: Float64Array;
  column(name: string): Float64Array | undefined;
}

/**
 * What report plots receive: a run, possibly decimated (run/record/plot-store.ts: min/max per
 * bucket, so one point's columns may come from different rows), and whole rows for anything that
 * combines columns of one row (x–y paths). Absent `sampledRows`, every row is in the run itself.
 */
export interface PlotRun extends RecordedRun {
  readonly sampledRows?: RecordedRun;
}

/** A physical parameter with its source tag: [S] seed paper, [L] public reference, [R] reconstruction, [C] computed. */
export interface ParamDoc {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  /**
   * Plausible range [min, max] in `unit`: a scenario or `--set` value outside it is refused in one
   * line naming the parameter and the range (a negative mass, a gap outside the rig). Shown by
   * `hilbench describe`.
   */
  readonly range?: readonly [number, number];
}

/** Factory registered in plants/registry.ts: builds a plant from a named parameter set plus overrides. */
export interface PlantFactory {
  readonly name: string;
  readonly description: string;
  /** Parameter set names, first one is the default. */
  readonly parameterSets: readonly string[];
  /** Documented default parameters of a set (for `--set` validation and reports). */
  defaults(set?: string): Record<string, number>;
  /** The documented parameters of a set (value, unit, source), for `hilbench describe`; plants without documentation omit it. */
  docs?(set?: string): Readonly<Record<string, ParamDoc>>;
  /**
   * `options` are the scenario's `plantOptions` plus, from the run builder, `baseDir` (directory
   * relative file paths resolve against) and `makeRng(seed)` (a seeded random source, for plants that
   * need a stream of their own, e.g. odometry error).
   */
  create(params: Record<string, number>, options?: Record<string, unknown>): Plant;
  /** The `plantOptions` keys `create` reads; any other key in a scenario is refused. */
  readonly options?: readonly string[];
  /** Relations between parameters that single ranges cannot state (the start gap within the travel): the first one broken. */
  checkParams?(params: Readonly<Record<string, number>>): { param: string; message: string } | undefined;
}

/** The random-source factory the run builder hands to `PlantFactory.create` as `options.makeRng`. */
export type MakeRng = (seed: number) => Rng;
