import type { HeadlineMetric } from '../plants/plant.ts';
import { formatNumber } from './format.ts';
import type { JudgedSignals } from './judged.ts';
import { linkKeyDefinition, RUN_KEYS, STANDARD_METRICS, STEP_CONVENTION } from './metric-docs.ts';
import { escapeHtml, reportPage } from './page.ts';
import { plantMetricDefinition } from './plant-metric-docs.ts';
import { reportPlots } from './time-panels.ts';
import { unitFromSuffix } from './units.ts';

/**
 * A self-contained HTML report: warnings, summary figures, the plots (interactive, the full width),
 * then metrics tables with units and definitions (report/page.ts).
 */
export interface ReportInput {
  readonly title: string;
  readonly subtitle: string;
  readonly metrics: Record<string, unknown>;
  /** The run's plots as Vega-Lite specs (the ones plot.svg draws). */
  readonly specs: readonly object[];
  /** Warnings and errors the terminal printed for this run. */
  readonly warnings?: readonly string[];
  /** The signals the standard metrics judged; without it the table gives no units for them. */
  readonly judged?: JudgedSignals;
  /** The plant's name, to point the plant metrics at their page. */
  readonly plant?: string;
  /** The plant's headline metrics (the terminal summary's), for the summary figures. */
  readonly headline?: readonly HeadlineMetric[];
}

const LABELS: Readonly<Record<string, string>> = {
  iae: 'IAE',
  ise: 'ISE',
  itae: 'ITAE',
  rms_error: 'RMS error',
  overshoot_pct: 'overshoot',
  rise_time_s: 'rise time',
  settling_time_s: 'settling time',
  settling_band: 'settling band (±)',
  steady_state_error: 'steady-state error',
  control_effort: 'control effort',
  control_energy: 'control energy',
  saturation_time_s: 'saturation time',
};

/** What to write where a metric does not exist (null in metrics.json). */
const NULL_MEANS: Readonly<Record<string, string>> = {
  settling_time_s: 'did not settle',
  rise_time_s: 'no 10–90 % rise',
  overshoot_pct: 'no step',
};

function valueCell(key: string, v: unknown): string {
  if (v === null || v === undefined) return `<td class="na">${escapeHtml(NULL_MEANS[key] ?? '—')}</td>`;
  if (typeof v === 'number') return `<td class="num">${formatNumber(v)}</td>`;
  return `<td>${escapeHtml(String(v))}</td>`;
}

function row(key: string, label: string, v: unknown, unit: string, definition: string): string {
  const name = label === key ? `<code>${escapeHtml(key)}</code>` : `${escapeHtml(label)} <code>${escapeHtml(key)}</code>`;
  return `<tr><th>${name}</th>${valueCell(key, v)}<td>${escapeHtml(unit)}</td><td>${escapeHtml(definition)}</td></tr>`;
}

function table(rows: readonly string[]): string {
  return `<table>\n<tr><th>metric</th><th>value</th><th>unit</th><th>definition</th></tr>\n${rows.join('\n')}\n</table>`;
}

function judgedParagraph(j: JudgedSignals | undefined): string {
  if (!j) return '<p>The judged signals are not recorded with this run; the table gives no units for the standard metrics.</p>';
  const sig = (name: string | undefined, unit: string): string =>
    name ? `<code>${escapeHtml(name)}</code>${unit ? ` (${escapeHtml(unit)})` : ''}` : 'an unrecorded reference';
  const parts = [`Judged output ${sig(j.output, j.outputUnit)} against reference ${sig(j.reference, j.outputUnit)}`];
  if (j.command) parts.push(`command u = ${sig(j.command, j.commandUnit)}`);
  if (j.band?.abs !== undefined) parts.push(`settling band fixed at ±${formatNumber(j.band.abs)}${j.outputUnit ? ` ${escapeHtml(j.outputUnit)}` : ''} (scenario metrics.bandAbs)`);
  else if (j.band?.fraction !== undefined) parts.push(`settling band ${formatNumber(100 * j.band.fraction)} % of the step (scenario metrics.band)`);
  return `<p>${parts.join('; ')}.</p>\n<p>${escapeHtml(STEP_CONVENTION)}</p>`;
}

/** Power of the judged output's unit in each standard metric (how a display prefix scales it). */
const OUTPUT_POWER: Readonly<Record<string, number>> = { iae: 1, ise: 2, itae: 1, rms_error: 1, settling_band: 1, steady_state_error: 1 };

/** The factor from a unit to the prefixed unit a plot shows it in (m → mm: 1000), 1 when they are the same. */
function prefixFactor(base: string, shown: string): number {
  if (!base || shown === base) return 1;
  if (shown === `m${base}`) return 1e3;
  if (shown === `µ${base}`) return 1e6;
  return 1;
}

interface Figure {
  readonly label: string;
  readonly value: string;
  readonly key: string;
}

function summaryHtml(figures: readonly Figure[]): string {
  if (figures.length === 0) return '';
  const items = figures.map((f) => `<div data-key="${escapeHtml(f.key)}"><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`);
  return `<h2>Summary</h2>\n<dl class="summary" id="summary">\n${items.join('\n')}\n</dl>`;
}

/**
 * The summary figures: status and length of the run, the step-response figures and the plant's
 * headline metrics, values in the judged output's unit shown in the unit its plot uses (the maglev
 * gap in mm).
 */
function summaryFigures(r: ReportInput, display: { unit: string; factor: number }): Figure[] {
  const m = r.metrics;
  const j = r.judged;
  const out: Figure[] = [];
  const num = (v: unknown, unit: string): string => (typeof v === 'number' ? `${formatNumber(v)}${unit ? ` ${unit}` : ''}` : v === null || v === undefined ? '—' : String(v));
  out.push({ key: 'status', label: 'status', value: String(m.status ?? '—') });
  if (typeof m.duration_s === 'number') out.push({ key: 'duration_s', label: 'duration', value: num(m.duration_s, 's') });
  if (j && 'iae' in m && m.status !== 'failed') {
    for (const k of ['settling_time_s', 'overshoot_pct', 'rise_time_s', 'steady_state_error', 'settling_band', 'iae', 'control_effort']) {
      if (!(k in m)) continue;
      const v = m[k];
      const power = OUTPUT_POWER[k] ?? 0;
      const unit = STANDARD_METRICS[k].unit(power ? display.unit : j.outputUnit, j.commandUnit);
      const value = v === null ? (NULL_MEANS[k] ?? '—') : typeof v === 'number' ? num(v * display.factor ** power, unit) : String(v);
      out.push({ key: k, label: LABELS[k] ?? k, value: k === 'settling_band' ? `±${value}` : value });
    }
  }
  for (const h of r.headline ?? []) {
    const v = m[h.key];
    if (v === undefined) continue;
    if (v === null) {
      out.push({ key: h.key, label: h.label, value: h.ifNull ?? '—' });
      continue;
    }
    if (typeof v === 'number' && h.values) {
      out.push({ key: h.key, label: h.label, value: h.values[v] ?? formatNumber(v) });
      continue;
    }
    let unit = h.unit ?? unitFromSuffix(h.key) ?? '';
    let value = typeof v === 'number' && h.scale ? v * h.scale : v;
    if (typeof value === 'number' && j && unit === j.outputUnit && display.factor !== 1) {
      value *= display.factor;
      unit = display.unit;
    }
    out.push({ key: h.key, label: h.label, value: unit === '×' && typeof value === 'number' ? `${formatNumber(value)}×` : num(value, unit) });
  }
  return out;
}

export async function reportHtml(r: ReportInput): Promise<string> {
  const m = r.metrics;
  const pacing = typeof m.io_pacing === 'string' ? m.io_pacing : undefined;
  const y = r.judged?.outputUnit ?? '';
  const u = r.judged?.commandUnit ?? '';
  const used = new Set<string>();
  const take = (k: string): boolean => (k in m && !used.has(k) ? (used.add(k), true) : false);

  const step = Object.entries(STANDARD_METRICS)
    .filter(([k]) => take(k))
    .map(([k, d]) => row(k, LABELS[k] ?? k, m[k], r.judged ? d.unit(y, u) : '', d.definition));
  const run = Object.entries(RUN_KEYS)
    .filter(([k]) => take(k))
    .map(([k, d]) => row(k, k, m[k], unitFromSuffix(k) ?? '', d));
  const plantDoc = r.plant ? ` (docs/plants/${r.plant}.md)` : '';
  const link: string[] = [];
  const plant: string[] = [];
  for (const k of Object.keys(m)) {
    if (used.has(k)) continue;
    const def = linkKeyDefinition(k, pacing);
    if (def) link.push(row(k, k, m[k], unitFromSuffix(k) ?? '', def));
    else plant.push(row(k, k, m[k], unitFromSuffix(k) ?? '', `${plantMetricDefinition(k) ?? `${r.plant ?? 'plant'} metric`}${plantDoc}`));
  }

  // The judged output's display unit: the one its plot uses (m drawn in mm → mm).
  const plots = reportPlots(r.specs);
  const outputPanel = r.judged ? plots.panels.find((p) => p.series.some((s) => s.label === r.judged!.output)) : undefined;
  const display = { unit: outputPanel?.unit || y, factor: prefixFactor(y, outputPanel?.unit ?? y) };

  const failed = m.status === 'failed';
  const sections = [
    '<p class="hint">The tables give the values of metrics.json, in its units (SI).</p>',
    step.length
      ? `<h2>Step response and error</h2>\n${judgedParagraph(r.judged)}\n${
          failed ? '<p class="warn">The run stopped early: these figures cover only the samples recorded before it stopped and do not judge a complete response.</p>\n' : ''
        }${table(step)}`
      : '',
    plant.length ? `<h2>Plant metrics</h2>\n${table(plant)}` : '',
    link.length
      ? `<h2>Link</h2>\n${pacing === 'board' ? '<p>Board-paced io run: the timing figures are measured on the host\'s wall clock between the board\'s lines. Against a real board they are real-time figures; against <code>board emulate --fast</code> they only show how fast the emulator ran (docs/hil.md).</p>\n' : ''}${table(link)}`
      : '',
    `<h2>Run</h2>\n${table(run)}`,
  ].filter(Boolean);

  return reportPage({
    title: r.title,
    subtitle: r.subtitle,
    warnings: r.warnings,
    summary: summaryHtml(summaryFigures(r, display)),
    plots,
    sections,
  });
}
