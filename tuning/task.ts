import { evaluateScenario } from './evaluate.ts';
import type { Metrics } from './objective.ts';
import { setsFor, type ParamSpec } from './param-space.ts';

/** What every evaluation of one tuning run shares; sent once to each worker. */
export interface TuningTask {
  /** Scenario file (absolute) or built-in name. */
  readonly scenario: string;
  /** `--set` overrides applied before the searched parameters. */
  readonly baseSets: readonly string[];
  readonly specs: readonly ParamSpec[];
}

/**
 * Runs one point (real parameter values). A point the scenario rejects (e.g. a negative gain)
 * is a failed evaluation carrying the loader's message, so one bad corner cannot stop a search.
 */
export function evaluatePoint(task: TuningTask, values: readonly number[]): Metrics {
  try {
    return evaluateScenario(task.scenario, [...task.baseSets, ...setsFor(task.specs, values)]).metrics;
  } catch (e) {
    if ((e as { userError?: boolean }).userError) return { status: 'failed', error: (e as Error).message };
    throw e;
  }
}
