import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { formatNumber } from './format.ts';
import { renderSvg } from './plots.ts';
import type { ReportPlots, TimePanel } from './time-panels.ts';

const require = createRequire(import.meta.url);

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text for inside <script>: a `</script` in it would end the element early. */
function scriptText(s: string): string {
  return s.replace(/<\/script/gi, '<\\/script');
}

export interface PageInput {
  readonly title: string;
  /** One line under the title (HTML-escaped here). */
  readonly subtitle?: string;
  /** What the terminal printed as a warning or an error: shown first, in the warning colour. */
  readonly warnings?: readonly string[];
  /** Summary figures (HTML), shown before the plots. */
  readonly summary?: string;
  /** Every plot of the page, from its Vega-Lite specs (`reportPlots`): time series become interactive panels, the rest SVG. */
  readonly plots: ReportPlots;
  /** Sections after the plots (HTML): tables and definitions. */
  readonly sections: readonly string[];
}

const STYLE = `body { font-family: sans-serif; margin: 1.5em 2em; color: #222; }
h1 { margin-bottom: 0.2em; }
.subtitle { color: #555; margin-top: 0; }
.prose { max-width: 70em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; font-size: 0.9em; vertical-align: top; }
th { background: #f4f4f4; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.na { color: #8d6e00; }
.warn { color: #b71c1c; background: #fdecea; border-left: 4px solid #b71c1c; padding: 0.4em 0.8em; list-style: none; }
.ok { color: #1b5e20; }
.bad { color: #b71c1c; font-weight: bold; }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(14em, 1fr)); gap: 0.3em 1.5em; margin: 1em 0; }
dl.summary div { border-bottom: 1px solid #eee; padding: 0.2em 0; }
dl.summary dt { color: #555; font-size: 0.85em; }
dl.summary dd { margin: 0; font-size: 1.15em; font-variant-numeric: tabular-nums; }
#plots figure { margin: 0.8em 0 1.2em; }
#plots figcaption { font-weight: 600; margin-bottom: 0.2em; }
.hint { color: #555; font-size: 0.85em; }
.static-plots svg { max-width: 100%; height: auto; }`;

/** Number of significant digits kept in the page's plot data (the tables give 4). */
const DATA_DIGITS = 7;

function panelData(p: TimePanel): object {
  const round = (v: number | null) => (v === null ? null : Number(v.toPrecision(DATA_DIGITS)));
  return { ...p, t: p.t.map((x) => Number(x.toPrecision(10))), series: p.series.map((s) => ({ label: s.label, values: s.values.map(round) })) };
}

function constantsList(plots: ReportPlots): string {
  if (plots.constants.length === 0) return '';
  const items = plots.constants.map((c) => `<li><code>${escapeHtml(c.label)}</code> = ${formatNumber(c.value)}${c.unit ? ` ${escapeHtml(c.unit)}` : ''} <span class="hint">(${escapeHtml(c.panel)})</span></li>`);
  return `<h3>Constant over the whole run (not plotted)</h3>\n<ul id="constants">\n${items.join('\n')}\n</ul>`;
}

/**
 * One self-contained HTML page: title, warnings, summary figures, then the plots the full width
 * (uPlot and its CSS inlined from node_modules, data inlined as JSON: it opens offline), the
 * constant signals listed, static plots, and the tables.
 */
export async function reportPage(p: PageInput): Promise<string> {
  const plots = p.plots;
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const client = readFileSync(new URL('./static/report-plots.js', import.meta.url), 'utf8');
  const data = JSON.stringify({ timeAxis: plots.timeAxis, panels: plots.panels.map(panelData) }).replace(/</g, '\\u003c');
  const staticSvg = plots.other.length ? `<div class="static-plots">\n${await renderSvg(plots.other)}\n</div>` : '';
  const warnings = (p.warnings ?? []).map((w) => `<li>${escapeHtml(w)}</li>`).join('\n');
  const timeNote =
    plots.timeAxis === 'clock'
      ? 'Time axis: local time of the simulated day.'
      : 'Time axis: seconds from the start of the run.';
  const plotSection = plots.panels.length
    ? `<h2>Signals</h2>
<p class="hint">${timeNote} Drag across a plot to zoom in time (every plot follows); double-click to zoom out. The legend under each plot reads the values at the cursor.</p>
<div id="plots"></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(p.title)}</title>
<style>
${uplotCss}
${STYLE}
</style>
</head>
<body>
<h1>${escapeHtml(p.title)}</h1>
${p.subtitle ? `<p class="subtitle">${escapeHtml(p.subtitle)}</p>` : ''}
${warnings ? `<ul class="warn" id="warnings">\n${warnings}\n</ul>` : ''}
${p.summary ?? ''}
${plotSection}
${constantsList(plots)}
${staticSvg}
<div class="prose">
${p.sections.join('\n')}
</div>
<script type="application/json" id="report-data">${data}</script>
<script>${scriptText(uplotJs)}</script>
<script>${scriptText(client)}</script>
</body>
</html>
`;
}
