/**
 * Single-axis geometry [R] (plants.md §2). The angle ρ is measured from the east horizon about an
 * axis running north–south, tilted up toward the north by β_axis (0 = horizontal, latitude = polar).
 * Panel or sensor normal: n(ρ) = cos ρ·(1,0,0) + sin ρ·(0, −sin β_axis, cos β_axis)  (east/north/up).
 */
export const DEG = Math.PI / 180;

/** cos of the angle between the normal at ρ and the sun vector (e, n, u). */
export function cosIncidence(rho_rad: number, axisTilt_rad: number, e: number, n: number, u: number): number {
  return Math.cos(rho_rad) * e + Math.sin(rho_rad) * (-Math.sin(axisTilt_rad) * n + Math.cos(axisTilt_rad) * u);
}

/** z component of the normal: cos of the surface tilt from horizontal. */
export function normalUp(rho_rad: number, axisTilt_rad: number): number {
  return Math.sin(rho_rad) * Math.cos(axisTilt_rad);
}

/**
 * Plane-of-array irradiance, isotropic sky and ground albedo [L]:
 * G = DNI·max(0, cos θ) + DHI(1 + cos β)/2 + albedo·GHI(1 − cos β)/2, GHI = DNI·sin(alt) + DHI.
 */
export function planeOfArray(
  rho_rad: number,
  axisTilt_rad: number,
  e: number,
  n: number,
  u: number,
  dni: number,
  dhi: number,
  albedo: number,
): number {
  const c = cosIncidence(rho_rad, axisTilt_rad, e, n, u);
  const cb = normalUp(rho_rad, axisTilt_rad);
  const ghi = dni * (u > 0 ? u : 0) + dhi;
  return dni * (c > 0 ? c : 0) + (dhi * (1 + cb)) / 2 + (albedo * ghi * (1 - cb)) / 2;
}

/** Beam-optimal rotation angle (rad), clamped to the mechanism's 0–π ("continuous tracking"). */
export function beamOptimalAngle(axisTilt_rad: number, e: number, n: number, u: number): number {
  const b = -Math.sin(axisTilt_rad) * n + Math.cos(axisTilt_rad) * u;
  const rho = Math.atan2(b, e);
  if (rho >= 0) return rho;
  return rho > -Math.PI / 2 ? 0 : Math.PI;
}
