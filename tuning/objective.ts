import { marginMetricNames } from './margin-metrics.ts';
import { UserError } from '../errors/user-error.ts';

/** Short names users type, mapped to metrics.json keys. Any exact metrics key is accepted too. */
export const metricAliases: Readonly<Record<string, string>> = {
  overshoot: 'overshoot_pct',
  settling: 'settling_time_s',
  settling_time: 'settling_time_s',
  rise: 'rise_time_s',
  rise_time: 'rise_time_s',
  sse: 'steady_state_error',
  effort: 'control_effort',
  energy: 'control_energy',
  saturation: 'saturation_time_s',
  rms: 'rms_error',
};

export interface Constraint {
  readonly text: string;
  readonly key: string;
  readonly op: '<' | '>';
  readonly limit: number;
}

export interface Objective {
  readonly key: string;
  readonly constraints: readonly Constraint[];
}

export function metricKey(name: string): string {
  return metricAliases[name] ?? name;
}

/** Parses `overshoot<5`, `settling_time_s<0.1`, `x_min_m>0.002` (also `<=`/`>=`, same meaning). */
export function parseConstraint(text: string): Constraint {
  const m = /^\s*([A-Za-z_]\w*)\s*(<=?|>=?)\s*(\S+)\s*$/.exec(text);
  if (!m) throw new UserError(`--constraint '${text}': expected metric<limit or metric>limit`);
  const limit = Number(m[3]);
  if (!Number.isFinite(limit)) throw new UserError(`--constraint '${text}': limit '${m[3]}' is not a number`);
  return { text, key: metricKey(m[1]), op: m[2][0] as '<' | '>', limit };
}

/** Checks every metric name against the keys a run actually produced; names all unknown ones. */
export function checkMetricNames(objective: Objective, known: readonly string[]): void {
  const unknown = [objective.key, ...objective.constraints.map((c) => c.key)].filter((k) => !known.includes(k));
  if (unknown.length) {
    const margins = marginMetricNames.filter((k) => !known.includes(k));
    throw new UserError(`unknown metric ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${known.join(', ')}; aliases: ${Object.keys(metricAliases).join(', ')}${margins.length ? `; stability margins, where the scenario has a linear PID loop: ${margins.join(', ')}` : ''})`);
  }
}

export type Metrics = Record<string, number | string | null>;

/**
 * The scalar the optimisers minimise. Feasible runs score their objective. A violated constraint
 * adds `scale·(1 + 10·relative violation)`, so every infeasible point is worse than any feasible
 * one near the baseline and the search is still pulled towards feasibility. Failed runs and
 * missing values score `scale·1e3`. `scale` is the baseline's objective (1 if that is 0 or missing).
 */
export function cost(objective: Objective, m: Metrics, scale: number): { cost: number; feasible: boolean } {
  const failed = 1e3 * scale;
  const v = m[objective.key];
  if (m.status === 'failed' || typeof v !== 'number' || !Number.isFinite(v)) return { cost: failed, feasible: false };
  let penalty = 0;
  for (const c of objective.constraints) {
    const x = m[c.key];
    // ±Infinity only comes from an unbounded stability margin: it meets `>` and fails `<`.
    if (typeof x !== 'number' || Number.isNaN(x) || (!Number.isFinite(x) && (x > 0) !== (c.op === '>'))) {
      penalty += scale * 11;
      continue;
    }
    if (!Number.isFinite(x)) continue;
    const excess = c.op === '<' ? x - c.limit : c.limit - x;
    if (excess >= 0) penalty += scale * (1 + (10 * excess) / Math.max(Math.abs(c.limit), 1e-12));
  }
  return { cost: v + penalty, feasible: penalty === 0 };
}

export function penaltyScale(baselineObjective: unknown): number {
  return typeof baselineObjective === 'number' && Number.isFinite(baselineObjective) && baselineObjective !== 0 ? Math.abs(baselineObjective) : 1;
}
