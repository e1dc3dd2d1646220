import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRelayExperiment } from '../../tuning/relay/experiment.ts';
import { fopdtRules, ultimateRules } from '../../tuning/relay/rules.ts';

const fixture = fileURLToPath(new URL('./fixtures/fopdt.json', import.meta.url));
// Relay about r = 0 (the fixture's step reference flattened), from rest.
const atRest = ['references.0.initial=0', 'references.0.final=0'];

// The fixture's plant: G(s) = K·e^(−θs)/(τs + 1), K = 2, τ = 1 s, θ = 0.3 s.
const K = 2, tau = 1, theta = 0.3;
// Analytic ultimate point (computed offline by bisection on atan(ωτ) + ωθ = π):
const wu = 5.804657313; // rad/s
const Pu = 1.082438630; // s, 2π/ωu
const Ku = 2.945082619; // √(1 + ωu²τ²)/K
// Exact ideal-relay limit cycle of an FOPDT (Åström & Hägglund 1984; derived in docs/tuning.md):
// period 2(θ + τ·ln(2 − e^(−θ/τ))), output amplitude K·d·(1 − e^(−θ/τ)).
const relayPeriod = 2 * (theta + tau * Math.log(2 - Math.exp(-theta / tau)));

describe('analytic reference values', () => {
  it('satisfy the ultimate-point equations', () => {
    expect(Math.atan(wu * tau) + wu * theta).toBeCloseTo(Math.PI, 8);
    expect((2 * Math.PI) / wu).toBeCloseTo(Pu, 8);
    expect(Math.sqrt(1 + wu * wu * tau * tau) / K).toBeCloseTo(Ku, 8);
  });
});

describe('relay experiment on the FOPDT plant', () => {
  const sym = runRelayExperiment({ scenario: fixture, baseSets: atRest, amplitude: 1, asymmetry: 0, duration: 12 });
  const asym = runRelayExperiment({ scenario: fixture, baseSets: atRest, amplitude: 1, asymmetry: 0.2, duration: 12 });

  it('settles into the exact relay limit cycle (period and amplitude within 0.5 %)', () => {
    expect(Math.abs(sym.estimate.Pu_s / relayPeriod - 1)).toBeLessThan(0.005);
    expect(Math.abs(sym.estimate.amplitude / (K * (1 - Math.exp(-theta / tau))) - 1)).toBeLessThan(0.005);
  });

  it('recovers Ku and Pu within 5 % of the analytic values (symmetric and asymmetric relay)', () => {
    for (const r of [sym, asym]) {
      expect(Math.abs(r.estimate.Pu_s / Pu - 1)).toBeLessThan(0.05);
      expect(Math.abs(r.estimate.Ku / Ku - 1)).toBeLessThan(0.05);
    }
  });

  it('shows why the plain describing-function gain is not used: it is more than 10 % low here', () => {
    expect(sym.estimate.Ku_df / Ku).toBeLessThan(0.9);
  });

  it('estimates the static gain and fits τ and θ from the asymmetric relay', () => {
    expect(Number.isNaN(sym.estimate.K)).toBe(true);
    expect(asym.estimate.K).toBeCloseTo(K, 2);
    expect(asym.fopdt!.tau_s).toBeCloseTo(tau, 1);
    expect(Math.abs(asym.fopdt!.theta_s / theta - 1)).toBeLessThan(0.03);
    expect(asym.rules.map((r) => r.id)).toEqual(['zn-pi', 'zn-pid', 'tl-pi', 'tl-pid', 'simc-pi', 'amigo-pi', 'amigo-pid']);
  });
});

describe('tuning rules', () => {
  it('Ziegler–Nichols and Tyreus–Luyben from Ku = 10, Pu = 2 s', () => {
    const byId = Object.fromEntries(ultimateRules(10, 2).map((r) => [r.id, r.gains]));
    expect(byId['zn-pid'].kp).toBeCloseTo(6, 12); // 0.6 Ku
    expect(byId['zn-pid'].ki).toBeCloseTo(6, 12); // kp/(Pu/2)
    expect(byId['zn-pid'].kd).toBeCloseTo(1.5, 12); // kp·Pu/8
    expect(byId['tl-pi'].kp).toBeCloseTo(3.125, 12); // Ku/3.2
    expect(byId['tl-pi'].ki).toBeCloseTo(3.125 / 4.4, 12); // Ti = 2.2 Pu
  });
  it('SIMC PI on K = 2, τ = 1, θ = 0.3 (Skogestad 2003 with τc = θ)', () => {
    const simc = fopdtRules({ K: 2, tau_s: 1, theta_s: 0.3 }).find((r) => r.id === 'simc-pi')!.gains;
    expect(simc.kp).toBeCloseTo(1 / (2 * 0.6), 12);
    expect(simc.ki).toBeCloseTo(1 / (2 * 0.6) / 1, 12); // Ti = min(τ, 4·0.6) = 1
  });
  it('AMIGO PI and PID on K = 1, τ = θ = 1 (Åström & Hägglund 2004; the same rules as the OpenModelica Buildings AMIGO blocks)', () => {
    const byId = Object.fromEntries(fopdtRules({ K: 1, tau_s: 1, theta_s: 1 }).map((r) => [r.id, r.gains]));
    // PI: K = 0.15 + (0.35 − 1/4)·1 = 0.25; Ti = 0.35 + 13/(1 + 12 + 7) = 1.
    expect(byId['amigo-pi'].kp).toBeCloseTo(0.25, 12);
    expect(byId['amigo-pi'].ki).toBeCloseTo(0.25, 12);
    // PID: K = 0.2 + 0.45 = 0.65; Ti = 1.2/1.1 = 12/11; Td = 0.5/1.3 = 5/13.
    expect(byId['amigo-pid'].kp).toBeCloseTo(0.65, 12);
    expect(byId['amigo-pid'].ki).toBeCloseTo(0.65 * (11 / 12), 12);
    expect(byId['amigo-pid'].kd).toBeCloseTo(0.65 * (5 / 13), 12);
  });
});
