import type { ParamDoc } from '../plant.ts';

/**
 * Maglev parameter sets. Tags: [S] seed paper (Erkal 2009), [L] public reference,
 * [R] reconstruction, [C] computed. Full derivations: docs/plants/maglev.md.
 */
export const maglevSetA: Readonly<Record<string, ParamDoc>> = {
  m_kg: { value: 0.009, unit: 'kg', source: '[S] ball mass 9 g', range: [1e-4, 1] },
  a_m: { value: 0.004, unit: 'm', source: '[S] inductance length constant 4 mm', range: [1e-6, 0.1] },
  // [R] The printed L0 = 5.108 mH cannot give the stated 95.5 mA at 8 mm (it gives 1.116 A);
  // L0 = 2mga(1 + x/a)²/I² with x = 8 mm, I = 95.5 mA restores the seed's holding current.
  L0_H: { value: 0.697, unit: 'H', source: '[R] solved from the seed holding current 95.5 mA at 8 mm', range: [1e-6, 100] },
  L1_H: { value: 0.4125, unit: 'H', source: '[R] coil inductance borrowed from the Quanser MAGLEV', range: [1e-4, 100] },
  R_ohm: { value: 11, unit: 'ohm', source: '[R] coil + sense resistance borrowed from the Quanser MAGLEV', range: [0.01, 1000] },
  g_mps2: { value: 9.81, unit: 'm/s^2', source: '[S]', range: [0, 30] },
  kv_Nspm: { value: 0, unit: 'N*s/m', source: '[R] viscous damping, off by default', range: [0, 10] },
  x_max_m: { value: 0.015, unit: 'm', source: '[R] floor stop at 15 mm', range: [1e-3, 0.1] },
  x0_m: { value: 0.0085, unit: 'm', source: '[R] initial gap (offset start 0.5 mm below the setpoint)', range: [0, 0.1] },
  v0_mps: { value: 0, unit: 'm/s', source: '[R] initial velocity', range: [-10, 10] },
  i0_A: { value: 0.0955, unit: 'A', source: '[S] initial coil current (voltage-input mode only)', range: [-10, 10] },
  gap_sensor_V_per_m: { value: 5 / 0.015, unit: 'V/m', source: '[R] linear gap sensor, 0–5 V over 0–15 mm', range: [1, 1e5] },
  gap_sensor_noise_V: { value: 0, unit: 'V', source: '[R] Gaussian noise of the gap sensor (σ)', range: [0, 5] },
  optical_full_scale_V: { value: 9, unit: 'V', source: '[S] phototransistor outputs 0–9 V', range: [0.1, 50] },
  optical_h1_m: { value: 0.01175, unit: 'm', source: '[R] beam edge of detector 1', range: [0, 0.1] },
  optical_D_m: { value: 0.01, unit: 'm', source: '[R] shadow width', range: [1e-4, 0.1] },
  optical_w_m: { value: 0.0004, unit: 'm', source: '[R] edge softness', range: [1e-6, 0.01] },
  optical_spacing_m: { value: 0.0025, unit: 'm', source: '[S] detectors 2.5 mm apart', range: [1e-4, 0.05] },
  optical_noise_V: { value: 0.02, unit: 'V', source: '[R] Gaussian noise on each detector (σ)', range: [0, 5] },
};

/**
 * Quanser MAGLEV teaching rig (user manual, [L]): F = Km·i²/(2·x²), Km = 6.5308e-5 N·m²/A²,
 * ball 68 g, coil 0.4125 H / 10 Ω plus a 1 Ω sense resistor. Expressed in the same force law as
 * set A with a tiny length constant a (F = L0·a·i²/(2(a + x)²), so L0·a = Km): the 10 µm offset
 * changes the holding current by under 0.2 % at 6 mm.
 */
export const maglevSetQuanser: Readonly<Record<string, ParamDoc>> = withRangesOf(maglevSetA, {
  ...maglevSetA,
  m_kg: { value: 0.068, unit: 'kg', source: '[L] Quanser ball mass' },
  a_m: { value: 1e-5, unit: 'm', source: '[R] small offset so F ≈ Km·i²/(2x²)' },
  L0_H: { value: 6.5308e-5 / 1e-5, unit: 'H', source: '[L] Km / a with Km = 6.5308e-5 N·m²/A²' },
  L1_H: { value: 0.4125, unit: 'H', source: '[L] Quanser coil inductance' },
  R_ohm: { value: 11, unit: 'ohm', source: '[L] coil 10 Ω + sense 1 Ω' },
  x_max_m: { value: 0.014, unit: 'm', source: '[L] ball travel 14 mm' },
  x0_m: { value: 0.0065, unit: 'm', source: '[R]' },
  i0_A: { value: 0.858, unit: 'A', source: '[L] equilibrium current at 6 mm' },
  gap_sensor_V_per_m: { value: 5 / 0.014, unit: 'V/m', source: '[L] 0–5 V over the travel' },
});

/** The set with each parameter's plausible range taken from `base` where it states none. */
function withRangesOf(base: Readonly<Record<string, ParamDoc>>, set: Record<string, ParamDoc>): Readonly<Record<string, ParamDoc>> {
  return Object.fromEntries(Object.entries(set).map(([k, d]) => [k, d.range || !base[k]?.range ? d : { ...d, range: base[k].range }]));
}

export const maglevParameterSets: Readonly<Record<string, Readonly<Record<string, ParamDoc>>>> = {
  A: maglevSetA,
  quanser: maglevSetQuanser,
};
