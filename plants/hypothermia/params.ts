import type { ParamDoc } from '../plant.ts';

/**
 * Rat-brain hypothermia parameters (plants.md §3). Tags: [S] Demirel & Erkal 2009 (seed),
 * [L] public reference, [R] reconstruction, [C] computed. Derivations: docs/plants/hypothermia.md.
 */
const T_amb_C = 22;
const w_B = 0.1267;
// [C] The core equation alone fixes every steady state: T_B = (1 + G_RA/w_B)·T_R − (q_R + G_RA·T_amb)/w_B.
// G_RA = 0.695·w_B and q_R = 26.8·w_B − G_RA·T_amb put all of them on the seed's line T_B = 1.695·T_R − 26.8.
const G_RA = 0.695 * w_B;
const q_R = 26.8 * w_B - G_RA * T_amb_C;

export const hypothermiaDefaults: Readonly<Record<string, ParamDoc>> = {
  T_amb_C: { value: T_amb_C, unit: 'degC', source: '[R] room temperature', range: [-20, 50] },
  C_B_JpK: { value: 7.26, unit: 'J/K', source: '[L] 2.0 g brain × 3.63 J/(g·K), typical', range: [0.1, 1e3] },
  q_B_W: { value: 0.07, unit: 'W', source: '[R] ≈ 4.6 µmol O2/(g·min)', range: [0, 10] },
  w_B_WpK: { value: w_B, unit: 'W/K', source: '[C] 1.0 mL/(g·min) cerebral blood flow × 2 g × 3.8 J/(mL·K)', range: [0, 10] },
  G_RA_WpK: { value: G_RA, unit: 'W/K', source: '[C] 0.695·w_B (puts steady states on the seed line)', range: [0, 10] },
  q_R_W: { value: q_R, unit: 'W', source: '[C] 26.8·w_B − G_RA·T_amb = 1.458 W (Kleiber: 1.374 W for 300 g)', range: [0, 100] },
  C_R_JpK: { value: 1034, unit: 'J/K', source: '[R] 298 g × 3.47 J/(g·K)', range: [1, 1e5] },
  G_BP_WpK: { value: 0.02, unit: 'W/K', source: '[R] scalp + skull under a 2 cm² plate', range: [0, 10] },
  G_BA_WpK: { value: 0, unit: 'W/K', source: '[C] brain → ambient head loss; 0.009 W/K with the device off', range: [0, 10] },
  C_P_JpK: { value: 10, unit: 'J/K', source: '[R] cold plate', range: [0.1, 1e4] },
  G_PA_WpK: { value: 0.002, unit: 'W/K', source: '[R] plate → ambient', range: [0, 10] },
  C_S_JpK: { value: 90, unit: 'J/K', source: '[R] heat sink', range: [0.1, 1e5] },
  R_SA_KpW: { value: 0.5, unit: 'K/W', source: '[R] heat sink → ambient', range: [1e-3, 100] },
  tec_Imax_A: { value: 6.4, unit: 'A', source: '[L] TEC1-12706 datasheet (typical)', range: [0.1, 100] },
  tec_Vmax_V: { value: 14.4, unit: 'V', source: '[L] TEC1-12706 datasheet', range: [0.1, 100] },
  tec_dTmax_K: { value: 66, unit: 'K', source: '[L] TEC1-12706 datasheet, hot side 25 °C', range: [1, 150] },
  tec_Th_ref_C: { value: 25, unit: 'degC', source: '[L] datasheet hot-side temperature', range: [-20, 100] },
  tec_couples: { value: 127, unit: '1', source: '[L] TEC1-12706; S and R_e scale with N/127', range: [1, 1000] },
  I_min_A: { value: -2, unit: 'A', source: '[R] H-bridge limit, heating direction', range: [-100, 0] },
  I_max_A: { value: 5.1, unit: 'A', source: '[R] H-bridge limit, cooling direction (0.8·Imax)', range: [0, 100] },
  rectal_lag_s: { value: 5, unit: 's', source: '[R] thermistor time constant', range: [0, 600] },
  rectal_noise_C: { value: 0.05, unit: 'degC', source: '[R] thermistor noise σ', range: [0, 5] },
  rectal_V_lo_C: { value: 25, unit: 'degC', source: '[R] rectal amplifier: 25–45 °C → 0–5 V', range: [-50, 100] },
  rectal_V_span_C: { value: 20, unit: 'degC', source: '[R]', range: [0.1, 200] },
  plate_V_lo_C: { value: -10, unit: 'degC', source: '[R] plate amplifier: −10–40 °C → 0–5 V', range: [-50, 100] },
  plate_V_span_C: { value: 50, unit: 'degC', source: '[R]', range: [0.1, 200] },
  sink_V_lo_C: { value: 0, unit: 'degC', source: '[R] sink amplifier: 0–100 °C → 0–5 V', range: [-50, 150] },
  sink_V_span_C: { value: 100, unit: 'degC', source: '[R]', range: [0.1, 300] },
  T_B0_C: { value: 37.27, unit: 'degC', source: '[C] device-off steady state (head loss 0.009 W/K)', range: [0, 45] },
  T_R0_C: { value: 37.8, unit: 'degC', source: '[C] device-off steady state', range: [0, 45] },
  T_P0_C: { value: T_amb_C, unit: 'degC', source: '[R] plate starts at room temperature', range: [-20, 60] },
  T_S0_C: { value: T_amb_C, unit: 'degC', source: '[R] sink starts at room temperature', range: [-20, 100] },
  target_C: { value: 32.5, unit: 'degC', source: '[R] evaluation: brain target (metrics only)', range: [0, 45] },
  band_C: { value: 0.5, unit: 'degC', source: '[R] evaluation: half-width of the target band (metrics only)', range: [0, 10] },
};
