import { z } from 'zod';

/**
 * The scenario file format (docs/formats.md). Validated with zod; every error names its JSON path.
 * Units: seconds for dt, Ts, duration and times; everything else in the named signal's unit.
 */
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a signal name: letters, digits and _, starting with a letter');

export const sensorSchema = z.strictObject({
  name,
  /** Plant output this channel samples. */
  from: z.string(),
  kind: z.enum(['adc', 'digital']).default('adc'),
  /** ADC resolution override (default: the board's). */
  bits: z.number().int().min(1).max(24).optional(),
  /** ADC full-scale override in volts (default: the board's). */
  vref: z.number().positive().optional(),
  /** Digital channels: value of one count. */
  lsb: z.number().positive().optional(),
  /** eng = gain·(converted value) + offset. */
  gain: z.number().refine((v) => v !== 0, 'gain must not be zero').default(1),
  offset: z.number().default(0),
});

export const actuatorSchema = z
  .strictObject({
    name,
    /** Plant input this channel drives. */
    to: z.string(),
    /** 'pwm' maps [min, max] onto 0 … 2^bits − 1; 'digital' sends the command in units of `lsb`. */
    kind: z.enum(['pwm', 'digital']).default('pwm'),
    min: z.number(),
    max: z.number(),
    /** Resolution override (default: the board's PWM bits). */
    bits: z.number().int().min(1).max(31).optional(),
    /** Digital channels: value of one count (default 1). */
    lsb: z.number().positive().optional(),
    /** Command applied before the first tick takes effect (default: 0 clipped into [min, max]). */
    initial: z.number().optional(),
  })
  .refine((a) => a.min < a.max, { message: 'min must be below max', path: ['max'] });

export const referenceSchema = z.discriminatedUnion('type', [
  z.strictObject({ name, type: z.literal('constant'), value: z.number() }),
  z.strictObject({ name, type: z.literal('step'), initial: z.number(), final: z.number(), time: z.number().nonnegative() }),
  z.strictObject({
    name,
    type: z.literal('ramp'),
    start: z.number(),
    slope: z.number(),
    time: z.number().nonnegative().default(0),
    limit: z.number().optional(),
  }),
  z.strictObject({
    name,
    type: z.literal('table'),
    points: z
      .array(z.tuple([z.number(), z.number()]))
      .min(1)
      .refine((pts) => pts.every((p, i) => i === 0 || p[0] > pts[i - 1][0]), 'times must increase strictly from point to point'),
    interpolation: z.enum(['linear', 'hold']).default('linear'),
  }),
]);

export const noiseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    label: z.string().optional(),
    signal: z.string(),
    type: z.literal('uniform'),
    /** Peak-to-peak amplitude. */
    pp: z.number().nonnegative(),
    hold: z.number().nonnegative().default(0),
  }),
  z.strictObject({
    label: z.string().optional(),
    signal: z.string(),
    type: z.literal('gaussian'),
    sigma: z.number().nonnegative(),
    hold: z.number().nonnegative().default(0),
  }),
  z.strictObject({
    label: z.string().optional(),
    signal: z.string(),
    type: z.literal('sine'),
    amplitude: z.number(),
    frequency: z.number().nonnegative(),
    phase: z.number().default(0),
  }),
]);

export const controllerSchema = z.looseObject({ type: z.string() });

export const scenarioSchema = z.strictObject({
  /** Names the default output directory runs/<name>: no path separators, no leading dot. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a scenario name: up to 64 letters, digits, ., _ or -, starting with a letter or digit'),
  description: z.string().optional(),
  plant: z.string(),
  parameterSet: z.string().optional(),
  /** Plant parameter overrides by name. */
  params: z.record(z.string(), z.number()).default({}),
  /** Structural plant options (input mode, map file …). */
  plantOptions: z.record(z.string(), z.unknown()).default({}),
  controller: controllerSchema,
  /** Named alternative controllers, selectable with `--controller NAME`. */
  controllers: z.record(z.string(), controllerSchema).optional(),
  board: z.string().default('uno'),
  integrator: z.enum(['rk4', 'euler']).default('rk4'),
  dt: z.number().positive(),
  Ts: z.number().positive(),
  duration: z.number().positive(),
  computationDelay: z.boolean().default(false),
  sensors: z.array(sensorSchema),
  actuators: z.array(actuatorSchema),
  references: z.array(referenceSchema).default([]),
  noise: z
    .strictObject({ enabled: z.boolean().default(true), sources: z.array(noiseSchema).default([]) })
    .default({ enabled: true, sources: [] }),
  seed: z.number().int().nonnegative().max(4294967295).default(1),
  /** Record one row every `every` control periods. */
  record: z.strictObject({ every: z.number().int().positive().default(1) }).default({ every: 1 }),
  /** Which signals the standard metrics judge. */
  metrics: z
    .strictObject({
      output: z.string(),
      reference: z.string(),
      /** Plant input or actuator column for control effort and saturation (default: the first actuator). */
      command: z.string().optional(),
      /** Settling band as a fraction of |final reference| (default 2 %). */
      band: z.number().positive().default(0.02),
      /** Absolute settling band; overrides `band`. */
      bandAbs: z.number().positive().optional(),
    })
    .optional(),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type SensorSpec = z.output<typeof sensorSchema>;
export type ActuatorSpec = z.output<typeof actuatorSchema>;
export type ReferenceSpec = z.output<typeof referenceSchema>;
export type NoiseSpec = z.output<typeof noiseSchema>;
export type ControllerSpec = z.output<typeof controllerSchema>;
