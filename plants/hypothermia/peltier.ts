/**
 * Peltier module (TEC) equations [L]: heat pumped from the cold side and released at the hot side,
 *   Q_c = S·I·T_c − ½·I²·R_e − K·(T_h − T_c),   Q_h = S·I·T_h + ½·I²·R_e − K·(T_h − T_c)
 * with temperatures in kelvin. Parameters from the datasheet's maxima by the usual conversions:
 *   S = Vmax/T_h,  R_e = (T_h − ΔTmax)·Vmax/(Imax·T_h),  K = (T_h − ΔTmax)·Vmax·Imax/(2·T_h·ΔTmax)
 * For TEC1-12706 (6.4 A, 14.4 V, 66 K at 25 °C): S = 0.0483 V/K, R_e = 1.752 Ω, K = 0.544 W/K [C].
 */
export const KELVIN = 273.15;

export interface TecParams {
  readonly S_VpK: number;
  readonly Re_ohm: number;
  readonly K_WpK: number;
}

export function tecFromDatasheet(Imax_A: number, Vmax_V: number, dTmax_K: number, Th_C: number, couples = 127): TecParams {
  const Th = Th_C + KELVIN;
  const scale = couples / 127;
  return {
    S_VpK: (Vmax_V / Th) * scale,
    Re_ohm: (((Th - dTmax_K) * Vmax_V) / (Imax_A * Th)) * scale,
    K_WpK: ((Th - dTmax_K) * Vmax_V * Imax_A) / (2 * Th * dTmax_K) * scale,
  };
}

/** Heat absorbed at the cold side (W). Temperatures in °C. */
export function tecQc(p: TecParams, I_A: number, Tc_C: number, Th_C: number): number {
  return p.S_VpK * I_A * (Tc_C + KELVIN) - 0.5 * I_A * I_A * p.Re_ohm - p.K_WpK * (Th_C - Tc_C);
}

/** Heat released at the hot side (W). */
export function tecQh(p: TecParams, I_A: number, Tc_C: number, Th_C: number): number {
  return p.S_VpK * I_A * (Th_C + KELVIN) + 0.5 * I_A * I_A * p.Re_ohm - p.K_WpK * (Th_C - Tc_C);
}

/** Terminal voltage (V): Seebeck back-EMF plus resistive drop. */
export function tecVoltage(p: TecParams, I_A: number, Tc_C: number, Th_C: number): number {
  return p.S_VpK * (Th_C - Tc_C) + I_A * p.Re_ohm;
}
