/** PID gains in the parallel form the PID controller takes: u = kp·e + ki·∫e + kd·de/dt. */
export interface PidGains {
  readonly kp: number;
  readonly ki: number;
  readonly kd: number;
}

export interface TuningRule {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly gains: PidGains;
}

/** kp, Ti, Td → parallel gains. */
function fromIsa(kp: number, Ti: number, Td: number): PidGains {
  return { kp, ki: Ti > 0 && Number.isFinite(Ti) ? kp / Ti : 0, kd: kp * Td };
}

/** Rules from the ultimate gain Ku and period Pu (Ziegler–Nichols, Tyreus–Luyben). */
export function ultimateRules(Ku: number, Pu: number): TuningRule[] {
  return [
    { id: 'zn-pi', title: 'Ziegler–Nichols PI', source: 'Ziegler & Nichols 1942: kp = 0.45 Ku, Ti = Pu/1.2', gains: fromIsa(0.45 * Ku, Pu / 1.2, 0) },
    { id: 'zn-pid', title: 'Ziegler–Nichols PID', source: 'Ziegler & Nichols 1942: kp = 0.6 Ku, Ti = Pu/2, Td = Pu/8', gains: fromIsa(0.6 * Ku, Pu / 2, Pu / 8) },
    { id: 'tl-pi', title: 'Tyreus–Luyben PI', source: 'Tyreus & Luyben 1992: kp = Ku/3.2, Ti = 2.2 Pu', gains: fromIsa(Ku / 3.2, 2.2 * Pu, 0) },
    { id: 'tl-pid', title: 'Tyreus–Luyben PID', source: 'Tyreus & Luyben 1992: kp = Ku/2.2, Ti = 2.2 Pu, Td = Pu/6.3', gains: fromIsa(Ku / 2.2, 2.2 * Pu, Pu / 6.3) },
  ];
}

export interface Fopdt {
  readonly K: number;
  readonly tau_s: number;
  readonly theta_s: number;
}

/**
 * The FOPDT with static gain K through the measured frequency-response point
 * G(jω) = (1/Ku)·e^(jφ), ω = 2π/Pu:  τ = √((K·Ku)² − 1)/ω,  θ = (−φ − atan(ωτ))/ω.
 * Exact for an FOPDT plant whatever ω the relay settled at. Undefined when K·Ku ≤ 1 or θ < 0
 * (no lag-plus-delay model fits).
 */
export function fopdtFromPoint(K: number, Ku: number, Pu: number, phase_deg: number): Fopdt | undefined {
  const kk = Math.abs(K) * Ku;
  if (!Number.isFinite(kk) || kk <= 1) return undefined;
  const w = (2 * Math.PI) / Pu;
  let phi = (phase_deg * Math.PI) / 180;
  while (phi > 0) phi -= 2 * Math.PI;
  const tau = Math.sqrt(kk * kk - 1) / w;
  const theta = (-phi - Math.atan(w * tau)) / w;
  return theta >= 0 ? { K, tau_s: tau, theta_s: theta } : undefined;
}

/** Model-based robust rules on the FOPDT fit: SIMC PI (τc = θ) and AMIGO PI/PID. */
export function fopdtRules(m: Fopdt): TuningRule[] {
  const K = Math.abs(m.K);
  const T = m.tau_s;
  const L = m.theta_s;
  const tc = L;
  const simcKp = T / (K * (tc + L));
  const simcTi = Math.min(T, 4 * (tc + L));
  const amigoPiKp = (0.15 + (0.35 - (L * T) / ((L + T) * (L + T))) * (T / L)) / K;
  const amigoPiTi = 0.35 * L + (13 * L * T * T) / (T * T + 12 * L * T + 7 * L * L);
  const amigoPidKp = (0.2 + 0.45 * (T / L)) / K;
  const amigoPidTi = ((0.4 * L + 0.8 * T) / (L + 0.1 * T)) * L;
  const amigoPidTd = (0.5 * L * T) / (0.3 * L + T);
  return [
    { id: 'simc-pi', title: 'SIMC PI (τc = θ)', source: 'Skogestad 2003: kp = τ/(K(τc+θ)), Ti = min(τ, 4(τc+θ))', gains: fromIsa(simcKp, simcTi, 0) },
    { id: 'amigo-pi', title: 'AMIGO PI', source: 'Åström & Hägglund 2004/2006, AMIGO step-response rules on the FOPDT fit', gains: fromIsa(amigoPiKp, amigoPiTi, 0) },
    { id: 'amigo-pid', title: 'AMIGO PID', source: 'Åström & Hägglund 2004/2006, AMIGO step-response rules on the FOPDT fit', gains: fromIsa(amigoPidKp, amigoPidTi, amigoPidTd) },
  ];
}
