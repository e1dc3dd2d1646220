import { NonFiniteError } from '../firmware-sim/errors.ts';
import { ControllerFirmware, type FirmwareLink } from '../firmware-sim/firmware-link.ts';
import { ColumnStore, TeeSink } from '../firmware-sim/recorder.ts';
import { expectedRows, RunRecord } from '../run/record/run-record.ts';
import { buildRun, type BuiltRun } from '../firmware-sim/scenario/build.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { simulationColumns } from '../firmware-sim/simulation.ts';
import { judgedSpec } from '../run/judged.ts';
import { simulate } from '../run/simulate.ts';
import type { Metrics } from './objective.ts';

export interface Evaluation {
  readonly metrics: Metrics;
  /** The recorded run (kept only when asked for: reports). */
  readonly store?: ColumnStore;
  readonly built: BuiltRun;
}

/**
 * One deterministic simulation of `scenario` with `--set` overrides, in memory (no files):
 * metrics as metrics.json would hold them (NaN → null), `status` 'completed' or 'failed'.
 * A run stopped by a non-finite signal is a failed evaluation, not an exception; a bad scenario
 * or override throws the loader's UserError.
 */
export function evaluateScenario(scenario: string, sets: readonly string[], options: { keepRun?: boolean; link?: (b: BuiltRun) => FirmwareLink } = {}): Evaluation {
  const built = buildRun(loadScenario(scenario, { set: sets }));
  return simulateBuilt(built, options);
}

export function simulateBuilt(built: BuiltRun, options: { keepRun?: boolean; link?: (b: BuiltRun) => FirmwareLink } = {}): Evaluation {
  const store = options.keepRun ? new ColumnStore() : undefined;
  const record = new RunRecord({ plant: built.plant, spec: judgedSpec(built, simulationColumns(built.config)), expectedRows: expectedRows(built.config), plot: false });
  const link = options.link ? options.link(built) : new ControllerFirmware(built.controller, built.sensors, built.actuators);
  const metrics: Metrics = { status: 'completed' };
  try {
    simulate(built.config, link, store ? new TeeSink([record, store]) : record);
  } catch (e) {
    if (!(e instanceof NonFiniteError)) throw e;
    metrics.status = 'failed';
    metrics.error = (e as Error).message;
  }
  metrics.samples = record.rows;
  if (record.rows > 1) Object.assign(metrics, finiteOrNull(record.metrics()));
  return { metrics, built, store };
}

function finiteOrNull(o: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return out;
}
