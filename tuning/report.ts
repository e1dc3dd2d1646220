import { formatNumber } from '../report/format.ts';
import { STANDARD_METRICS } from '../report/metric-docs.ts';
import { escapeHtml, reportPage } from '../report/page.ts';
import { groupSpec } from '../report/plots.ts';
import { reportPlots } from '../report/time-panels.ts';
import { unitFromSuffix } from '../report/units.ts';
import type { RecordedRun } from '../plants/plant.ts';
import type { StabilityMargins } from './margins.ts';
import type { Metrics } from './objective.ts';
import type { RelayExperiment } from './relay/experiment.ts';
import type { EvalRecord } from './results-file.ts';
import type { RobustnessReport } from './robustness.ts';

/** Two runs on the same time grid as one RecordedRun, columns prefixed `default:` and `tuned:`. */
export function overlayRuns(runs: Record<string, RecordedRun>, columns: readonly string[]): RecordedRun {
  const first = Object.values(runs)[0];
  const n = Math.min(...Object.values(runs).map((r) => r.t.length));
  const map = new Map<string, Float64Array>();
  for (const [label, run] of Object.entries(runs)) {
    for (const c of columns) {
      const col = run.column(c);
      if (col) map.set(`${label}: ${c}`, col.subarray(0, n));
    }
  }
  return { t: first.t.subarray(0, n), column: (name) => map.get(name) };
}

function historySpec(records: readonly EvalRecord[], failedCost: number): object {
  let best = Infinity;
  const values = records.map((r) => {
    best = Math.min(best, r.cost);
    return { evaluation: r.index, cost: r.cost >= failedCost ? null : r.cost, best, feasible: r.feasible ? 'feasible' : 'constraint violated' };
  });
  return {
    title: 'Search history (cost of every evaluation, best so far)',
    width: 640,
    height: 200,
    data: { values },
    layer: [
      { mark: { type: 'point', size: 14, filled: true }, encoding: { x: { field: 'evaluation', type: 'quantitative' }, y: { field: 'cost', type: 'quantitative', scale: { type: 'log' }, title: 'cost' }, color: { field: 'feasible', type: 'nominal', title: null } } },
      { mark: { type: 'line', color: 'black', interpolate: 'step-after' }, encoding: { x: { field: 'evaluation', type: 'quantitative' }, y: { field: 'best', type: 'quantitative' } } },
    ],
  };
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (v === null || v === undefined) return '—';
  return escapeHtml(String(v));
}

function table(head: readonly string[], rows: readonly (readonly unknown[])[], id?: string): string {
  return `<table${id ? ` id="${id}"` : ''}><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${fmt(c)}</td>`).join('')}</tr>`).join('\n')}</table>`;
}

function marginsTable(rows: readonly { label: string; m?: StabilityMargins }[]): string {
  const present = rows.filter((r) => r.m);
  if (present.length === 0) return '<p>No linearisation exists for this plant/controller: margins not computed.</p>';
  return (
    `<p>Linear model: ${escapeHtml(present[0].m!.source)}; discrete loop at the control period (ZOH, PID as implemented, quantisation and limits ignored).</p>` +
    table(
      ['case', 'stable', 'spectral radius', 'gain margin low (dB)', 'gain margin high (dB)', 'phase margin (°)', 'crossover (rad/s)', 'delay margin (ms)'],
      present.map(({ label, m }) => [label, m!.stable ? 'yes' : 'NO', m!.spectralRadius, m!.gainMarginLower_dB, m!.gainMarginUpper_dB, m!.phaseMargin_deg, m!.crossover_radps, m!.delayMargin_s * 1000]),
    )
  );
}

function robustnessSection(r: RobustnessReport | undefined, keys: readonly string[], units: LoopUnits): string {
  if (!r) return '<h2>Robustness</h2><p>Not run.</p>';
  const shown = keys.filter((k) => r.distributions[k]);
  return `<h2>Robustness of the tuned controller</h2>
<p>Tolerances: ${escapeHtml(r.tolerances.map((t) => t.text).join(', ') || 'none')}; ${r.samples} Monte Carlo samples (seed ${r.seed}, fresh noise seed each) plus the one-at-a-time corners.
Stable: <b>${(r.stableFraction * 100).toFixed(1)} %</b> of the perturbed runs; every run and every corner's linear loop stable: ${r.allStable ? '<b class="ok">yes</b>' : '<b class="bad">NO</b>'}
(rule: ${escapeHtml(r.stabilityRule)}).</p>
<h3>Metric distributions over the Monte Carlo samples</h3>
${table(['metric', 'unit', 'n', 'min', '5 %', 'median', '95 %', 'max', 'mean'], shown.map((k) => { const d = r.distributions[k]; return [k, metricUnit(k, units), d.n, d.min, d.p05, d.median, d.p95, d.max, d.mean]; }))}
<h3>Nominal and corners</h3>
${table(['case', 'stable (simulation)', ...shown.map((k) => withUnit(k, metricUnit(k, units)))], r.cases.filter((c) => c.kind !== 'monte-carlo').map((c) => [c.label, c.stable ? 'yes' : 'NO', ...shown.map((k) => c.metrics[k])]))}
<h3>Stability margins at the nominal point and the corners</h3>
${marginsTable(r.cases.filter((c) => c.kind !== 'monte-carlo').map((c) => ({ label: c.label, m: c.margins })))}`;
}

/** A column head with its unit: `iae (m·s)`. */
function withUnit(head: string, unit: string): string {
  return unit ? `${head} (${unit})` : head;
}

/** Units of the judged output y and the command u, for the tables. */
export interface LoopUnits {
  readonly output: string;
  readonly command: string;
}

/** The unit of a metric key: a standard metric's in y and u, else its name's suffix ('' for counts and ratios). */
function metricUnit(key: string, units: LoopUnits): string {
  return STANDARD_METRICS[key]?.unit(units.output, units.command) ?? unitFromSuffix(key) ?? '';
}

/** The unit of a tuned parameter: PID gains from y and u (kp in u/y), else its name's suffix. */
function paramUnit(name: string, units: LoopUnits): string {
  const y = units.output.includes('/') ? `(${units.output})` : units.output;
  const u = units.command || '1';
  if (!units.output) return unitFromSuffix(name) ?? '';
  if (name === 'kp') return `${u}/${y}`;
  if (name === 'ki') return `${u}/(${units.output}·s)`;
  if (name === 'kd') return `${u}·s/${y}`;
  return unitFromSuffix(name) ?? '';
}

export interface SearchReportInput {
  readonly scenario: string;
  readonly method: string;
  readonly objectiveKey: string;
  readonly constraints: readonly string[];
  readonly budget: number;
  readonly seed: number;
  readonly params: readonly { name: string; path: string; lo: number; hi: number; log: boolean; initial: number; tuned: number }[];
  readonly baseline: Metrics;
  readonly tuned: Metrics;
  readonly records: readonly EvalRecord[];
  readonly failedCost: number;
  readonly runs: { default: RecordedRun; tuned: RecordedRun };
  readonly outputColumn: string;
  readonly referenceColumn: string;
  readonly commandColumn?: string;
  readonly robustness?: RobustnessReport;
  readonly margins: { default?: StabilityMargins; tuned?: StabilityMargins };
  readonly timing: string;
  readonly units: LoopUnits;
  /** The WARNING lines (and other warnings) the terminal printed, as printed. */
  readonly warnings: readonly string[];
}

/** report.html of a search: default vs tuned responses overlaid, the search history, robustness. */
export async function searchReport(r: SearchReportInput): Promise<string> {
  const overlay = overlayRuns({ default: r.runs.default, tuned: r.runs.tuned }, [r.outputColumn, r.referenceColumn, ...(r.commandColumn ? [r.commandColumn] : [])]);
  const panels = [
    groupSpec(overlay, { title: `Response: ${r.outputColumn} (default vs tuned) and reference`, signals: [`default: ${r.outputColumn}`, `tuned: ${r.outputColumn}`, `default: ${r.referenceColumn}`] }),
    ...(r.commandColumn ? [groupSpec(overlay, { title: `Command: ${r.commandColumn}`, signals: [`default: ${r.commandColumn}`, `tuned: ${r.commandColumn}`] })] : []),
    historySpec(r.records, r.failedCost),
  ];
  const keys = [...new Set([r.objectiveKey, ...r.constraints.map((c) => c.replace(/[<>=].*$/, '')), 'iae', 'ise', 'itae', 'overshoot_pct', 'rise_time_s', 'settling_time_s', 'steady_state_error', 'control_effort', 'saturation_time_s'])].filter((k) => k in r.baseline);
  const ratio = (k: string): string => {
    const a = r.baseline[k];
    const b = r.tuned[k];
    return typeof a === 'number' && typeof b === 'number' && a !== 0 ? `${(((b - a) / Math.abs(a)) * 100).toFixed(1)} %` : '—';
  };
  const obj = r.objectiveKey;
  const objUnit = metricUnit(obj, r.units);
  const figure = (label: string, value: string) => `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
  const num = (v: unknown, unit: string) => (typeof v === 'number' ? `${formatNumber(v)}${unit ? ` ${unit}` : ''}` : '—');
  const summary = `<h2>Summary</h2>
<dl class="summary" id="summary">
${figure(`${obj}, default`, num(r.baseline[obj], objUnit))}
${figure(`${obj}, tuned`, num(r.tuned[obj], objUnit))}
${figure('change', ratio(obj))}
${r.params.map((p) => figure(`${p.name}: default → tuned`, `${fmt(p.initial)} → ${fmt(p.tuned)} ${paramUnit(p.name, r.units)}`.trim())).join('\n')}
${r.robustness ? figure('robustness: stable runs', `${(r.robustness.stableFraction * 100).toFixed(1)} %`) : ''}
</dl>`;
  const sections = [
    `<p>Scenario <b>${escapeHtml(r.scenario)}</b>; method <b>${escapeHtml(r.method)}</b>, budget ${r.budget}, seed ${r.seed};
objective <b>${escapeHtml(r.objectiveKey)}</b>${r.constraints.length ? `, constraints ${escapeHtml(r.constraints.join(', '))}` : ''}. ${escapeHtml(r.timing)}</p>`,
    `<h2>Parameters</h2>
${table(['name', 'scenario path', 'unit', 'range', 'scale', 'default', 'tuned'], r.params.map((p) => [p.name, p.path, paramUnit(p.name, r.units), `${fmt(p.lo)} … ${fmt(p.hi)}`, p.log ? 'log' : 'linear', p.initial, p.tuned]), 'params')}`,
    `<h2>Metrics</h2>
${table(['metric', 'unit', 'default', 'tuned', 'change'], keys.map((k) => [k, metricUnit(k, r.units), r.baseline[k], r.tuned[k], ratio(k)]), 'metrics')}`,
    `<h2>Stability margins (nominal plant)</h2>
${marginsTable([{ label: 'default', m: r.margins.default }, { label: 'tuned', m: r.margins.tuned }])}`,
    robustnessSection(r.robustness, keys, r.units),
  ];
  return reportPage({ title: `hilbench tune: ${r.scenario}`, warnings: r.warnings, summary, plots: reportPlots(panels), sections });
}

export interface RelayReportInput {
  readonly scenario: string;
  readonly experiment: RelayExperiment;
  readonly rule: string;
  readonly baseline: Metrics;
  readonly tuned: Metrics;
  readonly runs: { default: RecordedRun; tuned: RecordedRun };
  readonly outputColumn: string;
  readonly referenceColumn: string;
  readonly robustness?: RobustnessReport;
  readonly margins: { default?: StabilityMargins; tuned?: StabilityMargins };
  readonly units: LoopUnits;
  /** The WARNING lines the terminal printed, as printed. */
  readonly warnings: readonly string[];
}

/** report.html of a relay autotuning: the relay oscillation, the estimates, the rules, default vs tuned. */
export async function relayReport(r: RelayReportInput): Promise<string> {
  const e = r.experiment;
  const overlay = overlayRuns({ default: r.runs.default, tuned: r.runs.tuned }, [r.outputColumn, r.referenceColumn]);
  const specs = [
    groupSpec(e.store, { title: `Relay experiment: measurement ${e.measurementColumn}`, signals: [e.measurementColumn] }),
    groupSpec(e.store, { title: `Relay experiment: command ${e.commandColumn}`, signals: [e.commandColumn] }),
    groupSpec(overlay, { title: `Closed loop with the ${r.rule} gains vs the scenario's gains`, signals: [`default: ${r.outputColumn}`, `tuned: ${r.outputColumn}`, `default: ${r.referenceColumn}`] }),
  ];
  const est = e.estimate;
  const keys = ['iae', 'ise', 'itae', 'overshoot_pct', 'rise_time_s', 'settling_time_s', 'steady_state_error'].filter((k) => k in r.baseline);
  const { output: y, command: u } = r.units;
  const gain = paramUnit('kp', r.units);
  const sections = [
    `<p>Scenario <b>${escapeHtml(r.scenario)}</b>: relay amplitude ${fmt(e.relay.amplitude)} ${escapeHtml(u)}, bias ${fmt(e.relay.bias)} ${escapeHtml(u)}, asymmetry ${fmt(e.relay.asymmetry)} ${escapeHtml(u)}, hysteresis ${fmt(e.relay.hysteresis)} ${escapeHtml(y)}, direction ${e.relay.direction}.</p>`,
    `<h2>Ultimate point</h2>
${table(['quantity', 'value', 'unit'], [
    ['ultimate period Pu, mean of the last periods', est.Pu_s, 's'],
    ['ultimate gain Ku = |U1|/|Y1| (fundamental harmonics)', est.Ku, gain],
    ['describing-function gain 4d/(πa), for comparison', est.Ku_df, gain],
    ['phase of Y1/U1', est.phase_deg, '°'],
    ['output amplitude a', est.amplitude, y],
    ['periods analysed / spread', `${est.cycles} / ${(est.periodSpread * 100).toFixed(2)} %`, ''],
    ['static gain K (asymmetric relay)', est.K, u && y ? `${y}/${u}` : ''],
    ['FOPDT fit τ', e.fopdt?.tau_s, 's'],
    ['FOPDT fit θ', e.fopdt?.theta_s, 's'],
  ])}`,
    `<h2>Tuning rules</h2>
${table(['rule', withUnit('kp', paramUnit('kp', r.units)), withUnit('ki', paramUnit('ki', r.units)), withUnit('kd', paramUnit('kd', r.units)), 'source'], e.rules.map((x) => [`${x.title}${x.id === r.rule ? ' (applied)' : ''}`, x.gains.kp, x.gains.ki, x.gains.kd, x.source]))}`,
    `<h2>Metrics (scenario gains vs ${escapeHtml(r.rule)})</h2>
${table(['metric', 'unit', 'scenario gains', r.rule], keys.map((k) => [k, metricUnit(k, r.units), r.baseline[k], r.tuned[k]]), 'metrics')}`,
    `<h2>Stability margins</h2>
${marginsTable([{ label: 'scenario gains', m: r.margins.default }, { label: r.rule, m: r.margins.tuned }])}`,
    robustnessSection(r.robustness, keys, r.units),
  ];
  return reportPage({ title: `hilbench tune (relay): ${r.scenario}`, warnings: r.warnings, plots: reportPlots(specs), sections });
}
