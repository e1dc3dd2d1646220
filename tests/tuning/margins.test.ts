import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { evaluateScenario } from '../../tuning/evaluate.ts';
import { discretize, expm, linearModel } from '../../tuning/linear-model.ts';
import { marginsOf, stabilityMargins } from '../../tuning/margins.ts';

describe('linear model helpers', () => {
  it('expm of a rotation generator is the rotation matrix', () => {
    const E = expm(new Matrix([[0, -2], [2, 0]]));
    expect(E.get(0, 0)).toBeCloseTo(Math.cos(2), 12);
    expect(E.get(1, 0)).toBeCloseTo(Math.sin(2), 12);
  });
  it('ZOH of a first-order lag: ad = e^(−h/τ), bd = K(1 − ad)', () => {
    const { Ad, Bd } = discretize(new Matrix([[-1 / 0.5]]), new Matrix([[3 / 0.5]]), 0.1);
    expect(Ad.get(0, 0)).toBeCloseTo(Math.exp(-0.2), 12);
    expect(Bd.get(0, 0)).toBeCloseTo(3 * (1 - Math.exp(-0.2)), 12);
  });
  it('maglev model: open-loop pole √(2g/(a+x)) (plants.md) and a measurement gain of 1 m/m', () => {
    const m = linearModel(buildRun(loadScenario('maglev')))!;
    const pole = Math.sqrt(m.A.get(1, 0));
    expect(pole).toBeCloseTo(Math.sqrt((2 * 9.81) / (0.004 + 0.008)), 6);
    // Gap sensor 5 V / 15 mm, calibration gain 0.003 m/V: 1.0 m per m.
    expect(m.C.get(0, 0)).toBeCloseTo((5 / 0.015) * 0.003, 6);
  });
});

describe('gain margin of a P loop on a first-order plant (closed form)', () => {
  // y' = ad·y − bd·kp·y is unstable once ad − bd·kp < −1: kp_max = (1 + ad)/bd.
  it('upper margin = (1 + ad)/(bd·kp)', () => {
    const tau = 0.5, K = 3, h = 0.1, kp = 2;
    const ad = Math.exp(-h / tau);
    const bd = K * (1 - ad);
    const model = { A: new Matrix([[-1 / tau]]), B: new Matrix([[K / tau]]), C: new Matrix([[1]]), point: {}, source: 'test' };
    const m = marginsOf(model, { kp, ki: 0, kd: 0, Tf: 0, sign: 1, integration: 'forward' }, h, false);
    expect(m.stable).toBe(true);
    expect(m.gainMarginUpper).toBeCloseTo((1 + ad) / (bd * kp), 6);
    expect(Number.isNaN(m.gainMarginLower)).toBe(true); // stable down to zero gain
    // One-period delay: z² − ad·z + bd·kp·k = 0 has complex roots of modulus √(bd·kp·k) there,
    // so it loses stability at bd·kp·k = 1 (kp = 2 would already be unstable: 1/(bd·2) < 1).
    const d = marginsOf(model, { kp: 1, ki: 0, kd: 0, Tf: 0, sign: 1, integration: 'forward' }, h, true);
    expect(d.gainMarginUpper).toBeCloseTo(1 / bd, 6);
    expect(marginsOf(model, { kp, ki: 0, kd: 0, Tf: 0, sign: 1, integration: 'forward' }, h, true).stable).toBe(false);
  });
});

describe('maglev PID margins agree with the nonlinear simulation', () => {
  const base = loadScenario('maglev').scenario.controller as Record<string, number>;
  const m = stabilityMargins(buildRun(loadScenario('maglev')))!;
  const scaled = (k: number): string[] => ['kp', 'ki', 'kd'].map((g) => `controller.${g}=${base[g] * k}`);
  const run = (k: number) => evaluateScenario('maglev', scaled(k)).metrics;
  // Too little gain: the ball falls to a stop and never settles. Too much: the linear loop is
  // unstable, and in the simulation that shows as a limit cycle riding the current limits.
  const settles = (k: number): boolean => {
    const r = run(k);
    return r.status === 'completed' && r.settling_time_s !== null && r.magnet_contact_samples === 0 && r.floor_contact_samples === 0;
  };
  const saturated_s = (k: number): number => run(k).saturation_time_s as number;
  it('the default loop is stable with a lower and an upper gain margin', () => {
    expect(m.stable).toBe(true);
    expect(m.gainMarginLower).toBeGreaterThan(0.05);
    expect(m.gainMarginLower).toBeLessThan(1);
    expect(m.gainMarginUpper).toBeGreaterThan(1);
    expect(m.phaseMargin_deg).toBeGreaterThan(0);
  });
  it('scaling all gains inside the margins settles, outside does not', () => {
    expect(settles(m.gainMarginLower * 1.3)).toBe(true);
    expect(settles(m.gainMarginLower * 0.7)).toBe(false);
    expect(settles(m.gainMarginUpper * 0.7)).toBe(true);
    expect(saturated_s(m.gainMarginUpper * 0.7)).toBeLessThan(0.05); // of a 2 s run
    expect(saturated_s(m.gainMarginUpper * 1.3)).toBeGreaterThan(0.3);
  });
});
