import { buildRun } from '../firmware-sim/scenario/build.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { makeMethod } from './methods/index.ts';
import { checkMetricNames, cost, metricKey, parseConstraint, penaltyScale, type Metrics, type Objective } from './objective.ts';
import { checkMarginsAvailable } from './margin-metrics.ts';
import { makeEvaluator } from './pool.ts';
import { defaultPidRanges, parseParamList, resolveParams, toReal, toUnit, type ParamSpec } from './param-space.ts';
import { ResultsFile, type EvalRecord } from './results-file.ts';
import { parseTolerances } from './robustness.ts';
import type { Scenario } from '../firmware-sim/scenario/schema.ts';
import { Xoshiro128 } from '../firmware-sim/rng.ts';
import { evaluatePoint, type TuningTask } from './task.ts';
import { UserError } from '../errors/user-error.ts';

export interface TuneOptions {
  /** Built-in scenario name or file. */
  readonly scenario: string;
  readonly baseSets?: readonly string[];
  /** `kp=10:200,ki=…`; default: a decade either side of each PID gain (log scale). */
  readonly params?: string;
  readonly method: string;
  readonly objective: string;
  readonly constraints?: readonly string[];
  readonly budget: number;
  /** 0 = evaluate in this thread. */
  readonly workers: number;
  /** Evaluate on `hilbench worker` processes through this Redis URL instead of the local pool. */
  readonly queue?: string;
  readonly seed: number;
  readonly sigma?: number;
  readonly popsize?: number;
  /** Robust tuning: tolerances (`m_kg=10%,…`) the objective is averaged over, and how many variants. */
  readonly tuneOver?: string;
  readonly variants?: number;
  /** evaluations.csv path; resumed from if it exists and `fresh` is not set. */
  readonly resultsFile?: string;
  readonly fresh?: boolean;
  /** `liveWorkers`: workers connected to the run's queue (with `queue` only). */
  readonly onProgress?: (p: { done: number; budget: number; best: EvalRecord | undefined; resumed: number; liveWorkers?: number }) => void;
  /** Polled between batches: a reason (Ctrl-C …) ends the search there, with the evaluations done. */
  readonly stopReason?: () => string | undefined;
}

export interface TuneResult {
  readonly task: TuningTask;
  readonly specs: readonly ParamSpec[];
  readonly objective: Objective;
  readonly baseline: { readonly values: number[]; readonly metrics: Metrics; readonly cost: number; readonly feasible: boolean };
  readonly records: readonly EvalRecord[];
  readonly best: EvalRecord;
  /** Evaluations taken from the results file instead of simulated. */
  readonly resumed: number;
  /** Wall time of the search loop (s) and evaluations simulated in it. */
  readonly wall_s: number;
  readonly simulated: number;
  readonly metricKeys: readonly string[];
  /** Why the search ended before its budget (Ctrl-C …); undefined when it ran to the end. */
  readonly stopped?: string;
}

/** Validates the set-up (ranges, metric names) and evaluates the untuned scenario. */
export function prepareTuning(o: TuneOptions): { task: TuningTask; specs: ParamSpec[]; objective: Objective; baseline: TuneResult['baseline']; metricKeys: string[] } {
  if (!Number.isInteger(o.budget) || o.budget < 1) throw new UserError(`--budget: expected a whole number ≥ 1 (got ${o.budget})`);
  const loaded = loadScenario(o.scenario, { set: o.baseSets });
  const built = buildRun(loaded);
  const items = o.params ? parseParamList(o.params) : defaultPidRanges(loaded.scenario.controller as Record<string, unknown>);
  if (items.length === 0) throw new UserError('--params: the controller has no non-zero kp/ki/kd to tune by default; name the parameters');
  const specs = resolveParams(items, loaded.scenario, built.plantParams);
  let objective: Objective = { key: metricKey(o.objective), constraints: (o.constraints ?? []).map(parseConstraint) };
  const variants = o.tuneOver ? tuningVariants(o.tuneOver, o.variants ?? 8, o.seed, loaded.scenario, built.plantParams) : undefined;
  const margins = checkMarginsAvailable(built, [{ text: `--objective '${o.objective}'`, key: objective.key }, ...objective.constraints.map((c) => ({ text: `--constraint '${c.text}'`, key: c.key }))]);
  const task: TuningTask = { scenario: loaded.file, baseSets: [...(o.baseSets ?? [])], specs, ...(variants ? { variants } : {}), ...(margins ? { margins } : {}) };
  const values = specs.map((p) => p.initial);
  const metrics = evaluatePoint(task, values);
  if (metrics.status === 'failed' && metrics.samples === undefined) throw new UserError(`the untuned scenario does not run: ${metrics.error}`);
  const metricKeys = Object.keys(metrics).filter((k) => k !== 'status' && k !== 'error' && (typeof metrics[k] === 'number' || metrics[k] === null));
  checkMetricNames(objective, metricKeys);
  // Over variants, the objective is the mean and each constraint must hold in the worst variant.
  if (variants) objective = { ...objective, constraints: objective.constraints.map((c) => ({ ...c, key: `${c.key}_${c.op === '<' ? 'max' : 'min'}` })) };
  const scale = penaltyScale(metrics[objective.key]);
  const c = cost(objective, metrics, scale);
  return { task, specs, objective, baseline: { values, metrics, cost: c.cost, feasible: c.feasible }, metricKeys };
}

/**
 * The search loop: ask a batch, take what the results file already holds, evaluate the rest on
 * the pool, append, tell. The best point is the lowest cost, ties to the earliest evaluation.
 */
export async function runTuning(o: TuneOptions): Promise<TuneResult> {
  const { task, specs, objective, baseline, metricKeys } = prepareTuning(o);
  const scale = penaltyScale(baseline.metrics[objective.key]);
  const x0 = specs.map((p) => toUnit(p, p.initial));
  const method = makeMethod(o.method, x0, o.budget, o.seed, { sigma: o.sigma, popsize: o.popsize });

  const file = o.resultsFile ? new ResultsFile(o.resultsFile, specs.map((p) => p.name), metricKeys) : undefined;
  let cached: EvalRecord[] = [];
  if (file) {
    const existing = o.fresh ? undefined : file.readExisting();
    if (existing) cached = existing;
    else file.create();
  }

  const records: EvalRecord[] = [];
  let best: EvalRecord | undefined;
  let resumed = 0;
  let simulated = 0;
  let progress: Parameters<NonNullable<TuneOptions['onProgress']>>[0] = { done: 0, budget: o.budget, best: undefined, resumed: 0 };
  const report = (p: Partial<typeof progress>) => {
    progress = { ...progress, ...p };
    o.onProgress?.(progress);
  };
  const evaluator = makeEvaluator(task, o.workers, o.queue ? { url: o.queue, label: 'tune', onWorkers: (n) => report({ liveWorkers: n }) } : undefined);
  const t0 = performance.now();
  let stopped: string | undefined;
  try {
    for (let batchNo = 0; records.length < o.budget; batchNo++) {
      const asked = method.ask();
      if (!asked || asked.length === 0) break;
      const points = asked.slice(0, o.budget - records.length);
      const values = points.map((z) => specs.map((p, i) => toReal(p, z[i])));
      const start = records.length;
      const fromFile: (EvalRecord | undefined)[] = values.map((v, k) => {
        const r = cached[start + k];
        if (!r) return undefined;
        if (r.values.length !== v.length || r.values.some((x, i) => x !== v[i])) {
          throw new UserError(`${file!.file}:${start + k + 2}: evaluation ${start + k} does not match this search (different method, seed or ranges); choose another --out or pass --fresh`);
        }
        return r;
      });
      const missing = values.filter((_, k) => !fromFile[k]);
      const fresh = missing.length ? await evaluator.evaluate(missing) : [];
      simulated += missing.length;
      let f = 0;
      const batch: EvalRecord[] = values.map((v, k) => {
        const old = fromFile[k];
        if (old) {
          resumed++;
          const c = cost(objective, old.metrics, scale);
          return { ...old, cost: c.cost, feasible: c.feasible };
        }
        const metrics = fresh[f++];
        const c = cost(objective, metrics, scale);
        return { index: start + k, batch: batchNo, values: v, cost: c.cost, feasible: c.feasible, metrics };
      });
      if (file) file.append(batch.filter((_, k) => !fromFile[k]));
      for (const r of batch) {
        records.push(r);
        if (!best || r.cost < best.cost) best = r;
      }
      report({ done: records.length, best, resumed });
      if (points.length < asked.length) break;
      // Evaluations in this thread are synchronous: give a pending signal its turn between batches.
      if (o.stopReason) await new Promise((resolve) => setImmediate(resolve));
      stopped = o.stopReason?.();
      if (stopped !== undefined) break;
      method.tell(points, batch.map((r) => r.cost));
    }
  } finally {
    await evaluator.close();
  }
  if (!best) throw new UserError(`--method ${o.method}: proposed no points`);
  return {
    task,
    specs,
    objective,
    baseline,
    records,
    best,
    resumed,
    wall_s: (performance.now() - t0) / 1000,
    simulated,
    metricKeys,
    stopped,
  };
}

/**
 * Plant variants for robust tuning: `count` points drawn uniformly within the tolerances (seeded,
 * fixed for the whole search: common random numbers), each as `--set` overrides.
 */
export function tuningVariants(text: string, count: number, seed: number, scenario: Scenario, plantParams: Record<string, number>): string[][] {
  const tolerances = parseTolerances(text);
  if (tolerances.length === 0) throw new UserError('--tune-over: no tolerance given');
  if (!Number.isInteger(count) || count < 1) throw new UserError(`--variants: expected a whole number ≥ 1 (got ${count})`);
  let specs: ParamSpec[];
  try {
    specs = resolveParams(tolerances.map((t) => ({ name: t.name, lo: 0, hi: 1, log: false })), scenario, plantParams);
  } catch (e) {
    throw new UserError((e as Error).message.replace(/^--params/, '--tune-over'));
  }
  const rng = new Xoshiro128((seed ^ 0x5bd1e995) >>> 0);
  return Array.from({ length: count }, () =>
    specs.map((s, i) => {
      const t = tolerances[i];
      const [lo, hi] = t.relative !== undefined ? [s.initial * (1 - t.relative), s.initial * (1 + t.relative)] : [t.lo!, t.hi!];
      return `${s.path}=${String(lo + rng.uniform() * (hi - lo))}`;
    }),
  );
}
