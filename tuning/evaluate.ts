import { NonFiniteError } from '../firmware-sim/errors.ts';
import { ControllerFirmware, type FirmwareLink } from '../firmware-sim/firmware-link.ts';
import { computeMetrics } from '../firmware-sim/metrics.ts';
import { ColumnStore } from '../firmware-sim/recorder.ts';
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

/** Buffers reused by every evaluation of this thread that does not keep its run. */
const scratch = new ColumnStore();

export function simulateBuilt(built: BuiltRun, options: { keepRun?: boolean; link?: (b: BuiltRun) => FirmwareLink } = {}): Evaluation {
  const store = options.keepRun ? new ColumnStore() : scratch;
  const link = options.link ? options.link(built) : new ControllerFirmware(built.controller, built.sensors, built.actuators);
  const metrics: Metrics = { status: 'completed' };
  try {
    simulate(built.config, link, store);
  } catch (e) {
    if (!(e instanceof NonFiniteError)) throw e;
    metrics.status = 'failed';
    metrics.error = (e as Error).message;
  }
  metrics.samples = store.rows;
  if (store.rows > 1) {
    const spec = judgedSpec(built, simulationColumns(built.config));
    if (spec) Object.assign(metrics, finiteOrNull(computeMetrics(store, spec)));
    if (built.plant.extraMetrics) Object.assign(metrics, finiteOrNull(built.plant.extraMetrics(store)));
  }
  return { metrics, built, store: options.keepRun ? store : undefined };
}

function finiteOrNull(o: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return out;
}
