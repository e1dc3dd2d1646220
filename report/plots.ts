import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { RecordedRun } from '../plants/plant.ts';
import { unitFromSuffix } from './units.ts';

/** At most this many points per series go into a plot; the CSV keeps every sample. */
const MAX_POINTS = 1500;

export interface PlotGroup {
  readonly title: string;
  readonly signals: readonly string[];
}

/** Rows of (t, signal, value) for the given columns, evenly decimated to MAX_POINTS per series. */
function longFormat(run: RecordedRun, signals: readonly string[]): { t: number; signal: string; value: number }[] {
  const t = run.t;
  const stride = Math.max(1, Math.ceil(t.length / MAX_POINTS));
  const rows: { t: number; signal: string; value: number }[] = [];
  for (const s of signals) {
    const col = run.column(s);
    if (!col) continue;
    for (let k = 0; k < t.length; k += stride) rows.push({ t: t[k], signal: s, value: col[k] });
    if ((t.length - 1) % stride !== 0 && t.length > 0) rows.push({ t: t[t.length - 1], signal: s, value: col[t.length - 1] });
  }
  return rows;
}

/** Units shown with a milli/micro prefix when a whole panel stays below 0.1 of them (8 mm, not 0.008 m). */
const PREFIXABLE = new Set(['m', 's', 'A', 'V', 'W', 'J']);

/**
 * The y-axis unit of a panel whose signals all carry the same unit suffix, and the factor its values
 * are multiplied by: metres under 0.1 m are drawn in mm, under 0.1 mm in µm (same rule for s, A, V, W, J).
 */
export function panelUnit(signals: readonly string[], values: readonly { value: number }[]): { unit?: string; factor: number } {
  const units = new Set(signals.map((s) => unitFromSuffix(s)));
  const unit = units.size === 1 ? [...units][0] : undefined;
  if (!unit || !PREFIXABLE.has(unit)) return { unit, factor: 1 };
  let max = 0;
  for (const r of values) if (Math.abs(r.value) > max) max = Math.abs(r.value);
  if (max === 0 || max >= 0.1) return { unit, factor: 1 };
  return max >= 1e-4 ? { unit: `m${unit}`, factor: 1e3 } : { unit: `µ${unit}`, factor: 1e6 };
}

/** One panel per group: all the group's signals overlaid against time, the y axis titled with their common unit. */
export function groupSpec(run: RecordedRun, group: PlotGroup): object {
  const rows = longFormat(run, group.signals);
  const { unit, factor } = panelUnit(group.signals, rows);
  if (factor !== 1) for (const r of rows) r.value *= factor;
  const base = factor === 1 ? unit : unitFromSuffix(group.signals[0]);
  // A run's panel titles name their unit ("Plant states [m]"): keep them in step with the axis.
  const title = factor !== 1 && base ? group.title.replace(`[${base}]`, `[${unit}]`) : group.title;
  return {
    title,
    width: 640,
    height: 150,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 't (s)' },
      y: { field: 'value', type: 'quantitative', title: unit ?? null, scale: { zero: false } },
      color: { field: 'signal', type: 'nominal', title: null },
    },
  };
}

/** Renders panels stacked vertically into one SVG document (Vega's headless SVG renderer). */
export async function renderSvg(panels: readonly object[]): Promise<string> {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    vconcat: panels,
    resolve: { scale: { color: 'independent' } },
    config: { font: 'sans-serif', legend: { orient: 'right', limit: 200 } },
  };
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
