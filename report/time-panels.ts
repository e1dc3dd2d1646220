/**
 * The report's interactive panels, read from the same Vega-Lite specifications that plot.svg draws
 * (report/plots.ts, the plants' extraPlots), so the SVG and the page never disagree. A spec whose x
 * axis is time becomes a time panel (one x array in seconds, one y array per signal); the others (a
 * robot's map, a search history) stay static SVG. A signal that never changes is not drawn: it is
 * listed with its value.
 */

export interface TimeSeries {
  readonly label: string;
  readonly values: (number | null)[];
}

export interface TimePanel {
  readonly title: string;
  /** The y axis unit as drawn ('mm' for the maglev gap), '' when dimensionless or mixed. */
  readonly unit: string;
  /** Seconds from the run's t = 0 (since local midnight for a solar day). */
  readonly t: number[];
  readonly series: TimeSeries[];
  /** Held between samples (controller outputs, counts) rather than joined by straight lines. */
  readonly stepped: boolean;
}

export interface ConstantSignal {
  readonly panel: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/** How a report writes times: seconds from the start, or the local clock (a solar day). */
export type TimeAxis = 'seconds' | 'clock';

export interface ReportPlots {
  readonly panels: TimePanel[];
  readonly constants: ConstantSignal[];
  /** Specs that are not time series, drawn as SVG. */
  readonly other: object[];
  readonly timeAxis: TimeAxis;
}

/** x axis titles the project's specs use for time, and their factor to seconds. */
const TIME_TITLES: readonly [RegExp, number, TimeAxis][] = [
  [/^t \(s\)$/, 1, 'seconds'],
  [/^t \(min\)$/, 60, 'seconds'],
  [/^local time \(h\)$/, 3600, 'clock'],
];

interface LineLayer {
  rows: Record<string, unknown>[];
  x: string;
  y: string;
  color?: string;
  toSeconds: number;
  axis: TimeAxis;
  unit: string;
  stepped: boolean;
}

type Spec = Record<string, any>;

function lineLayer(spec: Spec, inherited: Spec | undefined): LineLayer | undefined {
  const mark = typeof spec.mark === 'string' ? spec.mark : spec.mark?.type;
  if (mark !== 'line') return undefined;
  const rows = (spec.data ?? inherited?.data)?.values;
  const enc = spec.encoding ?? {};
  const xTitle = String(enc.x?.title ?? '');
  const time = TIME_TITLES.find(([re]) => re.test(xTitle));
  if (!Array.isArray(rows) || !time || !enc.y?.field || !enc.x?.field) return undefined;
  return {
    rows,
    x: enc.x.field,
    y: enc.y.field,
    color: enc.color?.field,
    toSeconds: time[1],
    axis: time[2],
    unit: typeof enc.y.title === 'string' ? enc.y.title : '',
    stepped: spec.mark?.interpolate === 'step-after',
  };
}

/** The line layers of a spec when every one of them is a time series, else undefined (drawn as SVG). */
function timeLayers(spec: Spec): LineLayer[] | undefined {
  if (Array.isArray(spec.layer)) {
    const lines = spec.layer.map((l: Spec) => lineLayer(l, spec)).filter((l: LineLayer | undefined): l is LineLayer => !!l);
    return lines.length ? lines : undefined;
  }
  const one = lineLayer(spec, undefined);
  return one ? [one] : undefined;
}

/** Splits report specs into time panels (constant signals taken out) and other panels. */
export function reportPlots(specs: readonly object[]): ReportPlots {
  const panels: TimePanel[] = [];
  const constants: ConstantSignal[] = [];
  const other: object[] = [];
  let clock = false;
  for (const raw of specs) {
    const spec = raw as Spec;
    const layers = timeLayers(spec);
    if (!layers) {
      other.push(spec);
      continue;
    }
    const title = String(spec.title ?? '');
    const bySeries = new Map<string, Map<number, number>>();
    const times = new Set<number>();
    for (const l of layers) {
      if (l.axis === 'clock') clock = true;
      for (const r of l.rows) {
        const t = Number(r[l.x]) * l.toSeconds;
        const v = r[l.y];
        const label = l.color ? String(r[l.color]) : l.y;
        if (!Number.isFinite(t)) continue;
        let s = bySeries.get(label);
        if (!s) bySeries.set(label, (s = new Map()));
        s.set(t, typeof v === 'number' && Number.isFinite(v) ? v : NaN);
        times.add(t);
      }
    }
    const t = [...times].sort((a, b) => a - b);
    const unit = [...new Set(layers.map((l) => l.unit))].length === 1 ? layers[0].unit : '';
    const series: TimeSeries[] = [];
    for (const [label, points] of bySeries) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of points.values()) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo === hi) {
        constants.push({ panel: title, label, value: lo, unit });
        continue;
      }
      series.push({ label, values: t.map((x) => (points.has(x) && Number.isFinite(points.get(x)!) ? points.get(x)! : null)) });
    }
    if (series.length) panels.push({ title, unit, t, series, stepped: layers.every((l) => l.stepped) });
  }
  return { panels, constants, other, timeAxis: clock ? 'clock' : 'seconds' };
}
