import type { ParamDoc } from '../plant.ts';

/**
 * Solar tracker parameters. Tags: [S] Odabaş et al. 2009 (seed), [L] public reference,
 * [R] reconstruction, [C] computed. Derivations and sources: docs/plants/solar.md, plants.md §2.
 */
export const solarDefaults: Readonly<Record<string, ParamDoc>> = {
  lat_deg: { value: 40.78, unit: 'deg', source: '[S] Sakarya (the authors\' school), 40.78 N', range: [-90, 90] },
  lon_deg: { value: 30.4, unit: 'deg', source: '[S] Sakarya, 30.40 E', range: [-180, 180] },
  utc_offset_h: { value: 3, unit: 'h', source: '[L] Turkey time, UTC+3 since 2016; t = 0 is local midnight', range: [-12, 14] },
  solar_constant_Wpm2: { value: 1353, unit: 'W/m^2', source: '[L] pveducation clear-sky model', range: [0, 2000] },
  diffuse_fraction: { value: 0.1, unit: '1', source: '[R] DHI = 0.1·DNI', range: [0, 1] },
  albedo: { value: 0.2, unit: '1', source: '[L] typical ground albedo', range: [0, 1] },
  panel_area_m2: { value: 0.1, unit: 'm^2', source: '[R]', range: [1e-4, 100] },
  panel_efficiency: { value: 0.15, unit: '1', source: '[R]', range: [0, 1] },
  steps_per_rev: { value: 200, unit: 'steps', source: '[R] 1.8° stepper', range: [1, 100000] },
  gear_ratio: { value: 50, unit: '1', source: '[R] 1:50 gear, 1250 steps per 45°', range: [0.01, 10000] },
  step_rate_max_sps: { value: 250, unit: 'steps/s', source: '[R] about 5 s per 45° move', range: [1, 100000] },
  step_energy_J: { value: 0.024, unit: 'J/step', source: '[R] 6 W while stepping at 250 steps/s; driver off at rest (self-locking gear)', range: [0, 100] },
  rho0_deg: { value: 0, unit: 'deg', source: '[S] home position Konum0 = 0° (east)', range: [-180, 180] },
  sensor_dither_lsb: { value: 1, unit: 'LSB', source: '[R] ±1 LSB of the 8-bit ADC (uniform)', range: [0, 255] },
  S1_gain: { value: 1.0, unit: '1', source: '[R] 1 % sensor gain mismatch', range: [0, 10] },
  S2_gain: { value: 0.99, unit: '1', source: '[R] 1 % sensor gain mismatch', range: [0, 10] },
  S3_gain: { value: 1.01, unit: '1', source: '[R] 1 % sensor gain mismatch', range: [0, 10] },
  cloud_mean_clear_h: { value: 0, unit: 'h', source: '[R] mean clear spell; 0 = clear sky all day', range: [0, 24] },
  cloud_mean_cloudy_h: { value: 0.5, unit: 'h', source: '[R] mean cloudy spell', range: [0, 24] },
  cloud_dni_min: { value: 0.1, unit: '1', source: '[R] DNI factor when cloudy, lower end', range: [0, 1] },
  cloud_dni_max: { value: 0.3, unit: '1', source: '[R] DNI factor when cloudy, upper end', range: [0, 1] },
  cloud_dhi_factor: { value: 1.5, unit: '1', source: '[R] DHI factor when cloudy', range: [0, 10] },
  cloud_seed: { value: 1, unit: '1', source: '[R] seed of the cloud timeline', range: [0, 4294967295] },
};
