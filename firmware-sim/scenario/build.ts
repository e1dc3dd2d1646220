import { getBoard, type BoardProfile } from '../../boards/profiles.ts';
import type { ChannelDescription, Controller } from '../../controllers/controller.ts';
import { getControllerFactory } from './controller-types.ts';
import type { MakeRng, Plant } from '../../plants/plant.ts';
import { getPlantFactory } from '../../plants/registry.ts';
import { actuatorCounts, type ActuatorChannel, type SensorChannel } from '../channels.ts';
import { GaussianNoise, SineNoise, UniformNoise, type NoiseSource } from '../noise.ts';
import { ConstantReference, RampReference, StepReference, TableReference, type Reference } from '../references.ts';
import { Xoshiro128 } from '../rng.ts';
import type { SimulationConfig } from '../simulation.ts';
import { UserError } from '../../errors/user-error.ts';
import type { LoadedScenario } from './load.ts';
import type { NoiseSpec, ReferenceSpec, Scenario } from './schema.ts';

/** Everything a run needs, built from a validated scenario; the link and sinks are chosen by the runner. */
export interface BuiltRun {
  readonly scenario: Scenario;
  readonly file: string;
  readonly plant: Plant;
  readonly plantParams: Record<string, number>;
  readonly controller: Controller;
  readonly board: BoardProfile;
  readonly sensors: readonly SensorChannel[];
  readonly actuators: readonly ActuatorChannel[];
  readonly config: SimulationConfig;
}

/** Seeds for the independent random streams of a run, derived from the scenario seed. */
export function streamSeed(seed: number, stream: number): number {
  return (Math.imul(seed, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca77)) >>> 0;
}

/**
 * Most plant steps (duration/dt) one run may take: 2^31 ≈ 2.1e9, 24.8 days at dt = 1 ms or 24 h at
 * dt = 40 µs — days of HIL or logging at the rates boards run, while a typo such as duration 1e300
 * or dt = 1e-300 is refused in one line instead of running until killed.
 */
export const MAX_PLANT_STEPS = 2 ** 31;

export function buildRun(loaded: LoadedScenario): BuiltRun {
  const { scenario: s, file, baseDir } = loaded;
  const fail = (path: string, msg: string): never => {
    throw new UserError(`${file}: ${path}: ${msg}`);
  };
  const wrap = <T>(path: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UserError) throw e;
      return fail(path, (e as Error).message);
    }
  };

  const factory = wrap('plant', () => getPlantFactory(s.plant));
  const set = s.parameterSet ?? factory.parameterSets[0];
  if (!factory.parameterSets.includes(set)) {
    fail('parameterSet', `unknown set '${set}' for plant '${s.plant}' (known: ${factory.parameterSets.join(', ')})`);
  }
  const plantParams = factory.defaults(set);
  const docs = factory.docs?.(set) ?? {};
  for (const [k, v] of Object.entries(s.params)) {
    // Own keys only: `constructor` or `toString` are in every object through its prototype.
    if (!Object.hasOwn(plantParams, k)) fail(`params.${k}`, `not a parameter of plant '${s.plant}' (known: ${Object.keys(plantParams).join(', ')})`);
    const range = Object.hasOwn(docs, k) ? docs[k].range : undefined;
    if (range && !(v >= range[0] && v <= range[1])) {
      fail(`params.${k}`, `${v} ${docs[k].unit} is outside the plausible range [${range[0]}, ${range[1]}] ${docs[k].unit} (hilbench describe ${s.name} lists the ranges)`);
    }
    plantParams[k] = v;
  }
  const relation = factory.checkParams?.(plantParams);
  if (relation) fail(`params.${relation.param}`, relation.message);
  const knownOptions = factory.options ?? [];
  for (const k of Object.keys(s.plantOptions)) {
    if (!knownOptions.includes(k)) fail(`plantOptions.${k}`, `not an option of plant '${s.plant}' (${knownOptions.length ? `known: ${knownOptions.join(', ')}` : 'it takes none'})`);
  }
  const makeRng: MakeRng = (seed) => new Xoshiro128(seed);
  const plant = wrap('plantOptions', () => factory.create(plantParams, { ...s.plantOptions, baseDir, makeRng }));
  const board = wrap('board', () => getBoard(s.board));

  const ratio = s.Ts / s.dt;
  const controlEvery = Math.round(ratio);
  if (controlEvery < 1 || Math.abs(ratio - controlEvery) > 1e-9 * ratio) {
    fail('Ts', `must be a whole multiple of dt (Ts/dt = ${ratio})`);
  }
  if (!(s.duration >= s.Ts)) fail('duration', `${s.duration} s is shorter than one control period Ts = ${s.Ts} s`);
  const steps = s.duration / s.dt;
  if (!(steps <= MAX_PLANT_STEPS)) {
    fail('duration', `${s.duration} s at dt = ${s.dt} s is ${steps.toPrecision(3)} plant steps, more than the limit of 2^31 (docs/formats.md); shorten duration or raise dt`);
  }

  const { value: controller, unread } = wrap('controller', () =>
    readingKeys(s.controller as Record<string, unknown>, (spec) =>
      getControllerFactory(s.controller.type).create(spec, {
        Ts: s.Ts,
        baseDir,
        plantParams,
        outputLimits: Object.fromEntries(s.actuators.map((a) => [a.name, [a.min, a.max] as const])),
        channels: channelDescriptions(s, board),
      }),
    ),
  );
  // A misspelt key (`"kp"` for `"Kp"`) would otherwise leave the default in force without a word.
  const ignored = unread.filter((k) => !CONTROLLER_COMMON_KEYS.has(k));
  if (ignored.length) fail(`controller.${ignored[0]}`, `not a setting of a ${s.controller.type} controller${ignored.length > 1 ? ` (nor ${ignored.slice(1).join(', ')})` : ''}; it would be ignored`);

  const outputNames = plant.outputs.map((o) => o.name);
  const inputNames = plant.inputs.map((o) => o.name);

  const sensorNames = s.sensors.map((x) => x.name).sort();
  if (JSON.stringify(sensorNames) !== JSON.stringify([...controller.inputs].sort())) {
    fail('sensors', `the controller reads [${controller.inputs.join(', ')}] but the sensors are [${s.sensors.map((x) => x.name).join(', ')}]`);
  }
  const sensors: SensorChannel[] = controller.inputs.map((nm) => {
    const i = s.sensors.findIndex((x) => x.name === nm);
    const spec = s.sensors[i];
    const outputIndex = outputNames.indexOf(spec.from);
    if (outputIndex < 0) fail(`sensors.${i}.from`, `unknown plant output '${spec.from}' (known: ${outputNames.join(', ')})`);
    if (spec.kind === 'digital' && spec.lsb === undefined) fail(`sensors.${i}.lsb`, 'required for a digital channel');
    return {
      name: spec.name,
      outputIndex,
      kind: spec.kind,
      bits: spec.bits ?? board.adc.bits,
      vref: spec.vref ?? board.adc.vref_V,
      lsb: spec.lsb ?? 1,
      gain: spec.gain,
      offset: spec.offset,
    };
  });

  const actuatorNames = s.actuators.map((x) => x.name).sort();
  if (JSON.stringify(actuatorNames) !== JSON.stringify([...controller.outputs].sort())) {
    fail('actuators', `the controller writes [${controller.outputs.join(', ')}] but the actuators are [${s.actuators.map((x) => x.name).join(', ')}]`);
  }
  const actuators: ActuatorChannel[] = controller.outputs.map((nm) => {
    const j = s.actuators.findIndex((x) => x.name === nm);
    const spec = s.actuators[j];
    const inputIndex = inputNames.indexOf(spec.to);
    if (inputIndex < 0) fail(`actuators.${j}.to`, `unknown plant input '${spec.to}' (known: ${inputNames.join(', ')})`);
    if (spec.kind === 'digital' && Math.max(Math.abs(spec.min), Math.abs(spec.max)) / (spec.lsb ?? 1) > 2147483647) {
      fail(`actuators.${j}`, 'min/lsb and max/lsb must fit in 32-bit counts');
    }
    return { name: spec.name, inputIndex, kind: spec.kind, min: spec.min, max: spec.max, bits: spec.bits ?? board.pwm.bits, lsb: spec.lsb ?? 1 };
  });
  const initialActuatorCounts = Int32Array.from(controller.outputs, (nm, j) => {
    const spec = s.actuators.find((x) => x.name === nm)!;
    // Before the first tick: the stated initial command, else zero clipped into the range.
    return actuatorCounts(actuators[j], spec.initial ?? Math.min(spec.max, Math.max(spec.min, 0)));
  });

  // The controller's references come first, in its order; any others are recorded too.
  for (const r of controller.references) {
    if (!s.references.some((x) => x.name === r)) fail('references', `the controller reads reference '${r}', which the scenario does not define`);
  }
  const refSpecs = [
    ...controller.references.map((r) => s.references.find((x) => x.name === r)!),
    ...s.references.filter((x) => !controller.references.includes(x.name)),
  ];
  const references = refSpecs.map((r) => ({ name: r.name, ref: makeReference(r) }));

  if (s.metrics) {
    // The metrics judge recorded columns (firmware-sim/simulation.ts): say so now rather than after the run.
    const recorded = [
      ...plant.states.map((x) => x.name),
      ...inputNames,
      ...outputNames,
      ...sensors.flatMap((x) => [x.name, `${x.name}_counts`]),
      ...references.map((r) => r.name),
      ...actuators.map((a) => `${a.name}_counts`),
    ];
    for (const key of ['output', 'reference', 'command'] as const) {
      const name = s.metrics[key];
      if (name !== undefined && !recorded.includes(name)) fail(`metrics.${key}`, `'${name}' is not a recorded signal (recorded: ${recorded.join(', ')})`);
    }
  }

  const inputNoise: { inputIndex: number; source: NoiseSource }[] = [];
  const outputNoise: { outputIndex: number; source: NoiseSource }[] = [];
  s.noise.sources.forEach((spec, k) => {
    // Checked when noise is off too: a misspelt signal must not wait for the day noise is enabled.
    const ii = inputNames.indexOf(spec.signal);
    const oi = outputNames.indexOf(spec.signal);
    if (ii < 0 && oi < 0) fail(`noise.sources.${k}.signal`, `'${spec.signal}' is neither a plant input (${inputNames.join(', ')}) nor a plant output (${outputNames.join(', ')})`);
    if (!s.noise.enabled) return;
    const source = makeNoise(spec, new Xoshiro128(streamSeed(s.seed, k + 1)));
    if (ii >= 0) inputNoise.push({ inputIndex: ii, source });
    else outputNoise.push({ outputIndex: oi, source });
  });

  const config: SimulationConfig = {
    plant,
    integrator: s.integrator,
    dt: s.dt,
    controlEvery,
    recordEvery: controlEvery * s.record.every,
    duration: s.duration,
    sensors,
    actuators,
    references,
    inputNoise,
    outputNoise,
    rng: new Xoshiro128(streamSeed(s.seed, 0)),
    computationDelay: s.computationDelay,
    initialActuatorCounts,
  };
  return { scenario: s, file, plant, plantParams, controller, board, sensors, actuators, config };
}

/** Keys any controller object may carry without a controller reading them. */
const CONTROLLER_COMMON_KEYS: ReadonlySet<string> = new Set(['type', 'description', 'label', 'note']);

/**
 * Calls `create` with a view of `spec` that notes which top-level keys it reads, and returns the
 * keys it never read: the controller factories read their settings ad hoc, so this catches a
 * misspelt or unknown key for every controller type without a schema per type.
 */
function readingKeys<T>(spec: Record<string, unknown>, create: (spec: Record<string, unknown>) => T): { value: T; unread: string[] } {
  const read = new Set<string>();
  const view = new Proxy(spec, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  const value = create(view);
  return { value, unread: Object.keys(spec).filter((k) => !read.has(k)) };
}

/** The scenario's sensor and actuator channels by name, with the board's converter defaults. */
function channelDescriptions(s: Scenario, board: BoardProfile): Record<string, ChannelDescription> {
  const out: Record<string, ChannelDescription> = {};
  for (const c of s.sensors) {
    out[c.name] = { kind: c.kind, bits: c.bits ?? board.adc.bits, vref: c.vref ?? board.adc.vref_V, lsb: c.lsb ?? 1, gain: c.gain, offset: c.offset, min: 0, max: 0 };
  }
  for (const a of s.actuators) {
    out[a.name] = { kind: a.kind, bits: a.bits ?? board.pwm.bits, vref: 0, lsb: a.lsb ?? 1, gain: 1, offset: 0, min: a.min, max: a.max };
  }
  return out;
}

function makeReference(r: ReferenceSpec): Reference {
  switch (r.type) {
    case 'constant':
      return new ConstantReference(r.value);
    case 'step':
      return new StepReference(r.initial, r.final, r.time);
    case 'ramp':
      return new RampReference(r.start, r.slope, r.time, r.limit);
    case 'table':
      return new TableReference(r.points, r.interpolation);
  }
}

function makeNoise(n: NoiseSpec, rng: Xoshiro128): NoiseSource {
  switch (n.type) {
    case 'uniform':
      return new UniformNoise(rng, n.pp, n.hold);
    case 'gaussian':
      return new GaussianNoise(rng, n.sigma, n.hold);
    case 'sine':
      return new SineNoise(n.amplitude, n.frequency, n.phase);
  }
}
