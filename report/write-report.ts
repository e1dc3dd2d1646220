import { writeTextFile } from '../errors/write-file.ts';
import type { HeadlineMetric } from '../plants/plant.ts';
import { join } from 'node:path';
import { judgedSignals, type JudgedSpec } from './judged.ts';
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
 * Writes a run's plot.svg and the self-contained report.html around it; `judged` and `units` give
 * the judged signals and their units.
 */
export async function writeReport(
  outDir: string,
  r: {
    title: string;
    subtitle: string;
    metrics: Record<string, unknown>;
    panels: readonly object[];
    error?: string;
    judged?: JudgedSpec;
    units?: Record<string, string>;
    plant?: string;
    headline?: readonly HeadlineMetric[];
  },
): Promise<void> {
  const svg = await renderSvg(r.panels);
  writeTextFile(join(outDir, 'plot.svg'), svg);
  writeTextFile(
    join(outDir, 'report.html'),
    await reportHtml({
      title: reportTitle(r.metrics, r.title),
      subtitle: r.subtitle,
      metrics: r.metrics,
      specs: r.panels,
      // The line the terminal printed on stderr when the run stopped early.
      warnings: r.error ? [`Run stopped early: ${r.error}`] : [],
      judged: judgedSignals(r.metrics, r.judged, r.units),
      plant: r.plant,
      headline: r.headline,
    }),
  );
}
