import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { RecordedRun } from '../../plants/plant.ts';

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

/** One panel per group: all the group's signals overlaid against time. */
export function groupSpec(run: RecordedRun, group: PlotGroup): object {
  return {
    title: group.title,
    width: 640,
    height: 150,
    data: { values: longFormat(run, group.signals) },
    mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 't (s)' },
      y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
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
