import type { RecordedRun } from '../plant.ts';
import { INTERLOCK_BITS } from './interlock-flags.ts';

/**
 * Hypothermia metrics on the true brain temperature: time to reach the band, time in band after
 * first entry, undershoot, largest cooling rate, and interlock events (rising edges of each flag of
 * the recorded `alarm_code`).
 */
export function hypothermiaMetrics(run: RecordedRun, target_C: number, band_C: number): Record<string, number> {
  const t = run.t;
  const TB = run.column('T_brain_C');
  const out: Record<string, number> = {};
  if (!TB || TB.length < 2) return out;
  const n = TB.length;
  let first = -1;
  for (let k = 0; k < n; k++) {
    if (Math.abs(TB[k] - target_C) <= band_C) {
      first = k;
      break;
    }
  }
  let inBand = 0;
  let span = 0;
  let minAfter = Infinity;
  if (first >= 0) {
    for (let k = first; k < n - 1; k++) {
      const h = t[k + 1] - t[k];
      span += h;
      if (Math.abs(TB[k] - target_C) <= band_C) inBand += h;
    }
    for (let k = first; k < n; k++) if (TB[k] < minAfter) minAfter = TB[k];
  }
  let minAll = Infinity;
  let maxRate = 0;
  for (let k = 0; k < n; k++) {
    if (TB[k] < minAll) minAll = TB[k];
    if (k > 0) {
      const rate = ((TB[k - 1] - TB[k]) / (t[k] - t[k - 1])) * 60;
      if (rate > maxRate) maxRate = rate;
    }
  }
  out.target_C = target_C;
  out.band_C = band_C;
  out.time_to_band_s = first >= 0 ? t[first] : NaN;
  out.time_in_band_after_entry_pct = first >= 0 && span > 0 ? (100 * inBand) / span : NaN;
  out.T_brain_min_C = minAll;
  out.T_brain_final_C = TB[n - 1];
  out.undershoot_C = Math.max(0, target_C - minAll);
  out.undershoot_below_band_C = Math.max(0, target_C - band_C - minAll);
  out.max_cooling_rate_C_per_min = maxRate;
  const TR = run.column('T_rectal_C');
  if (TR) out.T_rectal_final_C = TR[TR.length - 1];
  const alarm = run.column('alarm_code');
  let total = 0;
  for (const [name, bit] of Object.entries(INTERLOCK_BITS)) {
    let events = 0;
    if (alarm) {
      let prev = 0;
      for (let k = 0; k < alarm.length; k++) {
        const on = (alarm[k] & bit) !== 0 ? 1 : 0;
        if (on && !prev) events++;
        prev = on;
      }
    }
    out[`interlock_${name}_events`] = events;
    total += events;
  }
  out.interlock_events = total;
  return out;
}
