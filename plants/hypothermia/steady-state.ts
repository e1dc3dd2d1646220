import { Matrix, solve } from 'ml-matrix';
import type { HypothermiaParams } from './hypothermia-plant.ts';
import { KELVIN, tecFromDatasheet } from './peltier.ts';

export interface SteadyState {
  readonly T_brain_C: number;
  readonly T_rectal_C: number;
  readonly T_plate_C: number;
  readonly T_sink_C: number;
}

/**
 * Steady state for a constant current. For fixed I every node equation is linear in the
 * temperatures (the Seebeck terms S·I·T are linear in T), so it is one 4×4 linear solve.
 */
export function steadyState(p: Readonly<HypothermiaParams>, I_A: number): SteadyState {
  const tec = tecFromDatasheet(p.tec_Imax_A, p.tec_Vmax_V, p.tec_dTmax_K, p.tec_Th_ref_C, p.tec_couples);
  const { S_VpK: S, Re_ohm: R, K_WpK: K } = tec;
  const Ta = p.T_amb_C;
  // Unknowns [T_B, T_R, T_P, T_S]; rows are the node balances written as A·T = b.
  const A = new Matrix([
    [-(p.w_B_WpK + p.G_BP_WpK + p.G_BA_WpK), p.w_B_WpK, p.G_BP_WpK, 0],
    [p.w_B_WpK, -(p.w_B_WpK + p.G_RA_WpK), 0, 0],
    [p.G_BP_WpK, 0, -(p.G_BP_WpK + p.G_PA_WpK) - S * I_A - K, K],
    [0, 0, K, S * I_A - K - 1 / p.R_SA_KpW],
  ]);
  const b = Matrix.columnVector([
    -p.q_B_W - p.G_BA_WpK * Ta,
    -p.q_R_W - p.G_RA_WpK * Ta,
    -p.G_PA_WpK * Ta + S * I_A * KELVIN - 0.5 * I_A * I_A * R,
    -Ta / p.R_SA_KpW - S * I_A * KELVIN - 0.5 * I_A * I_A * R,
  ]);
  const x = solve(A, b);
  return { T_brain_C: x.get(0, 0), T_rectal_C: x.get(1, 0), T_plate_C: x.get(2, 0), T_sink_C: x.get(3, 0) };
}
