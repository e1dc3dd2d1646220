import SunCalc from 'suncalc';

/**
 * Sun direction and clear-sky irradiance.
 *
 * Direction [L]: suncalc 1.9 `getPosition` gives altitude and azimuth in radians, the azimuth
 * measured from south toward west (morning sun: negative azimuth; suncalc README and
 * mourner/suncalc issue #171). In east/north/up coordinates s = (−cos alt·sin az, −cos alt·cos az, sin alt).
 *
 * Clear sky [L]: DNI = 1353·0.7^(AM^0.678) W/m² (pveducation.org, "Air mass"), AM from Kasten & Young
 * (1989); diffuse DHI = 0.1·DNI [R].
 */
export interface SunSample {
  /** Unit vector toward the sun, east/north/up. */
  e: number;
  n: number;
  u: number;
  alt_rad: number;
  az_rad: number;
}

export function sunPosition(date: Date, lat_deg: number, lon_deg: number): SunSample {
  const p = SunCalc.getPosition(date, lat_deg, lon_deg);
  const c = Math.cos(p.altitude);
  return { e: -c * Math.sin(p.azimuth), n: -c * Math.cos(p.azimuth), u: Math.sin(p.altitude), alt_rad: p.altitude, az_rad: p.azimuth };
}

/** Kasten–Young (1989) relative air mass for a solar altitude in radians; Infinity below the horizon. */
export function airMassKastenYoung(alt_rad: number): number {
  if (alt_rad <= 0) return Infinity;
  const zen_deg = 90 - (alt_rad * 180) / Math.PI;
  return 1 / (Math.cos((zen_deg * Math.PI) / 180) + 0.50572 * Math.pow(96.07995 - zen_deg, -1.6364));
}

/** Clear-sky direct normal irradiance (W/m²) from the sine of the solar altitude. */
export function clearSkyDni(alt_rad: number, solarConstant_Wpm2 = 1353): number {
  const am = airMassKastenYoung(alt_rad);
  if (!Number.isFinite(am)) return 0;
  return solarConstant_Wpm2 * Math.pow(0.7, Math.pow(am, 0.678));
}

/**
 * Sun samples on a regular grid from a start instant, extended a day at a time when a later time is
 * asked for (the only allocation, once per simulated day); values in between are interpolated
 * linearly so the hot loop never calls suncalc.
 */
export class SunTable {
  private e: Float64Array<ArrayBuffer> = new Float64Array(0);
  private n: Float64Array<ArrayBuffer> = new Float64Array(0);
  private u: Float64Array<ArrayBuffer> = new Float64Array(0);
  private alt: Float64Array<ArrayBuffer> = new Float64Array(0);
  private az: Float64Array<ArrayBuffer> = new Float64Array(0);
  private count = 0;

  constructor(
    private readonly t0_ms: number,
    private readonly lat_deg: number,
    private readonly lon_deg: number,
    /** Grid step in seconds. */
    readonly step_s = 60,
  ) {
    this.ensure(86400);
  }

  private ensure(t_s: number): void {
    const need = Math.ceil(t_s / this.step_s) + 2;
    if (need <= this.count) return;
    const perDay = Math.ceil(86400 / this.step_s);
    const size = Math.max(need, this.count + perDay);
    const grow = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.e = grow(this.e);
    this.n = grow(this.n);
    this.u = grow(this.u);
    this.alt = grow(this.alt);
    this.az = grow(this.az);
    for (let i = this.count; i < size; i++) {
      const s = sunPosition(new Date(this.t0_ms + i * this.step_s * 1000), this.lat_deg, this.lon_deg);
      this.e[i] = s.e;
      this.n[i] = s.n;
      this.u[i] = s.u;
      this.alt[i] = s.alt_rad;
      this.az[i] = s.az_rad;
    }
    this.count = size;
  }

  /** Writes the interpolated sun at time t (s after the start) into `out` (e, n, u, alt, az). */
  at(t_s: number, out: Float64Array): void {
    if (t_s < 0) t_s = 0;
    this.ensure(t_s);
    const x = t_s / this.step_s;
    const i = Math.floor(x);
    const f = x - i;
    const g = 1 - f;
    out[0] = g * this.e[i] + f * this.e[i + 1];
    out[1] = g * this.n[i] + f * this.n[i + 1];
    out[2] = g * this.u[i] + f * this.u[i + 1];
    out[3] = g * this.alt[i] + f * this.alt[i + 1];
    // Azimuth jumps by 2π at north (midnight); interpolate the short way.
    let d = this.az[i + 1] - this.az[i];
    if (d > Math.PI) d -= 2 * Math.PI;
    else if (d < -Math.PI) d += 2 * Math.PI;
    out[4] = this.az[i] + f * d;
  }
}
