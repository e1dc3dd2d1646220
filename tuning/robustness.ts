import { buildRun } from '../firmware-sim/scenario/build.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { Xoshiro128 } from '../firmware-sim/rng.ts';
import { stabilityMargins, type StabilityMargins } from './margins.ts';
import type { Metrics } from './objective.ts';
import { makeEvaluator } from './pool.ts';
import { resolveParams, type ParamSpec } from './param-space.ts';
import { UserError } from '../errors/user-error.ts';

/** A plant (or scenario) parameter varied around its nominal value: ±rel (fraction) or [lo, hi]. */
export interface Tolerance {
  readonly name: string;
  readonly text: string;
  readonly relative?: number;
  readonly lo?: number;
  readonly hi?: number;
}

/** Parses `m_kg=10%,L0_H=5%,gap_sensor_noise_V=0:0.005`. */
export function parseTolerances(text: string): Tolerance[] {
  const out: Tolerance[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const rel = /^([A-Za-z_][\w.]*)=±?([0-9.eE+-]+)%$/.exec(item);
    const abs = /^([A-Za-z_][\w.]*)=([^:]+):([^:]+)$/.exec(item);
    if (rel) {
      const p = Number(rel[2]);
      if (!Number.isFinite(p) || p < 0 || p >= 100) problems.push(`'${item}': a percentage in [0, 100)`);
      else out.push({ name: rel[1], text: item, relative: p / 100 });
    } else if (abs) {
      const lo = Number(abs[2]);
      const hi = Number(abs[3]);
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo <= hi)) problems.push(`'${item}': lo ≤ hi, both numbers`);
      else out.push({ name: abs[1], text: item, lo, hi });
    } else problems.push(`'${item}' (expected name=10% or name=lo:hi)`);
  }
  if (problems.length) throw new UserError(`--tolerance: bad item ${problems.join('; ')}`);
  return out;
}

/** Tolerances used when none are given: ±10 % on a mass and ±5 % on an inductance, if the plant has them. */
export function defaultTolerances(plantParams: Record<string, number>): Tolerance[] {
  const out: Tolerance[] = [];
  if ('m_kg' in plantParams) out.push({ name: 'm_kg', text: 'm_kg=10%', relative: 0.1 });
  if ('L0_H' in plantParams) out.push({ name: 'L0_H', text: 'L0_H=5%', relative: 0.05 });
  return out;
}

export interface RobustnessCase {
  readonly kind: 'nominal' | 'corner' | 'monte-carlo';
  readonly label: string;
  readonly values: Record<string, number>;
  readonly metrics: Metrics;
  readonly stable: boolean;
  readonly margins?: StabilityMargins;
}

export interface MetricDistribution {
  readonly n: number;
  readonly min: number;
  readonly p05: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

export interface RobustnessReport {
  readonly tolerances: readonly Tolerance[];
  readonly samples: number;
  readonly seed: number;
  readonly cases: readonly RobustnessCase[];
  readonly stableFraction: number;
  readonly allStable: boolean;
  readonly distributions: Record<string, MetricDistribution>;
  readonly stabilityRule: string;
}

/**
 * A run counts as stable when it completes, settles into the scenario's band, and (plants that
 * report them) never touches a mechanical stop. The margins add the linear view where a model exists.
 */
export function isStable(m: Metrics): boolean {
  if (m.status !== 'completed' || m.settling_time_s === null || m.settling_time_s === undefined) return false;
  for (const k of ['magnet_contact_samples', 'floor_contact_samples']) if (typeof m[k] === 'number' && (m[k] as number) > 0) return false;
  return true;
}

/**
 * Monte Carlo over the tolerances (uniform in each range, a fresh noise seed per sample) plus the
 * nominal point and every one-at-a-time corner (each parameter at its low and high end), run on
 * the worker pool. The report holds the distribution of every metric over the Monte Carlo cases.
 */
export async function runRobustness(o: {
  scenario: string;
  baseSets: readonly string[];
  tolerances: readonly Tolerance[];
  samples: number;
  seed: number;
  workers: number;
  /** Redis URL: run the cases on `hilbench worker` processes instead of the local pool. */
  queue?: string;
}): Promise<RobustnessReport> {
  const loaded = loadScenario(o.scenario, { set: o.baseSets });
  const built = buildRun(loaded);
  const specs: ParamSpec[] = resolveParams(
    o.tolerances.map((t) => ({ name: t.name, lo: 0, hi: 1, log: false })),
    loaded.scenario,
    built.plantParams,
  );
  const ranges = o.tolerances.map((t, i) => {
    const nominal = specs[i].initial;
    return t.relative !== undefined ? [nominal * (1 - t.relative), nominal * (1 + t.relative)] : [t.lo!, t.hi!];
  });
  const nominal = specs.map((s) => s.initial);
  const seedSpec: ParamSpec = { name: 'seed', path: 'seed', lo: 0, hi: 4294967295, log: false, initial: loaded.scenario.seed };
  const points: { kind: RobustnessCase['kind']; label: string; values: number[] }[] = [{ kind: 'nominal', label: 'nominal', values: [...nominal, loaded.scenario.seed] }];
  specs.forEach((s, i) => {
    for (const [end, v] of [['low', ranges[i][0]], ['high', ranges[i][1]]] as const) {
      const values = [...nominal, loaded.scenario.seed];
      values[i] = v;
      points.push({ kind: 'corner', label: `${s.name} ${end} (${fmt(v)})`, values });
    }
  });
  const rng = new Xoshiro128(o.seed);
  for (let k = 0; k < o.samples; k++) {
    const values = ranges.map(([lo, hi]) => lo + rng.uniform() * (hi - lo));
    points.push({ kind: 'monte-carlo', label: `sample ${k + 1}`, values: [...values, (o.seed + k + 1) >>> 0] });
  }
  const task = { scenario: loaded.file, baseSets: [...o.baseSets], specs: [...specs, seedSpec] };
  const evaluator = makeEvaluator(task, o.workers, o.queue ? { url: o.queue, label: 'robustness' } : undefined);
  let results: Metrics[];
  try {
    results = await evaluator.evaluate(points.map((p) => p.values));
  } finally {
    await evaluator.close();
  }
  const cases: RobustnessCase[] = points.map((p, i) => {
    const values = Object.fromEntries(specs.map((s, j) => [s.name, p.values[j]]));
    let margins: StabilityMargins | undefined;
    if (p.kind !== 'monte-carlo') {
      const sets = [...o.baseSets, ...specs.map((s, j) => `${s.path}=${p.values[j]}`)];
      margins = stabilityMargins(buildRun(loadScenario(o.scenario, { set: sets })));
    }
    return { kind: p.kind, label: p.label, values, metrics: results[i], stable: isStable(results[i]), margins };
  });
  const mc = cases.filter((c) => c.kind === 'monte-carlo');
  const keys = Object.keys(results[0]).filter((k) => typeof results[0][k] === 'number' || results[0][k] === null);
  const distributions: Record<string, MetricDistribution> = {};
  for (const k of keys) {
    const xs = mc.map((c) => c.metrics[k]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
    if (xs.length) distributions[k] = distribution(xs);
  }
  const judged = cases.filter((c) => c.kind !== 'nominal');
  return {
    tolerances: o.tolerances,
    samples: o.samples,
    seed: o.seed,
    cases,
    stableFraction: judged.length ? judged.filter((c) => c.stable).length / judged.length : 1,
    allStable: cases.every((c) => c.stable && (!c.margins || c.margins.stable)),
    distributions,
    stabilityRule: 'completed, settled within the scenario band, no stop contact; corners also need a stable linearised loop',
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

function distribution(xs: readonly number[]): MetricDistribution {
  return {
    n: xs.length,
    min: xs[0],
    p05: quantile(xs, 0.05),
    median: quantile(xs, 0.5),
    p95: quantile(xs, 0.95),
    max: xs[xs.length - 1],
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  };
}

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString();
}
