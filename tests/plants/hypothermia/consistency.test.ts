import { describe, expect, it } from 'vitest';
import { Hypothermia, hypothermiaFactory, steadyState, tecFromDatasheet, tecQc, type HypothermiaParams } from '../../../plants/hypothermia/index.ts';

const P = hypothermiaFactory.defaults() as unknown as HypothermiaParams;
const line = (TR: number) => 1.695 * TR - 26.8;

/** Integrates the plant with a constant current until it settles (independent of the linear solve). */
function settle(p: HypothermiaParams, I: number, hours = 40): Float64Array {
  const plant = new Hypothermia(p);
  const x = plant.initialState();
  const u = Float64Array.of(I, 0, 0);
  const k = [0, 1, 2, 3].map(() => new Float64Array(x.length));
  const tmp = new Float64Array(x.length);
  const h = 2;
  for (let t = 0; t < hours * 3600; t += h) {
    plant.derivatives(t, x, u, k[0]);
    for (let i = 0; i < x.length; i++) tmp[i] = x[i] + (h / 2) * k[0][i];
    plant.derivatives(t, tmp, u, k[1]);
    for (let i = 0; i < x.length; i++) tmp[i] = x[i] + (h / 2) * k[1][i];
    plant.derivatives(t, tmp, u, k[2]);
    for (let i = 0; i < x.length; i++) tmp[i] = x[i] + h * k[2][i];
    plant.derivatives(t, tmp, u, k[3]);
    for (let i = 0; i < x.length; i++) x[i] += (h / 6) * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]);
  }
  return x;
}

describe('rat steady states (plants.md consistency test 8)', () => {
  it('every constant current settles on the seed line T_B = 1.695·T_R − 26.8 within 0.01 °C', () => {
    for (const I of [-1, 0, 0.3, 0.6, 1, 2, 3]) {
      const s = steadyState(P, I);
      expect(Math.abs(s.T_brain_C - line(s.T_rectal_C)), `I = ${I} A`).toBeLessThan(0.01);
    }
  });

  it('at 0.3 A: T_B = 33.11 ± 0.05 °C, T_R = 35.34, T_P = 15.4 (linear solve and time integration agree)', () => {
    const s = steadyState(P, 0.3);
    expect(s.T_brain_C).toBeCloseTo(33.11, 1);
    expect(Math.abs(s.T_brain_C - 33.11)).toBeLessThan(0.05);
    expect(Math.abs(s.T_rectal_C - 35.34)).toBeLessThan(0.05);
    expect(Math.abs(s.T_plate_C - 15.4)).toBeLessThan(0.1);
    const x = settle(P, 0.3);
    expect(Math.abs(x[0] - s.T_brain_C)).toBeLessThan(0.01);
    expect(Math.abs(x[1] - s.T_rectal_C)).toBeLessThan(0.01);
    expect(Math.abs(x[0] - line(x[1]))).toBeLessThan(0.01);
  });

  it('0.4 A holds the brain near the 32.5 °C target (T_R ≈ 35.0, T_P ≈ 13); 0.6 A gives 31.36 °C', () => {
    const s = steadyState(P, 0.4);
    expect(Math.abs(s.T_brain_C - 32.5)).toBeLessThan(0.05);
    expect(Math.abs(s.T_rectal_C - 35.0)).toBeLessThan(0.05);
    expect(Math.abs(s.T_plate_C - 13)).toBeLessThan(0.5);
    expect(Math.abs(steadyState(P, 0.6).T_brain_C - 31.36)).toBeLessThan(0.05);
  });
});

describe('rat energy balance (plants.md consistency test 9)', () => {
  it("q_R is within 10 % of Kleiber's 70·M^0.75 kcal/day for a 300 g rat (1.37 W)", () => {
    const kleiber_W = (70 * 0.3 ** 0.75 * 4184) / 86400;
    expect(kleiber_W).toBeCloseTo(1.374, 2);
    expect(Math.abs(P.q_R_W - kleiber_W) / kleiber_W).toBeLessThan(0.1);
  });

  it('device off (no plate, 0.009 W/K head loss): T_R = 37.80 °C, T_B = 37.27 °C', () => {
    const off = { ...P, G_BP_WpK: 0, G_BA_WpK: 0.009 };
    const s = steadyState(off, 0);
    expect(Math.abs(s.T_rectal_C - 37.8)).toBeLessThan(0.01);
    expect(Math.abs(s.T_brain_C - 37.27)).toBeLessThan(0.01);
    // the plant starts from this state
    expect(Math.abs(P.T_R0_C - s.T_rectal_C)).toBeLessThan(0.01);
  });
});

describe('Peltier module (plants.md consistency test 10)', () => {
  const tec = tecFromDatasheet(6.4, 14.4, 66, 25);

  it('datasheet conversions give S = 0.0483 V/K, R_e = 1.752 Ω, K = 0.544 W/K', () => {
    expect(tec.S_VpK).toBeCloseTo(0.0483, 4);
    expect(tec.Re_ohm).toBeCloseTo(1.752, 3);
    expect(tec.K_WpK).toBeCloseTo(0.544, 3);
  });

  it('Q_c(I = 0) = −K·ΔT', () => {
    for (const [Tc, Th] of [[10, 30], [22, 22], [5, 60]]) expect(tecQc(tec, 0, Tc, Th)).toBeCloseTo(-tec.K_WpK * (Th - Tc), 12);
  });

  it('the ΔTmax current S·T_c/R_e is 6.4 A at T_c = 232 K, and there Q_c = 0 at ΔT = 66 K', () => {
    expect(Math.abs((tec.S_VpK * 232) / tec.Re_ohm - 6.4)).toBeLessThan(0.01);
    const Tc_C = 25 - 66;
    expect(Math.abs(tecQc(tec, 6.4, Tc_C, 25))).toBeLessThan(0.01);
  });
});
