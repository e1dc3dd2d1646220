import { formatNumber } from './format.ts';
import type { JudgedSignals } from './judged.ts';
import { linkKeyDefinition, RUN_KEYS, STANDARD_METRICS, STEP_CONVENTION } from './metric-docs.ts';
import { unitFromSuffix } from './units.ts';

/** A self-contained HTML report: summary, metrics tables with units and definitions, and the inline SVG plots. No scripts, no external files. */
export interface ReportInput {
  readonly title: string;
  readonly subtitle: string;
  readonly metrics: Record<string, unknown>;
  readonly svg: string;
  readonly notes?: readonly string[];
  /** The signals the standard metrics judged; without it the table gives no units for them. */
  readonly judged?: JudgedSignals;
  /** The plant's name, to point the plant metrics at their page. */
  readonly plant?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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

export function reportHtml(r: ReportInput): string {
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
  const plantDef = r.plant ? `${r.plant} plant metric (docs/plants/${r.plant}.md)` : 'plant metric (docs/plants)';
  const link: string[] = [];
  const plant: string[] = [];
  for (const k of Object.keys(m)) {
    if (used.has(k)) continue;
    const def = linkKeyDefinition(k, pacing);
    (def ? link : plant).push(row(k, k, m[k], unitFromSuffix(k) ?? '', def ?? plantDef));
  }

  const failed = m.status === 'failed';
  const notes = (r.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('\n');
  const sections = [
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

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(r.title)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 70em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; font-size: 0.9em; vertical-align: top; }
th { background: #f4f4f4; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.na { color: #a33; }
.warn { color: #a33; }
.plots svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
<p>${escapeHtml(r.subtitle)}</p>
${notes ? `<ul class="warn">${notes}</ul>` : ''}
${sections.join('\n')}
<h2>Signals</h2>
<div class="plots">
${r.svg}
</div>
</body>
</html>
`;
}
