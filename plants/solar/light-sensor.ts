/**
 * Light sensor model [R], calibrated to the seed's worked example (plants.md §2):
 *   u = (DHI + DNI·max(0, cos θ)^4)/229,   V = 5u/(1 + u)
 * With the sun on S1's axis, DNI = 800 and DHI = 118 W/m² this gives (4.00, 2.91, 1.70) V [C].
 */
export const SENSOR_SCALE_WPM2 = 229;
export const SENSOR_FULL_SCALE_V = 5;

export function lightSensorVolts(cosTheta: number, dni: number, dhi: number): number {
  const c = cosTheta > 0 ? cosTheta : 0;
  const c2 = c * c;
  const u = (dhi + dni * c2 * c2) / SENSOR_SCALE_WPM2;
  return (SENSOR_FULL_SCALE_V * u) / (1 + u);
}
