import type { HeadlineMetric, Plant, PlantMetricsRecorder, PlotRun, Rng, SignalInfo } from '../plant.ts';
import { tecFromDatasheet, tecQc, tecQh, tecVoltage, type TecParams } from './peltier.ts';
import { HypothermiaMetrics } from './metrics.ts';
import { hypothermiaPlots } from './plots.ts';

export interface HypothermiaParams {
  T_amb_C: number;
  C_B_JpK: number;
  q_B_W: number;
  w_B_WpK: number;
  G_RA_WpK: number;
  q_R_W: number;
  C_R_JpK: number;
  G_BP_WpK: number;
  G_BA_WpK: number;
  C_P_JpK: number;
  G_PA_WpK: number;
  C_S_JpK: number;
  R_SA_KpW: number;
  tec_Imax_A: number;
  tec_Vmax_V: number;
  tec_dTmax_K: number;
  tec_Th_ref_C: number;
  tec_couples: number;
  I_min_A: number;
  I_max_A: number;
  rectal_lag_s: number;
  rectal_noise_C: number;
  rectal_V_lo_C: number;
  rectal_V_span_C: number;
  plate_V_lo_C: number;
  plate_V_span_C: number;
  sink_V_lo_C: number;
  sink_V_span_C: number;
  T_B0_C: number;
  T_R0_C: number;
  T_P0_C: number;
  T_S0_C: number;
  target_C: number;
  band_C: number;
}

/**
 * Rat-brain hypothermia with a Peltier cold plate (Demirel & Erkal 2009; model plants.md §3 [R]).
 * Four lumped nodes with Pennes-type perfusion (arterial temperature = core):
 *   C_B·Ṫ_B = q_B + w_B(T_R − T_B) − G_BP(T_B − T_P) − G_BA(T_B − T_amb)
 *   C_R·Ṫ_R = q_R − w_B(T_R − T_B) − G_RA(T_R − T_amb)
 *   C_P·Ṫ_P = G_BP(T_B − T_P) + G_PA(T_amb − T_P) − Q_c
 *   C_S·Ṫ_S = Q_h − (T_S − T_amb)/R_SA
 * plus the rectal thermistor's first-order lag. The current is limited by the H-bridge in both
 * directions. Brain temperature is a state (recorded for evaluation), never a sensor output.
 * Two display-only inputs record the controller's brain estimate and its interlock flags.
 */
export class Hypothermia implements Plant {
  /** The summary's plant line (metrics.ts computes them). */
  readonly headlineMetrics: readonly HeadlineMetric[] = [
    { key: 'time_to_band_s', label: 'time to band', unit: 'min', scale: 1 / 60, ifNull: 'never in band' },
    { key: 'time_in_band_after_entry_pct', label: 'time in band after entry' },
    { key: 'undershoot_below_band_C', label: 'undershoot below band' },
    { key: 'T_brain_final_C', label: 'final brain temperature' },
    { key: 'interlock_events', label: 'interlock events' },
  ];
  readonly states: readonly SignalInfo[] = [
    { name: 'T_brain_C', unit: 'degC', description: 'brain (true; not measurable)' },
    { name: 'T_rectal_C', unit: 'degC', description: 'body core / rectum' },
    { name: 'T_plate_C', unit: 'degC', description: 'cold plate (TEC cold side)' },
    { name: 'T_sink_C', unit: 'degC', description: 'heat sink (TEC hot side)' },
    { name: 'T_probe_C', unit: 'degC', description: 'rectal thermistor (lagged)' },
  ];
  readonly inputs: readonly SignalInfo[] = [
    { name: 'I_tec_A', unit: 'A', description: 'Peltier current, positive cools the plate' },
    { name: 'display_T_brain_est_C', unit: 'degC', description: 'brain estimate shown by the device (no physical effect)' },
    { name: 'alarm_code', unit: '1', description: 'interlock flags shown by the device (no physical effect)' },
  ];
  readonly outputs: readonly SignalInfo[] = [
    { name: 'rectal_V', unit: 'V', description: 'rectal thermistor amplifier' },
    { name: 'plate_V', unit: 'V', description: 'plate thermistor amplifier' },
    { name: 'sink_V', unit: 'V', description: 'heat-sink thermistor amplifier' },
    { name: 'tec_V', unit: 'V', description: 'Peltier terminal voltage' },
    { name: 'Q_c_W', unit: 'W', description: 'heat pumped from the plate' },
  ];
  readonly tec: TecParams;

  /** A brain target the rectal channel can measure (its amplifier's span): outside it the loop cannot follow. */
  referenceRange(reference: string): readonly [number, number] | undefined {
    return reference === 'T_brain_ref_C' ? [this.p.rectal_V_lo_C, this.p.rectal_V_lo_C + this.p.rectal_V_span_C] : undefined;
  }

  constructor(readonly p: Readonly<HypothermiaParams>) {
    this.tec = tecFromDatasheet(p.tec_Imax_A, p.tec_Vmax_V, p.tec_dTmax_K, p.tec_Th_ref_C, p.tec_couples);
  }

  initialState(): Float64Array {
    const p = this.p;
    return Float64Array.of(p.T_B0_C, p.T_R0_C, p.T_P0_C, p.T_S0_C, p.T_R0_C);
  }

  /** The current the H-bridge actually delivers. */
  current(cmd: number): number {
    const p = this.p;
    return cmd > p.I_max_A ? p.I_max_A : cmd < p.I_min_A ? p.I_min_A : cmd;
  }

  derivatives(_t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void {
    const p = this.p;
    const TB = x[0];
    const TR = x[1];
    const TP = x[2];
    const TS = x[3];
    const I = this.current(u[0]);
    const perf = p.w_B_WpK * (TR - TB);
    const toPlate = p.G_BP_WpK * (TB - TP);
    dx[0] = (p.q_B_W + perf - toPlate - p.G_BA_WpK * (TB - p.T_amb_C)) / p.C_B_JpK;
    dx[1] = (p.q_R_W - perf - p.G_RA_WpK * (TR - p.T_amb_C)) / p.C_R_JpK;
    dx[2] = (toPlate + p.G_PA_WpK * (p.T_amb_C - TP) - tecQc(this.tec, I, TP, TS)) / p.C_P_JpK;
    dx[3] = (tecQh(this.tec, I, TP, TS) - (TS - p.T_amb_C) / p.R_SA_KpW) / p.C_S_JpK;
    dx[4] = (TR - x[4]) / p.rectal_lag_s;
  }

  measure(_t: number, x: Float64Array, u: Float64Array, y: Float64Array, noise: Rng): void {
    const p = this.p;
    const rectal = x[4] + p.rectal_noise_C * noise.gaussian();
    y[0] = (5 * (rectal - p.rectal_V_lo_C)) / p.rectal_V_span_C;
    y[1] = (5 * (x[2] - p.plate_V_lo_C)) / p.plate_V_span_C;
    y[2] = (5 * (x[3] - p.sink_V_lo_C)) / p.sink_V_span_C;
    const I = this.current(u[0]);
    y[3] = tecVoltage(this.tec, I, x[2], x[3]);
    y[4] = tecQc(this.tec, I, x[2], x[3]);
  }

  metricsRecorder(columns: readonly string[]): PlantMetricsRecorder {
    return new HypothermiaMetrics(columns, this.p.target_C, this.p.band_C);
  }


  extraPlots(run: PlotRun): object[] {
    return hypothermiaPlots(run, this.p.target_C, this.p.band_C);
  }
}
