import type { PlantMetricsRecorder } from '../plant.ts';
import { INTERLOCK_BITS } from './interlock-flags.ts';

const INTERLOCKS = Object.entries(INTERLOCK_BITS);

/**
 * Hypothermia metrics on the true brain temperature, row by row: time to reach the band, time in
 * band after first entry, undershoot, largest cooling rate, and interlock events (rising edges of
 * each flag of the recorded `alarm_code`).
 */
export class HypothermiaMetrics implements PlantMetricsRecorder {
  private readonly iBrain: number;
  private readonly iRectal: number;
  private readonly iAlarm: number;
  private rows = 0;
  private tPrev = NaN;
  private brainPrev = NaN;
  private prevInBand = false;
  private tFirst = NaN;
  private entered = false;
  private inBand = 0;
  private span = 0;
  private minAll = Infinity;
  private maxRate = 0;
  private rectalLast = NaN;
  private readonly flagOn = new Uint8Array(INTERLOCKS.length);
  private readonly events = new Float64Array(INTERLOCKS.length);

  constructor(
    columns: readonly string[],
    private readonly target_C: number,
    private readonly band_C: number,
  ) {
    this.iBrain = columns.indexOf('T_brain_C');
    this.iRectal = columns.indexOf('T_rectal_C');
    this.iAlarm = columns.indexOf('alarm_code');
  }

  write(row: Float64Array): void {
    if (this.iBrain < 0) return;
    const t = row[0];
    const TB = row[this.iBrain];
    const k = this.rows;
    if (k > 0) {
      // The previous row's share of the time after entry, weighted by the step that follows it.
      if (this.entered) {
        const h = t - this.tPrev;
        this.span += h;
        if (this.prevInBand) this.inBand += h;
      }
      const rate = ((this.brainPrev - TB) / (t - this.tPrev)) * 60;
      if (rate > this.maxRate) this.maxRate = rate;
    }
    const inBand = Math.abs(TB - this.target_C) <= this.band_C;
    if (!this.entered && inBand) {
      this.entered = true;
      this.tFirst = t;
    }
    if (TB < this.minAll) this.minAll = TB;
    if (this.iRectal >= 0) this.rectalLast = row[this.iRectal];
    if (this.iAlarm >= 0) {
      const alarm = row[this.iAlarm];
      for (let i = 0; i < INTERLOCKS.length; i++) {
        const on = (alarm & INTERLOCKS[i][1]) !== 0 ? 1 : 0;
        if (on && !this.flagOn[i]) this.events[i]++;
        this.flagOn[i] = on;
      }
    }
    this.prevInBand = inBand;
    this.brainPrev = TB;
    this.tPrev = t;
    this.rows = k + 1;
  }

  result(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.rows < 2) return out;
    const { target_C, band_C, minAll } = this;
    out.target_C = target_C;
    out.band_C = band_C;
    out.time_to_band_s = this.entered ? this.tFirst : NaN;
    out.time_in_band_after_entry_pct = this.entered && this.span > 0 ? (100 * this.inBand) / this.span : NaN;
    out.T_brain_min_C = minAll;
    out.T_brain_final_C = this.brainPrev;
    out.undershoot_C = Math.max(0, target_C - minAll);
    out.undershoot_below_band_C = Math.max(0, target_C - band_C - minAll);
    out.max_cooling_rate_C_per_min = this.maxRate;
    if (this.iRectal >= 0) out.T_rectal_final_C = this.rectalLast;
    let total = 0;
    for (let i = 0; i < INTERLOCKS.length; i++) {
      out[`interlock_${INTERLOCKS[i][0]}_events`] = this.events[i];
      total += this.events[i];
    }
    out.interlock_events = total;
    return out;
  }
}
