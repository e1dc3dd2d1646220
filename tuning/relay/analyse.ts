import { UserError } from '../../errors/user-error.ts';

export interface RelayEstimate {
  /** Ultimate period from the mean oscillation period (s). */
  readonly Pu_s: number;
  /** Ultimate gain from the fundamental harmonics: |U1|/|Y1| = 1/|G(jω)|. */
  readonly Ku: number;
  /** Classic describing-function estimate 4d/(πa), a = half the peak-to-peak output. */
  readonly Ku_df: number;
  /** Phase of Y1/U1 in degrees (−180 for an ideal relay if the output were a pure sine). */
  readonly phase_deg: number;
  /** Output amplitude a (half peak-to-peak). */
  readonly amplitude: number;
  /** Periods analysed and the relative spread of their lengths. */
  readonly cycles: number;
  readonly periodSpread: number;
  /** Static gain (Δȳ/Δū about the operating point); NaN for a symmetric relay. */
  readonly K: number;
}

/**
 * Ultimate gain and period from a recorded relay experiment. The period is the mean of the last
 * `cycles` complete periods (rising edges of the relay output). The gain is the ratio of the
 * fundamental Fourier coefficients of command and measurement over exactly those periods, which
 * is 1/|G(jω_osc)| for any linear plant; the describing-function value 4d/(πa) (off by 10–20 %
 * for lag-dominant plants, where the output is far from a sine) is reported next to it.
 */
export function analyseRelay(
  t: Float64Array,
  u: Float64Array,
  y: Float64Array,
  o: { amplitude: number; bias: number; reference: number; cycles?: number },
): RelayEstimate {
  const cycles = o.cycles ?? 4;
  const rising: number[] = [];
  const threshold = o.amplitude * 1e-3;
  for (let k = 1; k < t.length; k++) if (u[k] - u[k - 1] > threshold) rising.push(k);
  if (rising.length < cycles + 2) {
    throw new UserError(`relay experiment: only ${rising.length} relay switchings upward, need ${cycles + 2} for ${cycles} settled periods; the loop does not oscillate (unstable or too slow plant, too short a duration, or the wrong --relay-direction)`);
  }
  const edges = rising.slice(-(cycles + 1));
  const periods = edges.slice(1).map((k, i) => t[k] - t[edges[i]]);
  const Pu = periods.reduce((a, b) => a + b, 0) / periods.length;
  const spread = (Math.max(...periods) - Math.min(...periods)) / Pu;
  if (spread > 0.05) throw new UserError(`relay experiment: the oscillation has not settled (period spread ${(spread * 100).toFixed(1)} % over the last ${cycles} periods); lengthen --duration`);
  const k0 = edges[0];
  const k1 = edges[edges.length - 1];
  const w = (2 * Math.PI) / Pu;
  let ur = 0, ui = 0, yr = 0, yi = 0, uMean = 0, yMean = 0;
  let yMin = Infinity, yMax = -Infinity;
  for (let k = k0; k < k1; k++) {
    uMean += u[k];
    yMean += y[k];
    if (y[k] < yMin) yMin = y[k];
    if (y[k] > yMax) yMax = y[k];
  }
  const n = k1 - k0;
  uMean /= n;
  yMean /= n;
  for (let k = k0; k < k1; k++) {
    const c = Math.cos(w * t[k]);
    const s = Math.sin(w * t[k]);
    ur += (u[k] - uMean) * c;
    ui -= (u[k] - uMean) * s;
    yr += (y[k] - yMean) * c;
    yi -= (y[k] - yMean) * s;
  }
  const Ku = Math.hypot(ur, ui) / Math.hypot(yr, yi);
  const phase = Math.atan2(yi * ur - yr * ui, yr * ur + yi * ui);
  const a = (yMax - yMin) / 2;
  const du = uMean - o.bias;
  const K = Math.abs(du) > 1e-3 * o.amplitude ? (yMean - o.reference) / du : NaN;
  return { Pu_s: Pu, Ku, Ku_df: (4 * o.amplitude) / (Math.PI * a), phase_deg: (phase * 180) / Math.PI, amplitude: a, cycles, periodSpread: spread, K };
}
