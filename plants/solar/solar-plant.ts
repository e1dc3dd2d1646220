import type { HeadlineMetric, Plant, PlantMetricsRecorder, PlotRun, Rng, SignalInfo } from '../plant.ts';
import { CloudTimeline } from './clouds.ts';
import { DEG, beamOptimalAngle, cosIncidence, planeOfArray } from './geometry.ts';
import { lightSensorVolts } from './light-sensor.ts';
import { SunTable, clearSkyDni } from './sun.ts';
import { solarPlots } from './plots.ts';

export interface SolarParams {
  lat_deg: number;
  lon_deg: number;
  utc_offset_h: number;
  solar_constant_Wpm2: number;
  diffuse_fraction: number;
  albedo: number;
  panel_area_m2: number;
  panel_efficiency: number;
  steps_per_rev: number;
  gear_ratio: number;
  step_rate_max_sps: number;
  step_energy_J: number;
  rho0_deg: number;
  sensor_dither_lsb: number;
  S1_gain: number;
  S2_gain: number;
  S3_gain: number;
  cloud_mean_clear_h: number;
  cloud_mean_cloudy_h: number;
  cloud_dni_min: number;
  cloud_dni_max: number;
  cloud_dhi_factor: number;
  cloud_seed: number;
}

export type SolarAxis = 'horizontal' | 'polar';

export interface SolarOptions {
  /** Local calendar date 'YYYY-MM-DD'; t = 0 is local midnight of that date. */
  readonly date: string;
  readonly axis: SolarAxis;
}

/** The five positions Konum0–4 [S] and the fixed sensor angles S1–S3 [S]. */
export const POSITIONS_DEG = [0, 45, 90, 135, 180] as const;
export const SENSOR_ANGLES_DEG = [45, 90, 135] as const;
/** Angle of the fixed reference panel (flat when the axis is horizontal). */
export const FIXED_PANEL_DEG = 90;

const SUN = 5; // scratch layout: e, n, u, alt, az

/**
 * Single-axis solar tracker (Odabaş et al. 2009, PIC16F877): sun from suncalc, clear-sky
 * irradiance with an optional two-state cloud process, three fixed light sensors 45° apart, a
 * stepper through a gear with a rate limit and mechanical stops at 0° and 180°.
 *
 * States integrate, besides the motor position, the energy of the tracked panel, the stepper's
 * energy, and three references under the same sky: a fixed panel at 90°, continuous beam-optimal
 * tracking and the ideal five-position tracker (best position at every instant, no motor cost).
 * Inputs: the stepper rate command and the LCD's position index (display only, recorded so the
 * controller's decision appears in run.csv).
 */
export class SolarTracker implements Plant {
  /** The summary's plant line (SolarEnergyMetrics below computes them). */
  readonly headlineMetrics: readonly HeadlineMetric[] = [
    { key: 'gain_vs_fixed', label: 'gain vs fixed panel', unit: '×' },
    { key: 'E_net_Wh', label: 'net energy' },
    { key: 'E_fixed_Wh', label: 'fixed panel' },
    { key: 'position_changes', label: 'position changes' },
  ];
  readonly states: readonly SignalInfo[] = [
    { name: 'motor_steps', unit: 'steps', description: 'stepper position from the home switch at 0°' },
    { name: 'E_panel_J', unit: 'J', description: 'energy of the tracked panel' },
    { name: 'E_stepper_J', unit: 'J', description: 'energy spent by the stepper' },
    { name: 'E_fixed_J', unit: 'J', description: 'reference: fixed panel at 90°' },
    { name: 'E_continuous_J', unit: 'J', description: 'reference: continuous beam-optimal tracking' },
    { name: 'E_ideal5_J', unit: 'J', description: 'reference: best of the five positions at every instant' },
  ];
  readonly inputs: readonly SignalInfo[] = [
    { name: 'step_rate_sps', unit: 'steps/s', description: 'stepper rate command (signed)' },
    { name: 'lcd_position', unit: '1', description: 'position index 0–4 shown on the LCD (no physical effect)' },
  ];
  readonly outputs: readonly SignalInfo[] = [
    { name: 'S1_V', unit: 'V', description: 'light sensor at 45°' },
    { name: 'S2_V', unit: 'V', description: 'light sensor at 90°' },
    { name: 'S3_V', unit: 'V', description: 'light sensor at 135°' },
    { name: 'step_count', unit: 'steps', description: 'steps from home (the firmware\'s own count; no missed steps)' },
    { name: 'panel_deg', unit: 'deg', description: 'panel angle from the east horizon' },
    { name: 'sun_alt_deg', unit: 'deg', description: 'solar altitude (evaluation only)' },
    { name: 'sun_az_deg', unit: 'deg', description: 'solar azimuth from south toward west (evaluation only)' },
    { name: 'rho_opt_deg', unit: 'deg', description: 'beam-optimal panel angle, clamped to 0–180° (evaluation only)' },
    { name: 'best_position', unit: '1', description: 'position index with the highest plane-of-array irradiance (evaluation only)' },
    { name: 'dni_Wpm2', unit: 'W/m^2', description: 'direct normal irradiance' },
    { name: 'P_panel_W', unit: 'W', description: 'panel power' },
  ];

  readonly stepAngle_rad: number;
  readonly maxSteps: number;
  readonly axisTilt_rad: number;
  readonly t0_ms: number;
  private readonly sun: SunTable;
  private readonly clouds: CloudTimeline;
  private readonly s = new Float64Array(SUN);
  private readonly gains: Float64Array;

  constructor(
    readonly p: Readonly<SolarParams>,
    readonly options: SolarOptions,
  ) {
    this.stepAngle_rad = (2 * Math.PI) / (p.steps_per_rev * p.gear_ratio);
    this.maxSteps = Math.round(Math.PI / this.stepAngle_rad);
    this.axisTilt_rad = options.axis === 'polar' ? p.lat_deg * DEG : 0;
    this.t0_ms = localMidnightUtcMs(options.date, p.utc_offset_h);
    this.sun = new SunTable(this.t0_ms, p.lat_deg, p.lon_deg);
    this.clouds = new CloudTimeline({
      seed: p.cloud_seed,
      meanClear_h: p.cloud_mean_clear_h,
      meanCloudy_h: p.cloud_mean_cloudy_h,
      dniMin: p.cloud_dni_min,
      dniMax: p.cloud_dni_max,
      dhiFactor: p.cloud_dhi_factor,
      step_s: 60,
    });
    this.gains = Float64Array.of(p.S1_gain, p.S2_gain, p.S3_gain);
  }

  initialState(): Float64Array {
    const x = new Float64Array(this.states.length);
    x[0] = Math.round((this.p.rho0_deg * DEG) / this.stepAngle_rad);
    return x;
  }

  /** Sun and irradiance at t into the scratch vector; returns DNI, leaves DHI in `lastDhi`. */
  private lastDhi = 0;
  private sky(t: number): number {
    this.sun.at(t, this.s);
    const clear = clearSkyDni(this.s[3], this.p.solar_constant_Wpm2);
    this.lastDhi = this.p.diffuse_fraction * clear * this.clouds.dhiFactor(t);
    return clear * this.clouds.dniFactor(t);
  }

  private power(rho_rad: number, dni: number): number {
    const s = this.s;
    const g = planeOfArray(rho_rad, this.axisTilt_rad, s[0], s[1], s[2], dni, this.lastDhi, this.p.albedo);
    return this.p.panel_efficiency * this.p.panel_area_m2 * g;
  }

  /** Rate actually applied: the command limited to the motor's rate and stopped at the end stops. */
  effectiveRate(steps: number, cmd: number): number {
    const m = this.p.step_rate_max_sps;
    let r = cmd > m ? m : cmd < -m ? -m : cmd;
    if ((steps <= 0 && r < 0) || (steps >= this.maxSteps && r > 0)) r = 0;
    return r;
  }

  derivatives(t: number, x: Float64Array, u: Float64Array, dx: Float64Array): void {
    const rate = this.effectiveRate(x[0], u[0]);
    dx[0] = rate;
    const dni = this.sky(t);
    dx[1] = this.power(x[0] * this.stepAngle_rad, dni);
    dx[2] = this.p.step_energy_J * (rate < 0 ? -rate : rate);
    dx[3] = this.power(FIXED_PANEL_DEG * DEG, dni);
    const s = this.s;
    dx[4] = this.power(beamOptimalAngle(this.axisTilt_rad, s[0], s[1], s[2]), dni);
    let best = 0;
    for (let k = 0; k < POSITIONS_DEG.length; k++) {
      const pk = this.power(POSITIONS_DEG[k] * DEG, dni);
      if (pk > best) best = pk;
    }
    dx[5] = best;
  }

  constrain(_t: number, x: Float64Array): void {
    // The motor moves whole steps: remove the RK4 round-off of rate·dt sums (e.g. 4999.999999999999).
    const whole = Math.round(x[0]);
    if (Math.abs(x[0] - whole) < 1e-6) x[0] = whole;
    if (x[0] < 0) x[0] = 0;
    else if (x[0] > this.maxSteps) x[0] = this.maxSteps;
  }

  measure(t: number, x: Float64Array, _u: Float64Array, y: Float64Array, noise: Rng): void {
    const dni = this.sky(t);
    const s = this.s;
    const dither = (this.p.sensor_dither_lsb * 5) / 256;
    for (let k = 0; k < 3; k++) {
      const c = cosIncidence(SENSOR_ANGLES_DEG[k] * DEG, this.axisTilt_rad, s[0], s[1], s[2]);
      let v = this.gains[k] * lightSensorVolts(c, dni, this.lastDhi);
      if (dither > 0) v += dither * (2 * noise.uniform() - 1);
      y[k] = v;
    }
    const steps = Math.round(x[0]);
    y[3] = steps;
    y[4] = (x[0] * this.stepAngle_rad) / DEG;
    y[5] = s[3] / DEG;
    y[6] = s[4] / DEG;
    y[7] = beamOptimalAngle(this.axisTilt_rad, s[0], s[1], s[2]) / DEG;
    let best = 0;
    let bestP = -1;
    for (let k = 0; k < POSITIONS_DEG.length; k++) {
      const pk = this.power(POSITIONS_DEG[k] * DEG, dni);
      if (pk > bestP + 1e-9) {
        bestP = pk;
        best = k;
      }
    }
    y[8] = best;
    y[9] = dni;
    y[10] = this.power(x[0] * this.stepAngle_rad, dni);
  }

  metricsRecorder(columns: readonly string[]): PlantMetricsRecorder {
    return new SolarEnergyMetrics(columns);
  }


  extraPlots(run: PlotRun): object[] {
    return solarPlots(run);
  }
}

const ENERGY_COLUMNS = ['E_panel_J', 'E_stepper_J', 'E_fixed_J', 'E_continuous_J', 'E_ideal5_J'] as const;

/** Daily energies (Wh) and gains relative to the fixed panel, read from the last recorded row; LCD position changes counted. */
export class SolarEnergyMetrics implements PlantMetricsRecorder {
  private readonly energyIndex: Int32Array;
  /** Last row's energies in J (NaN for a missing column or before the first row). */
  private readonly energy = new Float64Array(ENERGY_COLUMNS.length).fill(NaN);
  private readonly lcdIndex: number;
  private lcdPrev = NaN;
  private rows = 0;
  private changes = 0;

  constructor(columns: readonly string[]) {
    this.energyIndex = Int32Array.from(ENERGY_COLUMNS, (c) => columns.indexOf(c));
    this.lcdIndex = columns.indexOf('lcd_position');
  }

  write(row: Float64Array): void {
    for (let i = 0; i < this.energyIndex.length; i++) if (this.energyIndex[i] >= 0) this.energy[i] = row[this.energyIndex[i]];
    if (this.lcdIndex >= 0) {
      const lcd = row[this.lcdIndex];
      if (this.rows > 0 && lcd !== this.lcdPrev) this.changes++;
      this.lcdPrev = lcd;
    }
    this.rows++;
  }

  result(): Record<string, number> {
    const Wh = 1 / 3600;
    const [panel, stepper, fixed, cont, ideal] = Array.from(this.energy, (j) => j * Wh);
    return {
      E_panel_Wh: panel,
      E_stepper_Wh: stepper,
      E_net_Wh: panel - stepper,
      E_fixed_Wh: fixed,
      E_continuous_Wh: cont,
      E_ideal5_Wh: ideal,
      gain_vs_fixed: (panel - stepper) / fixed,
      gain_continuous_vs_fixed: cont / fixed,
      gain_ideal5_vs_fixed: ideal / fixed,
      position_changes: this.changes,
    };
  }
}

/** Local midnight of a 'YYYY-MM-DD' date at a UTC offset, as a UTC epoch in ms. */
export function localMidnightUtcMs(date: string, utcOffset_h: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`solar option 'date' must be YYYY-MM-DD (got '${date}')`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(m[3]) || check.getUTCMonth() !== Number(m[2]) - 1) {
    throw new Error(`solar option 'date': '${date}' is not a calendar date`);
  }
  return ms - utcOffset_h * 3600_000;
}
