import { isUserError } from '../errors/user-error.ts';
import { evaluateScenario } from './evaluate.ts';
import { marginMetricsOf } from './margin-metrics.ts';
import type { Metrics } from './objective.ts';
import { setsFor, type ParamSpec } from './param-space.ts';

/** What every evaluation of one tuning run shares; sent once to each worker. */
export interface TuningTask {
  /** Scenario file (absolute) or built-in name. */
  readonly scenario: string;
  /** `--set` overrides applied before the searched parameters. */
  readonly baseSets: readonly string[];
  readonly specs: readonly ParamSpec[];
  /**
   * Robust tuning: every point is simulated once per variant (extra `--set` overrides, e.g.
   * perturbed plant parameters) and the metrics are aggregated by `aggregateVariants`.
   */
  readonly variants?: readonly (readonly string[])[];
  /**
   * Add the linear loop's stability margins (margin-metrics.ts) to every evaluation's metrics:
   * set only when the objective or a constraint names one, so other searches are unchanged.
   */
  readonly margins?: boolean;
}

/**
 * Runs one point (real parameter values). A point the scenario rejects (e.g. a negative gain)
 * is a failed evaluation carrying the loader's message, so one bad corner cannot stop a search.
 */
export function evaluatePoint(task: TuningTask, values: readonly number[]): Metrics {
  const sets = setsFor(task.specs, values);
  const margins = task.margins === true;
  if (!task.variants) return evaluateOne(task.scenario, [...task.baseSets, ...sets], margins);
  return aggregateVariants(task.variants.map((v) => evaluateOne(task.scenario, [...task.baseSets, ...v, ...sets], margins)));
}

function evaluateOne(scenario: string, sets: readonly string[], margins: boolean): Metrics {
  try {
    const e = evaluateScenario(scenario, sets);
    return margins ? { ...e.metrics, ...marginMetricsOf(e.built) } : e.metrics;
  } catch (e) {
    if (isUserError(e)) return { status: 'failed', error: (e as Error).message };
    throw e;
  }
}

/**
 * Metrics over plant variants: each numeric key becomes the mean, with `<key>_min` and
 * `<key>_max` beside it (constraints are then judged on the worst variant). A key missing (null)
 * in any variant is null; one failed variant fails the point.
 */
export function aggregateVariants(runs: readonly Metrics[]): Metrics {
  const failed = runs.find((m) => m.status === 'failed');
  if (failed) return { status: 'failed', error: `variant ${runs.indexOf(failed) + 1}: ${String(failed.error)}` };
  const out: Metrics = { status: 'completed', variants: runs.length };
  for (const k of Object.keys(runs[0])) {
    if (k === 'status' || k === 'error') continue;
    const xs = runs.map((m) => m[k]);
    if (xs.some((x) => typeof x !== 'number')) {
      out[k] = out[`${k}_min`] = out[`${k}_max`] = null;
      continue;
    }
    const v = xs as number[];
    out[k] = v.reduce((a, b) => a + b, 0) / v.length;
    out[`${k}_min`] = Math.min(...v);
    out[`${k}_max`] = Math.max(...v);
  }
  return out;
}
