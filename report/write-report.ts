import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgedSignals, readMeta, type JudgedSpec } from './judged.ts';
import { renderSvg } from './plots.ts';
import { reportHtml } from './report-html.ts';

/** The command a run's mode comes from, for one title format across modes. */
const COMMAND_OF_MODE: Readonly<Record<string, string>> = { sim: 'hilbench run', hil: 'hilbench hil run', io: 'hilbench io run' };

/** "hilbench run: maglev", "hilbench hil run: maglev", "hilbench io run: maglev"; `fallback` for other modes. */
export function reportTitle(metrics: Record<string, unknown>, fallback: string): string {
  const cmd = COMMAND_OF_MODE[String(metrics.mode)];
  return cmd && typeof metrics.scenario === 'string' ? `${cmd}: ${metrics.scenario}` : fallback;
}

/**
 * Writes a run's plot.svg and the self-contained report.html around it. Call it after run.meta.json is
 * written: the judged signals and their units come from there unless `judged` is given.
 */
export async function writeReport(
  outDir: string,
  r: { title: string; subtitle: string; metrics: Record<string, unknown>; panels: readonly object[]; error?: string; judged?: JudgedSpec },
): Promise<void> {
  const svg = await renderSvg(r.panels);
  writeFileSync(join(outDir, 'plot.svg'), svg);
  writeFileSync(
    join(outDir, 'report.html'),
    reportHtml({
      title: reportTitle(r.metrics, r.title),
      subtitle: r.subtitle,
      metrics: r.metrics,
      svg,
      notes: r.error ? [`Run stopped early: ${r.error}`] : [],
      judged: judgedSignals(outDir, r.metrics, r.judged),
      plant: readMeta(outDir)?.plant,
    }),
  );
}
