import type { ParamDoc } from '../plant.ts';

/**
 * Pioneer 3-DX parameters. Tags as in plants.md §4: [S] seed paper (Yufka & Parlaktuna 2009),
 * [L] public reference (ARIA p3dx.p, MobileSim/AMRISim), [R] reconstruction. docs/plants/robot.md.
 */
export const p3dxParams: Readonly<Record<string, ParamDoc>> = {
  wheel_radius_m: { value: 0.0975, unit: 'm', source: '[L] P3-DX wheel radius 97.5 mm (documentation only: wheel inputs are rim speeds)', range: [0.01, 1] },
  track_m: { value: 0.33, unit: 'm', source: '[L] track width 330 mm (Gazebo 314 mm, ARIA DiffConvFactor 357 mm)', range: [0.05, 2] },
  robot_radius_m: { value: 0.25, unit: 'm', source: '[L] ARIA p3dx.p RobotRadius 250 mm', range: [0.05, 2] },
  wheel_speed_max_mps: { value: 1.0, unit: 'm/s', source: '[L] MobileSim translational maximum 1.0 m/s, applied per wheel', range: [0.01, 10] },
  accel_mps2: { value: 0.3, unit: 'm/s^2', source: '[L] MobileSim acceleration 0.3 m/s², applied per wheel', range: [0.01, 20] },
  decel_mps2: { value: 0.6, unit: 'm/s^2', source: '[L] MobileSim deceleration 0.6 m/s², applied per wheel', range: [0.01, 20] },
  wheel_tau_s: { value: 0.05, unit: 's', source: '[R] wheel speed loop time constant, below the rate limits', range: [0, 5] },
  sonar_min_m: { value: 0.1, unit: 'm', source: '[L] MobileSim sonar minimum range 0.1 m', range: [0, 1] },
  sonar_max_m: { value: 5.0, unit: 'm', source: '[L] MobileSim sonar maximum range 5 m (ARIA SonarMaxRange 4335 mm)', range: [0.1, 50] },
  sonar_fov_deg: { value: 30, unit: 'deg', source: '[L] MobileSim sonar field of view 30°', range: [0, 180] },
  sonar_rays: { value: 1, unit: '1', source: '[L] MobileSim casts a single ray; > 1 casts a fan over the field of view and keeps the nearest echo', range: [1, 1000] },
  sonar_noise_m: { value: 0.0005, unit: 'm', source: '[L] MobileSim sonar noise ±0.5 mm (uniform)', range: [0, 1] },
  odo_error_per_unit: { value: 0, unit: '1', source: '[L] MobileSim odometry error ±0.0075 per metre and per radian, drawn each update; 0 = off', range: [0, 1] },
  odo_bias_lin: { value: 0, unit: '1', source: '[R] systematic odometry scale error on distance (drift); 0 = off', range: [-0.5, 0.5] },
  odo_bias_ang: { value: 0, unit: '1', source: '[R] systematic odometry scale error on rotation (drift); 0 = off', range: [-0.5, 0.5] },
  odo_seed: { value: 7, unit: '1', source: '[R] seed of the odometry error stream', range: [0, 4294967295] },
  x0_m: { value: 0, unit: 'm', source: '[S] start (0, 0)', range: [-1000, 1000] },
  y0_m: { value: 0, unit: 'm', source: '[S] start (0, 0)', range: [-1000, 1000] },
  theta0_rad: { value: 0, unit: 'rad', source: '[R] initial heading', range: [-100, 100] },
};

export const robotParameterSets: Readonly<Record<string, Readonly<Record<string, ParamDoc>>>> = { p3dx: p3dxParams };

export interface RobotParams {
  wheel_radius_m: number;
  track_m: number;
  robot_radius_m: number;
  wheel_speed_max_mps: number;
  accel_mps2: number;
  decel_mps2: number;
  wheel_tau_s: number;
  sonar_min_m: number;
  sonar_max_m: number;
  sonar_fov_deg: number;
  sonar_rays: number;
  sonar_noise_m: number;
  odo_error_per_unit: number;
  odo_bias_lin: number;
  odo_bias_ang: number;
  odo_seed: number;
  x0_m: number;
  y0_m: number;
  theta0_rad: number;
}
