import type { HeadlineMetric, Plant, PlantMetricsRecorder, Rng, SignalInfo } from '../plant.ts';
import { opticalDetector, type OpticalGeometry } from './optical-sensor.ts';

export type MaglevInputMode = 'current' | 'voltage';

export interface MaglevParams {
  m_kg: number;
  a_m: number;
  L0_H: number;
  L1_H: number;
  R_ohm: number;
  g_mps2: number;
  kv_Nspm: number;
  x_max_m: number;
  x0_m: number;
  v0_mps: number;
  i0_A: number;
  gap_sensor_V_per_m: number;
  gap_sensor_noise_V: number;
  optical_full_scale_V: number;
  optical_h1_m: number;
  optical_D_m: number;
  optical_w_m: number;
  optical_spacing_m: number;
  optical_noise_V: number;
}

/**
 * Steel ball under an electromagnet (Khalil, Nonlinear Systems, Ex. 1.18; seed: Erkal 2009).
 * x is the gap from the magnet face, positive downward.
 *   L(x) = L1 + L0/(1 + x/a),  F = L0·i²/(2a(1 + x/a)²) upward
 *   m·ẍ = m·g − F − kv·ẋ
 * Current mode: the coil current is the input (the seed's choice).
 * Voltage mode: L(x)·di/dt = u − R·i + L0·a·i·ẋ/(a + x)².
 * Mechanical stops at 0 (magnet face) and x_max (floor), both inelastic.
 */
export class Maglev implements Plant {
  /** The summary's plant line (metricsRecorder below computes them). */
  readonly headlineMetrics: readonly HeadlineMetric[] = [
    { key: 'x_min_m', label: 'gap min' },
    { key: 'x_max_m', label: 'gap max' },
    { key: 'magnet_contact_samples', label: 'samples at the magnet' },
    { key: 'floor_contact_samples', label: 'samples on the floor' },
  ];
  /** The gap setpoint lies between the magnet face and the floor stop. */
  referenceRange(reference: string): readonly [number, number] | undefined {
    return reference === 'x_ref_m' ? [0, this.p.x_max_m] : undefined;
  }
  readonly states: readonly SignalInfo[];
  readonly inputs: readonly SignalInfo[];
  readonly outputs: readonly SignalInfo[] = [
    { name: 'x_sensor_V', unit: 'V', description: 'linear gap sensor' },
    { name: 'op1_V', unit: 'V', description: 'optical detector 1 (farthest from the coil)' },
    { name: 'op2_V', unit: 'V', description: 'optical detector 2' },
    { name: 'op3_V', unit: 'V', description: 'optical detector 3 (nearest the coil)' },
  ];
  private readonly optical: OpticalGeometry;
  // Parameters copied into plain fields: the hot loop reads these, not the (dictionary-like) params object.
  private readonly voltageMode: boolean;
  private readonly a: number;
  private readonly L0: number;
  private readonly L1: number;
  private readonly R: number;
  private readonly g: number;
  private readonly xMax: number;
  private readonly gapGain: number;
  private readonly gapNoise: number;
  private readonly spacing: number;
  private readonly opticalNoise: number;
  // Constants of the force law and the mechanics, so a derivative costs one division.
  private readonly invA: number;
  private readonly halfL0OverA: number;
  private readonly invM: number;
  private readonly kvOverM: number;

  constructor(
    readonly p: Readonly<MaglevParams>,
    readonly mode: MaglevInputMode = 'current',
  ) {
    const mech: SignalInfo[] = [
      { name: 'x_m', unit: 'm', description: 'gap from the magnet face, positive down' },
      { name: 'v_mps', unit: 'm/s', description: 'ball velocity, positive down' },
    ];
    this.states = mode === 'voltage' ? [...mech, { name: 'i_A', unit: 'A', description: 'coil current' }] : mech;
    this.inputs =
      mode === 'voltage'
        ? [{ name: 'u_V', unit: 'V', description: 'coil voltage' }]
        : [{ name: 'i_A', unit: 'A', description: 'coil current' }];
    this.optical = { fullScale_V: p.optical_full_scale_V, h1_m: p.optical_h1_m, D_m: p.optical_D_m, w_m: p.optical_w_m };
    this.voltageMode = mode === 'voltage';
    this.a = p.a_m;
    this.L0 = p.L0_H;
    this.L1 = p.L1_H;
    this.R = p.R_ohm;
    this.g = p.g_mps2;
    this.xMax = p.x_max_m;
    this.gapGain = p.gap_sensor_V_per_m;
    this.gapNoise = p.gap_sensor_noise_V;
    this.spacing = p.optical_spacing_m;
    this.opticalNoise = p.optical_noise_V;
    this.invA = 1 / p.a_m;
    this.halfL0OverA = p.L0_H / (2 * p.a_m);
    this.invM = 1 / p.m_kg;
    this.kvOverM = p.kv_Nspm / p.m_kg;
  }

  initialState(): Float64Array {
    const { x0_m, v0_mps, i0_A } = this.p;
    return this.mode === 'voltage' ? Float64Array.of(x0_m, v0_mps, i0_A) : Float64Array.of(x0_m, v0_mps);
  }

  /** Magnetic force (N, upward) at gap x and current i. */
  force(x: number, i: number): number {
    const s = 1 + x * this.invA;
    return (this.halfL0OverA * i * i) / (s * s);
  }

  inductance(x: number): number {
    return this.L1 + this.L0 / (1 + x / this.a);
  }

  /** Current that holds the ball at gap x: I_eq(x) = (1 + x/a)·sqrt(2mga/L0) (seed eq. 2, reconstructed). */
  holdingCurrent(x: number): number {
    const { m_kg, g_mps2, a_m, L0_H } = this.p;
    return (1 + x / a_m) * Math.sqrt((2 * m_kg * g_mps2 * a_m) / L0_H);
  }

  derivatives(_t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void {
    // The force law is evaluated inside the stops so intermediate RK4 stages cannot leave its domain.
    const gap = x[0] < 0 ? 0 : x[0] > this.xMax ? this.xMax : x[0];
    // At a stop the ball cannot move further into it (an RK4 stage may still carry that velocity):
    // the stop takes it, also out of the back-EMF term, whose 1/(a + gap)² is largest exactly there.
    const atMagnet = x[0] <= 0 && x[1] < 0;
    const atFloor = x[0] >= this.xMax && x[1] > 0;
    const v = atMagnet || atFloor ? 0 : x[1];
    const i = this.voltageMode ? x[2] : u[0];
    dx[0] = v;
    let acc = this.g - this.force(gap, i) * this.invM - this.kvOverM * v;
    // Pressed against a stop, the contact force cancels the push into it.
    if ((x[0] <= 0 && acc < 0) || (x[0] >= this.xMax && acc > 0)) acc = 0;
    dx[1] = acc;
    if (this.voltageMode) {
      const ag = this.a + gap;
      dx[2] = (u[0] - this.R * i + (this.L0 * this.a * i * v) / (ag * ag)) / this.inductance(gap);
    }
  }

  constrain(_t: number, x: Float64Array): void {
    if (x[0] <= 0) {
      x[0] = 0;
      if (x[1] < 0) x[1] = 0;
    } else if (x[0] >= this.xMax) {
      x[0] = this.xMax;
      if (x[1] > 0) x[1] = 0;
    }
  }

  measure(_t: number, x: Float64Array, _u: Float64Array, y: Float64Array, noise: Rng): void {
    const gap = x[0];
    y[0] = gap * this.gapGain + (this.gapNoise > 0 ? this.gapNoise * noise.gaussian() : 0);
    for (let k = 0; k < 3; k++) {
      const v = opticalDetector(this.optical, gap + k * this.spacing);
      y[1 + k] = this.opticalNoise > 0 ? v + this.opticalNoise * noise.gaussian() : v;
    }
  }

  /** Linearisation about the equilibrium at gap x: ẍ ≈ a_x·δx − b_i·δi. */
  linearize(x: number): { i_eq_A: number; dFdx_Npm: number; dFdi_NpA: number; pole_radps: number } {
    const i = this.holdingCurrent(x);
    const { a_m, m_kg } = this.p;
    const F = this.force(x, i);
    const dFdx = (2 * F) / (a_m + x); // |dF/dx|, force falls with gap
    const dFdi = (2 * F) / i;
    return { i_eq_A: i, dFdx_Npm: dFdx, dFdi_NpA: dFdi, pole_radps: Math.sqrt(dFdx / m_kg) };
  }

  metricsRecorder(columns: readonly string[]): PlantMetricsRecorder {
    return new MaglevMetrics(columns.indexOf('x_m'), this.p.x_max_m);
  }

}

/** Gap range and contact counts (samples at the magnet, gap ≤ 0; on the floor, gap ≥ x_max). */
class MaglevMetrics implements PlantMetricsRecorder {
  private rows = 0;
  private min = Infinity;
  private max = -Infinity;
  private magnet = 0;
  private floor = 0;

  constructor(
    private readonly ix: number,
    private readonly xMax: number,
  ) {}

  write(row: Float64Array): void {
    if (this.ix < 0) return;
    const v = row[this.ix];
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v <= 0) this.magnet++;
    if (v >= this.xMax) this.floor++;
    this.rows++;
  }

  result(): Record<string, number> {
    if (this.rows === 0) return {};
    return { x_min_m: this.min, x_max_m: this.max, magnet_contact_samples: this.magnet, floor_contact_samples: this.floor };
  }
}
