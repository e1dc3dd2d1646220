/**
 * The Pioneer 3-DX sonar ring: poses (x mm, y mm, heading °) in the robot frame, x forward,
 * y left, from ARIA's params/p3dx.p [L] (SonarUnit lines), front ring 0–7 then rear ring 8–15.
 */
export const P3DX_SONAR_POSES_MM_DEG: readonly (readonly [number, number, number])[] = [
  [69, 136, 90], [114, 119, 50], [148, 78, 30], [166, 27, 10],
  [166, -27, -10], [148, -78, -30], [114, -119, -50], [69, -136, -90],
  [-157, -136, -90], [-203, -119, -130], [-237, -78, -150], [-255, -27, -170],
  [-255, 27, 170], [-237, 78, 150], [-203, 119, 130], [-157, 136, 90],
];

export const SONAR_COUNT = P3DX_SONAR_POSES_MM_DEG.length;

/** Sonar poses in SI units as parallel typed arrays (x_m, y_m, heading_rad). */
export const sonarX_m = Float64Array.from(P3DX_SONAR_POSES_MM_DEG, (p) => p[0] / 1000);
export const sonarY_m = Float64Array.from(P3DX_SONAR_POSES_MM_DEG, (p) => p[1] / 1000);
export const sonarHeading_rad = Float64Array.from(P3DX_SONAR_POSES_MM_DEG, (p) => (p[2] * Math.PI) / 180);
