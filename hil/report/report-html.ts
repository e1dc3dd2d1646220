/** A self-contained HTML report: summary, metrics table and the inline SVG plots. No scripts, no external files. */
export interface ReportInput {
  readonly title: string;
  readonly subtitle: string;
  readonly metrics: Record<string, unknown>;
  readonly svg: string;
  readonly notes?: readonly string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  if (v === null) return '—';
  return escapeHtml(String(v));
}

export function reportHtml(r: ReportInput): string {
  const rows = Object.entries(r.metrics)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${formatValue(v)}</td></tr>`)
    .join('\n');
  const notes = (r.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(r.title)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; font-size: 0.9em; }
th { background: #f4f4f4; font-weight: normal; }
.plots svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
<p>${escapeHtml(r.subtitle)}</p>
${notes ? `<ul>${notes}</ul>` : ''}
<h2>Metrics</h2>
<table>
${rows}
</table>
<h2>Signals</h2>
<div class="plots">
${r.svg}
</div>
</body>
</html>
`;
}
