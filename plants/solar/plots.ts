import type { RecordedRun } from '../plant.ts';

/** Report panels for a solar run (Vega-Lite, data inlined, at most ~1500 points per series). */
export function solarPlots(run: RecordedRun): object[] {
  const t = run.t;
  const stride = Math.max(1, Math.ceil(t.length / 1500));
  const series = (names: readonly [string, string][], scale = 1): { h: number; signal: string; value: number }[] => {
    const rows: { h: number; signal: string; value: number }[] = [];
    for (const [col, label] of names) {
      const c = run.column(col);
      if (!c) continue;
      for (let k = 0; k < t.length; k += stride) rows.push({ h: t[k] / 3600, signal: label, value: c[k] * scale });
    }
    return rows;
  };
  const panel = (title: string, yTitle: string, values: object[], interpolate = 'linear'): object => ({
    title,
    width: 640,
    height: 170,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.4, interpolate },
    encoding: {
      x: { field: 'h', type: 'quantitative', title: 'local time (h)' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'signal', type: 'nominal', title: null },
    },
  });
  return [
    panel(
      'Sun and panel angles',
      'deg',
      series([
        ['sun_alt_deg', 'sun altitude'],
        ['rho_opt_deg', 'beam-optimal angle'],
        ['panel_deg', 'panel angle'],
      ]),
    ),
    panel(
      'Energy since midnight',
      'Wh',
      series(
        [
          ['E_panel_J', 'tracked panel'],
          ['E_fixed_J', 'fixed panel at 90°'],
          ['E_continuous_J', 'continuous tracking'],
          ['E_ideal5_J', 'ideal 5 positions'],
          ['E_stepper_J', 'stepper'],
        ],
        1 / 3600,
      ),
    ),
    panel(
      'Light sensors',
      'V',
      series([
        ['S1_V', 'S1 (45°)'],
        ['S2_V', 'S2 (90°)'],
        ['S3_V', 'S3 (135°)'],
      ]),
    ),
  ];
}
