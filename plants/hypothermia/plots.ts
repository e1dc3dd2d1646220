import type { RecordedRun } from '../plant.ts';
import { INTERLOCK_BITS } from './interlock-flags.ts';

/** Report panels: brain (true and estimated) with the target band, the other nodes, current, interlocks. */
export function hypothermiaPlots(run: RecordedRun, target_C: number, band_C: number): object[] {
  const t = run.t;
  const stride = Math.max(1, Math.ceil(t.length / 1500));
  const series = (cols: readonly [string, string][]): { min: number; signal: string; value: number }[] => {
    const rows: { min: number; signal: string; value: number }[] = [];
    for (const [c, label] of cols) {
      const v = run.column(c);
      if (!v) continue;
      for (let k = 0; k < t.length; k += stride) rows.push({ min: t[k] / 60, signal: label, value: v[k] });
    }
    return rows;
  };
  const x = { field: 'min', type: 'quantitative', title: 't (min)' };
  const line = (values: object[], yTitle: string) => ({
    data: { values },
    mark: { type: 'line', strokeWidth: 1.3 },
    encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } }, color: { field: 'signal', type: 'nominal', title: null } },
  });
  const tEnd = t.length ? t[t.length - 1] / 60 : 0;
  const events: { min: number; interlock: string }[] = [];
  const alarm = run.column('alarm_code');
  if (alarm) {
    for (const [name, bit] of Object.entries(INTERLOCK_BITS)) {
      let prev = 0;
      for (let k = 0; k < alarm.length; k++) {
        const on = (alarm[k] & bit) !== 0 ? 1 : 0;
        if (on && !prev) events.push({ min: t[k] / 60, interlock: name });
        prev = on;
      }
    }
  }
  const brainLayers: object[] = [
    {
      data: { values: [{ x0: 0, x1: tEnd, lo: target_C - band_C, hi: target_C + band_C }] },
      mark: { type: 'rect', opacity: 0.15, color: 'green' },
      encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    },
    line(series([['T_brain_C', 'brain (true)'], ['display_T_brain_est_C', 'brain (estimated)']]), '°C'),
  ];
  if (events.length) {
    brainLayers.push({
      data: { values: events },
      mark: { type: 'rule', color: 'red', strokeDash: [4, 3] },
      encoding: { x: { field: 'min', type: 'quantitative' }, tooltip: { field: 'interlock', type: 'nominal' } },
    });
  }
  return [
    { title: `Brain temperature, target ${target_C} ± ${band_C} °C (red: interlock events)`, width: 640, height: 200, layer: brainLayers },
    { title: 'Core, plate and heat sink', width: 640, height: 170, ...line(series([['T_rectal_C', 'rectal (true)'], ['T_plate_C', 'plate'], ['T_sink_C', 'heat sink']]), '°C') },
    { title: 'Peltier current and interlock flags', width: 640, height: 130, ...line(series([['I_tec_A', 'current (A)'], ['alarm_code', 'alarm flags']]), '') },
  ];
}
