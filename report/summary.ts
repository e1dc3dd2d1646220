import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HeadlineMetric } from '../plants/plant.ts';
import { formatNumber } from './format.ts';
import { STANDARD_METRICS } from './metric-docs.ts';
import { unitFromSuffix } from './units.ts';

type Metrics = Readonly<Record<string, number | string | null | undefined>>;

/** What the summary needs to know beyond metrics.json: the judged signals' units and the plant's headline list. */
export interface SummaryContext {
  readonly output?: string;
  readonly reference?: string;
  readonly outputUnit?: string;
  readonly commandUnit?: string;
  readonly headline?: readonly HeadlineMetric[];
  /** A further line for a completed run (hil run's link figures), before the outputs line. */
  readonly extraLine?: string;
}

const OUTPUT_FILES = ['run.csv', 'run.meta.json', 'metrics.json', 'report.html', 'plot.svg', 'link.ndjson'];

function withUnit(v: number | string | null | undefined, unit: string): string {
  if (v === null || v === undefined) return 'n/a';
  if (typeof v === 'string') return v;
  const n = formatNumber(v);
  if (!unit) return n;
  return unit === '×' ? `${n}×` : `${n} ${unit}`;
}

/** One headline item, or undefined when the metric is absent (an io run has no plant metrics) or null without words for it. */
export function headlineItem(h: HeadlineMetric, m: Metrics): string | undefined {
  const v = m[h.key];
  if (v === undefined) return undefined;
  if (v === null) return h.ifNull;
  if (typeof v === 'number' && h.values) return h.values[v] ?? `${h.label} ${formatNumber(v)}`;
  const unit = h.unit ?? unitFromSuffix(h.key) ?? '';
  return `${h.label} ${withUnit(typeof v === 'number' && h.scale ? v * h.scale : v, unit)}`;
}

/**
 * The terminal summary of a run, as lines. A failed run gets no step figures (a partial run's
 * settling time or IAE would mislead): its reason goes to stderr, printed by the caller.
 */
export function summaryLines(m: Metrics, outDir: string, wall_s: number, ctx: SummaryContext = {}): string[] {
  const files = OUTPUT_FILES.filter((f) => existsSync(join(outDir, f)));
  const outputs = `  outputs in ${outDir}: ${files.join(' ')}`;
  if (m.status === 'failed') {
    return [`${m.scenario}: failed at t = ${withUnit(m.duration_s, '')} s, ${m.samples} samples kept`, outputs];
  }
  const lines = [`${m.scenario}: ${m.status}, ${withUnit(m.duration_s, '')} s simulated, ${m.samples} samples, ${wall_s.toFixed(2)} s wall`];
  if ('iae' in m) {
    const y = ctx.outputUnit ?? '';
    const u = ctx.commandUnit ?? '';
    const unit = (k: string): string => STANDARD_METRICS[k].unit(y, u);
    const f = (k: string): string => withUnit(m[k], unit(k));
    const settling = m.settling_time_s === null ? 'did not settle' : `settling time ${f('settling_time_s')}`;
    if (ctx.output) lines.push(`  judged ${ctx.output}${ctx.reference ? ` against ${ctx.reference}` : ''}`);
    lines.push(
      `  ${settling} (band ±${f('settling_band')})   overshoot ${f('overshoot_pct')}   rise time ${f('rise_time_s')}`,
      `  IAE ${f('iae')}   ISE ${f('ise')}   ITAE ${f('itae')}   steady-state error ${f('steady_state_error')}   saturation ${f('saturation_time_s')}`,
    );
  }
  const items = (ctx.headline ?? []).map((h) => headlineItem(h, m)).filter((s): s is string => !!s);
  if (items.length) lines.push(`  ${items.join('   ')}`);
  if (ctx.extraLine) lines.push(ctx.extraLine);
  lines.push(outputs);
  return lines;
}
