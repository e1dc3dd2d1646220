import { mkdirSync } from 'node:fs';
import { writeFileNamed } from '../errors/fs-error.ts';
import { join } from 'node:path';
import { applySet, loadScenario, readJsonFile, validateScenario } from '../firmware-sim/scenario/load.ts';
import { evaluateScenario } from './evaluate.ts';
import { stabilityMargins } from './margins.ts';
import { marginsLines, marginsWarning } from './margins-summary.ts';
import type { Metrics } from './objective.ts';
import { resolveParams, setsFor } from './param-space.ts';
import { runRelayExperiment, type RelayExperimentOptions } from './relay/experiment.ts';
import { relayReport, searchReport, type LoopUnits } from './report.ts';
import { prettyUnit } from '../report/units.ts';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import type { EvalRecord } from './results-file.ts';
import { defaultTolerances, parseTolerances, runRobustness, type RobustnessReport, type Tolerance } from './robustness.ts';
import { buildRun } from '../firmware-sim/scenario/build.ts';
import { runTuning, type TuneOptions } from './run-tuning.ts';
import { UserError } from '../errors/user-error.ts';
import { redactUrl } from './queue/connection.ts';

export interface TuneCommandOptions extends Omit<TuneOptions, 'resultsFile' | 'onProgress'> {
  readonly outDir: string;
  /** `m_kg=10%,…`; undefined = the plant's defaults; '' = no robustness check. */
  readonly tolerance?: string;
  readonly samples: number;
  /** Relay method only. */
  readonly relay?: Omit<RelayExperimentOptions, 'scenario' | 'baseSets'>;
  readonly rule?: string;
  readonly onProgress?: TuneOptions['onProgress'];
  /** Polled between evaluation batches and before the robustness check (Ctrl-C …). */
  readonly stopReason?: () => string | undefined;
}

export interface TuneSummary {
  readonly outDir: string;
  readonly files: readonly string[];
  readonly lines: readonly string[];
  readonly summary: Record<string, unknown>;
  /** Set when the tuning ended early: every file is written, tune.json says status failed and why. */
  readonly stopped?: string;
}

/** Writes the scenario with the tuned values applied (and the base overrides), validated. */
function writeTunedScenario(file: string, sets: readonly string[], out: string, note: string): void {
  const raw = readJsonFile(file) as Record<string, unknown>;
  for (const s of sets) applySet(raw, s);
  raw.description = `${raw.description ? `${String(raw.description)} — ` : ''}${note}`;
  validateScenario(raw, out);
  writeFileNamed(out, JSON.stringify(raw, null, 2) + '\n');
}

/** Tolerances of the robustness check, validated against the scenario before any search runs. */
function tolerancesFor(o: TuneCommandOptions): Tolerance[] {
  if (o.samples <= 0 && o.tolerance === '') return [];
  const loaded = loadScenario(o.scenario, { set: o.baseSets });
  const plantParams = buildRun(loaded).plantParams;
  const tolerances = o.tolerance === undefined ? defaultTolerances(plantParams) : parseTolerances(o.tolerance);
  try {
    resolveParams(tolerances.map((t) => ({ name: t.name, lo: 0, hi: 1, log: false })), loaded.scenario, plantParams);
  } catch (e) {
    throw new UserError((e as Error).message.replace(/^--params/, '--tolerance'));
  }
  return tolerances;
}

async function robustnessFor(o: TuneCommandOptions, tolerances: readonly Tolerance[], scenarioFile: string, sets: readonly string[]): Promise<RobustnessReport | undefined> {
  if (tolerances.length === 0 || o.samples <= 0 || o.stopReason?.() !== undefined) return undefined;
  return runRobustness({ scenario: scenarioFile, baseSets: sets, tolerances, samples: o.samples, seed: o.seed, workers: o.workers, queue: o.queue });
}

function pct(a: unknown, b: unknown): number | null {
  return typeof a === 'number' && typeof b === 'number' && a !== 0 ? ((b - a) / Math.abs(a)) * 100 : null;
}

function robustnessSummary(r: RobustnessReport | undefined): Record<string, unknown> | null {
  if (!r) return null;
  return {
    tolerances: r.tolerances.map((t) => t.text),
    samples: r.samples,
    stableFraction: r.stableFraction,
    allStable: r.allStable,
    distributions: r.distributions,
    cases: r.cases.filter((c) => c.kind !== 'monte-carlo').map((c) => ({ label: c.label, values: c.values, stable: c.stable, margins: c.margins ?? null })),
  };
}

/** status/reason of tune.json: a tuning stopped early (Ctrl-C) is 'failed' with its reason, its files still written. */
function statusOf(o: TuneCommandOptions): { status: 'completed' | 'failed'; reason?: string } {
  const reason = o.stopReason?.();
  return reason === undefined ? { status: 'completed' } : { status: 'failed', reason };
}

/** Units of the judged output and of the command, as the plant declares them, for the report's tables. */
function loopUnits(built: BuiltRun, output: string, command: string | undefined): LoopUnits {
  const unit = (name: string | undefined) => {
    const s = [...built.plant.states, ...built.plant.outputs, ...built.plant.inputs].find((x) => x.name === name);
    return s ? prettyUnit(s.unit) : '';
  };
  return { output: unit(output), command: unit(command) };
}

/** The summary's WARNING lines as the terminal prints them (trimmed), for report.html. */
function warningLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.trim()).filter((l) => l.startsWith('WARNING'));
}

/** `hilbench tune`: search or relay, then tuned scenario, evaluations.csv, robustness and report.html. */
export async function tune(o: TuneCommandOptions): Promise<TuneSummary> {
  mkdirSync(o.outDir, { recursive: true });
  return o.method === 'relay' ? tuneRelay(o) : tuneSearch(o);
}

async function tuneSearch(o: TuneCommandOptions): Promise<TuneSummary> {
  const tolerances = tolerancesFor(o);
  const evaluationsFile = join(o.outDir, 'evaluations.csv');
  const r = await runTuning({ ...o, resultsFile: evaluationsFile });
  const file = r.task.scenario;
  const bestSets = [...r.task.baseSets, ...setsFor(r.specs, r.best.values)];
  const defaultRun = evaluateScenario(file, [...r.task.baseSets], { keepRun: true });
  const tunedRun = evaluateScenario(file, bestSets, { keepRun: true });
  const tunedFile = join(o.outDir, 'tuned.json');
  writeTunedScenario(file, bestSets, tunedFile, `tuned by hilbench tune --method ${o.method} (${r.objective.key}, budget ${o.budget}, seed ${o.seed})`);
  const robustness = await robustnessFor(o, tolerances, file, bestSets);
  const margins = { default: stabilityMargins(defaultRun.built), tuned: stabilityMargins(tunedRun.built) };
  const evalsPerS = r.simulated / r.wall_s;
  const timing = `${r.records.length} evaluations (${r.resumed} from the results file), ${r.simulated} simulated in ${r.wall_s.toFixed(2)} s wall on ${o.queue ? `the queue ${redactUrl(o.queue)}` : o.workers ? `${o.workers} worker thread(s)` : 'the main thread'}: ${evalsPerS.toFixed(1)} evaluations/s.`;
  const m = defaultRun.built.scenario.metrics;
  const marginSummary = marginsLines(margins, defaultRun.built.scenario.Ts);
  const stoppedEarly = statusOf(o).reason;
  const outputColumn = m?.output ?? defaultRun.built.plant.states[0].name;
  const commandColumn = defaultRun.built.plant.inputs[defaultRun.built.actuators[0].inputIndex]?.name;
  const html = await searchReport({
    scenario: defaultRun.built.scenario.name,
    method: o.method,
    objectiveKey: r.objective.key,
    constraints: r.objective.constraints.map((c) => c.text),
    budget: o.budget,
    seed: o.seed,
    params: r.specs.map((p, i) => ({ ...p, tuned: r.best.values[i] })),
    baseline: r.baseline.metrics,
    tuned: r.best.metrics,
    records: r.records,
    failedCost: 1e3 * (typeof r.baseline.metrics[r.objective.key] === 'number' ? Math.abs(r.baseline.metrics[r.objective.key] as number) || 1 : 1),
    runs: { default: defaultRun.store!, tuned: tunedRun.store! },
    outputColumn,
    referenceColumn: m?.reference ?? defaultRun.built.controller.references[0],
    commandColumn,
    robustness,
    margins,
    timing,
    units: loopUnits(defaultRun.built, outputColumn, commandColumn),
    warnings: [
      ...(r.best.feasible ? [] : [`best #${r.best.index} VIOLATES a constraint (${r.objective.constraints.map((c) => c.text).join(', ')})`]),
      ...warningLines(marginSummary),
      ...(stoppedEarly ? [`${stoppedEarly} after ${r.records.length} of ${o.budget} evaluations: tuned.json holds the best point so far`] : []),
    ],
  });
  writeFileNamed(join(o.outDir, 'report.html'), html);
  const improvement = pct(r.baseline.metrics[r.objective.key], r.best.metrics[r.objective.key]);
  const ended = statusOf(o);
  const summary = {
    ...ended,
    scenario: defaultRun.built.scenario.name,
    file,
    method: o.method,
    objective: r.objective.key,
    constraints: r.objective.constraints.map((c) => c.text),
    budget: o.budget,
    seed: o.seed,
    workers: o.workers,
    queue: o.queue ? redactUrl(o.queue) : null,
    params: r.specs.map((p, i) => ({ name: p.name, path: p.path, lo: p.lo, hi: p.hi, log: p.log, default: p.initial, tuned: r.best.values[i] })),
    evaluations: r.records.length,
    resumed: r.resumed,
    best: { index: r.best.index, cost: r.best.cost, feasible: r.best.feasible },
    baseline: r.baseline.metrics,
    tuned: r.best.metrics,
    objectiveChange_pct: improvement,
    margins,
    marginsWarning: (margins.tuned && marginsWarning(margins.tuned, defaultRun.built.scenario.Ts)) ?? null,
    robustness: robustnessSummary(robustness),
    timing: { wall_s: r.wall_s, simulated: r.simulated, evaluationsPerSecond: evalsPerS },
  };
  writeFileNamed(join(o.outDir, 'tune.json'), JSON.stringify(summary, null, 2) + '\n');
  if (robustness) writeFileNamed(join(o.outDir, 'robustness.json'), JSON.stringify(robustness, null, 2) + '\n');
  const lines = [
    `${summary.scenario}: ${o.method}, ${r.records.length} evaluations (${r.resumed} resumed), best #${r.best.index}${r.best.feasible ? '' : ' (VIOLATES a constraint)'}`,
    `  ${r.specs.map((p, i) => `${p.name} ${fmtNum(p.initial)} → ${fmtNum(r.best.values[i])}`).join('   ')}`,
    `  ${r.objective.key} ${fmtNum(r.baseline.metrics[r.objective.key])} → ${fmtNum(r.best.metrics[r.objective.key])} (${improvement === null ? 'n/a' : `${improvement.toFixed(1)} %`})${r.objective.constraints.map((c) => `   ${c.key} ${fmtNum(r.baseline.metrics[c.key])} → ${fmtNum(r.best.metrics[c.key])}`).join('')}`,
    ...marginSummary,
    robustness ? `  robustness (${robustness.tolerances.map((t) => t.text).join(', ')}; ${robustness.samples} samples + corners): ${(robustness.stableFraction * 100).toFixed(1)} % stable, all stable: ${robustness.allStable ? 'yes' : 'NO'}` : '  robustness: not run',
    `  ${timing}`,
  ];
  if (ended.reason) lines.push(`  ${ended.reason} after ${r.records.length} of ${o.budget} evaluations: tuned.json holds the best point so far; tune.json status failed${robustness ? '' : ', robustness not checked'}`);
  const files = ['tuned.json', 'evaluations.csv', 'tune.json', ...(robustness ? ['robustness.json'] : []), 'report.html'];
  return { outDir: o.outDir, files, lines, summary, stopped: ended.reason };
}

async function tuneRelay(o: TuneCommandOptions): Promise<TuneSummary> {
  const tolerances = tolerancesFor(o);
  const loaded = loadScenario(o.scenario, { set: o.baseSets });
  const file = loaded.file;
  const baseSets = [...(o.baseSets ?? [])];
  const e = runRelayExperiment({ scenario: file, baseSets, ...o.relay });
  const ruleId = o.rule ?? (e.rules.some((x) => x.id === 'amigo-pid') ? 'amigo-pid' : 'tl-pid');
  const rule = e.rules.find((x) => x.id === ruleId);
  if (!rule) throw new UserError(`--rule '${ruleId}': not available for this experiment (available: ${e.rules.map((x) => x.id).join(', ')})`);
  if (loaded.scenario.controller.type !== 'pid') throw new UserError(`--method relay: the scenario's controller is '${loaded.scenario.controller.type}', the rules give PID gains`);
  const tunedSets = [...baseSets, `controller.kp=${rule.gains.kp}`, `controller.ki=${rule.gains.ki}`, `controller.kd=${rule.gains.kd}`];
  const defaultRun = evaluateScenario(file, baseSets, { keepRun: true });
  const tunedRun = evaluateScenario(file, tunedSets, { keepRun: true });
  const tunedFile = join(o.outDir, 'tuned.json');
  writeTunedScenario(file, tunedSets, tunedFile, `PID from a relay experiment (${rule.title}: Ku = ${fmtNum(e.estimate.Ku)}, Pu = ${fmtNum(e.estimate.Pu_s)} s)`);
  const robustness = await robustnessFor(o, tolerances, file, tunedSets);
  const margins = { default: stabilityMargins(defaultRun.built), tuned: stabilityMargins(tunedRun.built) };
  const marginSummary = marginsLines(margins, defaultRun.built.scenario.Ts, { default: 'scenario gains', tuned: rule.id });
  const m = defaultRun.built.scenario.metrics;
  const outputColumn = m?.output ?? defaultRun.built.plant.states[0].name;
  const commandColumn = defaultRun.built.plant.inputs[defaultRun.built.actuators[0].inputIndex]?.name;
  writeFileNamed(
    join(o.outDir, 'report.html'),
    await relayReport({
      scenario: defaultRun.built.scenario.name,
      experiment: e,
      rule: rule.id,
      baseline: defaultRun.metrics,
      tuned: tunedRun.metrics,
      runs: { default: defaultRun.store!, tuned: tunedRun.store! },
      outputColumn,
      referenceColumn: m?.reference ?? defaultRun.built.controller.references[0],
      robustness,
      margins,
      units: loopUnits(defaultRun.built, outputColumn, commandColumn),
      warnings: warningLines(marginSummary),
    }),
  );
  const relayCsv = ['t_s,' + e.commandColumn + ',' + e.measurementColumn];
  const t = e.store.t;
  const u = e.store.column(e.commandColumn)!;
  const y = e.store.column(e.measurementColumn)!;
  for (let k = 0; k < t.length; k++) relayCsv.push(`${t[k]},${u[k]},${y[k]}`);
  writeFileNamed(join(o.outDir, 'relay.csv'), relayCsv.join('\n') + '\n');
  const ended = statusOf(o);
  const summary = {
    ...ended,
    scenario: defaultRun.built.scenario.name,
    file,
    method: 'relay',
    relay: e.relay,
    estimate: e.estimate,
    fopdt: e.fopdt ?? null,
    rules: e.rules,
    applied: rule.id,
    baseline: defaultRun.metrics as Metrics,
    tuned: tunedRun.metrics as Metrics,
    margins,
    marginsWarning: (margins.tuned && marginsWarning(margins.tuned, defaultRun.built.scenario.Ts)) ?? null,
    robustness: robustnessSummary(robustness),
  };
  writeFileNamed(join(o.outDir, 'tune.json'), JSON.stringify(summary, null, 2) + '\n');
  if (robustness) writeFileNamed(join(o.outDir, 'robustness.json'), JSON.stringify(robustness, null, 2) + '\n');
  const lines = [
    `${summary.scenario}: relay experiment, Ku = ${fmtNum(e.estimate.Ku)} (describing function ${fmtNum(e.estimate.Ku_df)}), Pu = ${fmtNum(e.estimate.Pu_s)} s${Number.isFinite(e.estimate.K) ? `, K = ${fmtNum(e.estimate.K)}` : ''}${e.fopdt ? `, FOPDT τ = ${fmtNum(e.fopdt.tau_s)} s θ = ${fmtNum(e.fopdt.theta_s)} s` : ''}`,
    ...e.rules.map((x) => `  ${x.id.padEnd(10)} kp ${fmtNum(x.gains.kp)}  ki ${fmtNum(x.gains.ki)}  kd ${fmtNum(x.gains.kd)}${x.id === rule.id ? '   (applied)' : ''}`),
    `  itae ${fmtNum(defaultRun.metrics.itae)} → ${fmtNum(tunedRun.metrics.itae)}   overshoot ${fmtNum(defaultRun.metrics.overshoot_pct)} → ${fmtNum(tunedRun.metrics.overshoot_pct)} %`,
    ...marginSummary,
    robustness ? `  robustness: ${(robustness.stableFraction * 100).toFixed(1)} % stable, all stable: ${robustness.allStable ? 'yes' : 'NO'}` : '  robustness: not run',
  ];
  if (ended.reason) lines.push(`  ${ended.reason}: tune.json status failed${robustness ? '' : ', robustness not checked'}`);
  const files = ['tuned.json', 'relay.csv', 'tune.json', ...(robustness ? ['robustness.json'] : []), 'report.html'];
  return { outDir: o.outDir, files, lines, summary: summary as unknown as Record<string, unknown>, stopped: ended.reason };
}

function fmtNum(v: unknown): string {
  if (typeof v !== 'number') return v === null || v === undefined ? 'n/a' : String(v);
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

export type { EvalRecord };
