import type { Metrics } from '../objective.ts';
import type { TaskBundle } from './bundle.ts';

/** One evaluation as a BullMQ job: everything the worker needs, no shared filesystem. */
export interface EvaluationJob {
  /** hilbench version of the coordinator (also inside `task`; here so a refusal needs no parsing). */
  readonly version: string;
  /** sha256 of `task`: a worker writes each task to disk once and reuses it. */
  readonly taskHash: string;
  readonly task: TaskBundle;
  /** Real parameter values of the point, in `task.specs` order. */
  readonly values: readonly number[];
  /** Position of the evaluation in its run (also the end of the job id). */
  readonly index: number;
}

/**
 * Metrics as JSON: BullMQ stores results as JSON, which has no Infinity or NaN (a margin metric
 * can be infinite); those keys travel as strings beside the metrics and are restored, so the
 * coordinator gets exactly what the local pool's structured clone would give.
 */
export interface EncodedMetrics {
  readonly metrics: Metrics;
  readonly nonFinite?: Record<string, string>;
}

export function encodeMetrics(m: Metrics): EncodedMetrics {
  let nonFinite: Record<string, string> | undefined;
  const metrics: Metrics = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      (nonFinite ??= {})[k] = String(v);
      metrics[k] = null;
    } else metrics[k] = v;
  }
  return nonFinite ? { metrics, nonFinite } : { metrics };
}

export function decodeMetrics(e: EncodedMetrics): Metrics {
  if (!e.nonFinite) return e.metrics;
  const out: Metrics = { ...e.metrics };
  for (const [k, v] of Object.entries(e.nonFinite)) out[k] = Number(v);
  return out;
}

/** Job ids: `<run>-<index>`; BullMQ rejects ids with ':' or that are integers. */
export const jobId = (runId: string, index: number): string => `${runId}-${index}`;
