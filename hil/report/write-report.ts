import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg } from './plots.ts';
import { reportHtml } from './report-html.ts';

/** Writes a run's plot.svg and the self-contained report.html around it. */
export async function writeReport(
  outDir: string,
  r: { title: string; subtitle: string; metrics: Record<string, unknown>; panels: readonly object[]; error?: string },
): Promise<void> {
  const svg = await renderSvg(r.panels);
  writeFileSync(join(outDir, 'plot.svg'), svg);
  writeFileSync(
    join(outDir, 'report.html'),
    reportHtml({ title: r.title, subtitle: r.subtitle, metrics: r.metrics, svg, notes: r.error ? [`Run stopped early: ${r.error}`] : [] }),
  );
}
