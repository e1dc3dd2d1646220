import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { ColumnStore } from '../../firmware-sim/recorder.ts';
import { buildRun, type BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { validateScenario } from '../../firmware-sim/scenario/load.ts';
import { simulate } from '../../run/simulate.ts';


/** Builds a run from an in-memory scenario object (validated exactly like a file). */
export function buildFromObject(obj: Record<string, unknown>, baseDir = process.cwd()): BuiltRun {
  const scenario = validateScenario(obj, 'test-scenario.json');
  return buildRun({ scenario, file: 'test-scenario.json', baseDir });
}

/** Runs a built scenario in memory and returns the recorded columns. */
export function runInMemory(built: BuiltRun): ColumnStore {
  const store = new ColumnStore();
  const link = new ControllerFirmware(built.controller, built.sensors, built.actuators);
  simulate(built.config, link, store);
  return store;
}

/** A first-order / integrator loop with near-ideal converters (1e-7 resolution), for closed-form checks. */
export function linearLoop(overrides: {
  params?: Record<string, number>;
  controller: Record<string, unknown>;
  reference: Record<string, unknown>;
  dt?: number;
  Ts?: number;
  duration: number;
  computationDelay?: boolean;
  umin?: number;
  umax?: number;
}): Record<string, unknown> {
  return {
    name: 'linear-test',
    plant: 'first-order',
    params: overrides.params ?? {},
    controller: { input: 'y_meas', reference: 'r', output: 'u_cmd', ...overrides.controller },
    dt: overrides.dt ?? 1e-3,
    Ts: overrides.Ts ?? 1e-2,
    duration: overrides.duration,
    computationDelay: overrides.computationDelay ?? false,
    sensors: [{ name: 'y_meas', from: 'y_out', kind: 'digital', lsb: 1e-7 }],
    actuators: [{ name: 'u_cmd', to: 'u_in', kind: 'digital', lsb: 1e-7, min: overrides.umin ?? -2, max: overrides.umax ?? 2 }],
    references: [{ name: 'r', ...overrides.reference }],
    metrics: { output: 'y', reference: 'r' },
  };
}

/**
 * Writes `unstable.json` into `dir`: a first-order plant with a negative time constant under an
 * open-loop zero command, so its state grows until it is no longer finite (about t = 0.7 s).
 */
export function writeUnstableScenario(dir: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'unstable.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'unstable',
      plant: 'first-order',
      params: { tau_s: -0.001, y0: 1 },
      controller: { type: 'open-loop', inputs: ['y_meas'], outputs: ['u_cmd'], values: [0] },
      dt: 1e-4,
      Ts: 1e-3,
      duration: 5,
      sensors: [{ name: 'y_meas', from: 'y_out', kind: 'digital', lsb: 1e-6 }],
      actuators: [{ name: 'u_cmd', to: 'u_in', kind: 'digital', lsb: 1e-6, min: -1, max: 1 }],
      ...extra,
    }),
  );
  return file;
}
