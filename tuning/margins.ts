import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { PidController } from '../controllers/pid/pid-controller.ts';
import { discretize, linearModel, type LinearModel } from './linear-model.ts';

/** The discrete PID as the loop sees it (setpoint weights and limits do not affect stability). */
export interface PidLaw {
  readonly kp: number;
  readonly ki: number;
  readonly kd: number;
  /** Derivative filter time (s). */
  readonly Tf: number;
  /** +1 direct, −1 reverse. */
  readonly sign: number;
  /** 'backward': this sample's error enters the integral before the output is computed. */
  readonly integration: 'backward' | 'forward';
}

export interface StabilityMargins {
  readonly source: string;
  readonly point: Record<string, number>;
  /** Largest |eigenvalue| of the closed loop (discrete time): < 1 is stable. */
  readonly spectralRadius: number;
  readonly stable: boolean;
  /** Loop-gain multipliers keeping the loop stable: [lower, upper] around 1 (NaN: none found within 1e-3 … 1e3). */
  readonly gainMarginLower: number;
  readonly gainMarginUpper: number;
  readonly gainMarginLower_dB: number;
  readonly gainMarginUpper_dB: number;
  /** Smallest phase margin over the gain crossovers (deg) and its crossover frequency. */
  readonly phaseMargin_deg: number;
  readonly crossover_radps: number;
  /** Extra loop delay the phase margin tolerates (s). */
  readonly delayMargin_s: number;
}

/** The PID law of a scenario's controller, or undefined if it is not a PID. */
export function pidLaw(built: BuiltRun): PidLaw | undefined {
  const c = built.controller;
  if (!(c instanceof PidController)) return undefined;
  const spec = built.scenario.controller as Record<string, unknown>;
  const pid = c.pid as unknown as { kp: number; ki: number; kd: number; direction: string; integration?: string };
  const N = typeof spec.N === 'number' ? spec.N : 10;
  const Tf = typeof spec.Tf_s === 'number' ? spec.Tf_s : pid.kd === 0 || pid.kp === 0 || !Number.isFinite(N) ? 0 : Math.abs(pid.kd / pid.kp) / N;
  return {
    kp: pid.kp,
    ki: pid.ki,
    kd: pid.kd,
    Tf,
    sign: pid.direction === 'reverse' ? -1 : 1,
    // Older PIDs have no `integration` field: they integrate after the output (forward).
    integration: pid.integration === 'backward' ? 'backward' : 'forward',
  };
}

/**
 * Closed-loop matrix of plant (ZOH at h) + discrete PID (+ one-period computation delay), with the
 * controller output multiplied by `k`. State: plant x, integral (if ki ≠ 0), previous D term,
 * previous measurement, [held command]. Built column by column from the one-step map, which is linear.
 */
export function closedLoopMatrix(Ad: Matrix, Bd: Matrix, C: Matrix, law: PidLaw, h: number, k: number, delay: boolean): Matrix {
  const n = Ad.rows;
  // Without integral action the integral state is a decoupled eigenvalue at 1: it is left out.
  const hasI = law.ki !== 0;
  const size = n + 3 + (delay ? 1 : 0);
  const a = law.Tf / (law.Tf + h);
  const dGain = law.kd / (law.Tf + h);
  const step = (s: number[]): number[] => {
    const x = s.slice(0, n);
    const [I, Dprev, yPrev] = s.slice(n, n + 3);
    let y = 0;
    for (let i = 0; i < n; i++) y += C.get(0, i) * x[i];
    const e = -y;
    const Inext = I + law.sign * law.ki * h * e;
    const D = a * Dprev + law.sign * dGain * (e - -yPrev);
    const u = k * (law.sign * law.kp * e + (law.integration === 'backward' ? Inext : I) + D);
    const applied = delay ? s[n + 3] : u;
    const xn = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) xn[i] += Ad.get(i, j) * x[j];
      xn[i] += Bd.get(i, 0) * applied;
    }
    return delay ? [...xn, Inext, D, y, u] : [...xn, Inext, D, y];
  };
  const keep = Array.from({ length: size }, (_, i) => i).filter((i) => hasI || i !== n);
  const M = new Matrix(keep.length, keep.length);
  keep.forEach((sj, j) => {
    const basis = new Array<number>(size).fill(0);
    basis[sj] = 1;
    const col = step(basis);
    keep.forEach((si, i) => M.set(i, j, col[si]));
  });
  return M;
}

export function spectralRadius(M: Matrix): number {
  const e = new EigenvalueDecomposition(M);
  let r = 0;
  for (let i = 0; i < e.realEigenvalues.length; i++) r = Math.max(r, Math.hypot(e.realEigenvalues[i], e.imaginaryEigenvalues[i]));
  return r;
}

/** Loop transfer L(e^{jωh}) = C_pid(z)·P(z) (negative feedback), as [re, im]. */
export function loopResponse(Ad: Matrix, Bd: Matrix, C: Matrix, law: PidLaw, h: number, w: number, delay: boolean): [number, number] {
  const zr = Math.cos(w * h);
  const zi = Math.sin(w * h);
  // P(z) = C (zI − Ad)^{-1} Bd, solved in complex arithmetic.
  const n = Ad.rows;
  const re = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? zr : 0) - Ad.get(i, j)));
  const im = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? zi : 0)));
  const br = Array.from({ length: n }, (_, i) => Bd.get(i, 0));
  const bi = new Array<number>(n).fill(0);
  const [xr, xi] = complexSolve(re, im, br, bi);
  let pr = 0;
  let pi = 0;
  for (let i = 0; i < n; i++) {
    pr += C.get(0, i) * xr[i];
    pi += C.get(0, i) * xi[i];
  }
  if (delay) [pr, pi] = cdiv(pr, pi, zr, zi);
  // z^{-1}
  const [qr, qi] = cdiv(1, 0, zr, zi);
  const omr = 1 - qr; // 1 − z^{-1}
  const omi = -qi;
  const [ir, ii] = law.integration === 'backward' ? cdiv(law.ki * h, 0, omr, omi) : cdiv(law.ki * h * qr, law.ki * h * qi, omr, omi);
  const a = law.Tf / (law.Tf + h);
  const [dr, di] = cdiv((law.kd / (law.Tf + h)) * omr, (law.kd / (law.Tf + h)) * omi, 1 - a * qr, -a * qi);
  const cr = law.sign * (law.kp + ir + dr);
  const ci = law.sign * (ii + di);
  return [cr * pr - ci * pi, cr * pi + ci * pr];
}

function cdiv(ar: number, ai: number, br: number, bi: number): [number, number] {
  const d = br * br + bi * bi;
  return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d];
}

function complexSolve(Ar: number[][], Ai: number[][], br: number[], bi: number[]): [number[], number[]] {
  const n = br.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.hypot(Ar[r][c], Ai[r][c]) > Math.hypot(Ar[p][c], Ai[p][c])) p = r;
    [Ar[c], Ar[p]] = [Ar[p], Ar[c]];
    [Ai[c], Ai[p]] = [Ai[p], Ai[c]];
    [br[c], br[p]] = [br[p], br[c]];
    [bi[c], bi[p]] = [bi[p], bi[c]];
    for (let r = c + 1; r < n; r++) {
      const [fr, fi] = cdiv(Ar[r][c], Ai[r][c], Ar[c][c], Ai[c][c]);
      for (let j = c; j < n; j++) {
        Ar[r][j] -= fr * Ar[c][j] - fi * Ai[c][j];
        Ai[r][j] -= fr * Ai[c][j] + fi * Ar[c][j];
      }
      br[r] -= fr * br[c] - fi * bi[c];
      bi[r] -= fr * bi[c] + fi * br[c];
    }
  }
  const xr = new Array<number>(n).fill(0);
  const xi = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sr = br[r];
    let si = bi[r];
    for (let j = r + 1; j < n; j++) {
      sr -= Ar[r][j] * xr[j] - Ai[r][j] * xi[j];
      si -= Ar[r][j] * xi[j] + Ai[r][j] * xr[j];
    }
    [xr[r], xi[r]] = cdiv(sr, si, Ar[r][r], Ai[r][r]);
  }
  return [xr, xi];
}

/** Margins of a built scenario's PID loop, or undefined when there is no linear model or no PID. */
export function stabilityMargins(built: BuiltRun): StabilityMargins | undefined {
  const model = linearModel(built);
  const law = pidLaw(built);
  if (!model || !law) return undefined;
  return marginsOf(model, law, built.scenario.Ts, built.scenario.computationDelay);
}

export function marginsOf(model: LinearModel, law: PidLaw, h: number, delay: boolean): StabilityMargins {
  const { Ad, Bd } = discretize(model.A, model.B, h);
  const rho = (k: number): number => spectralRadius(closedLoopMatrix(Ad, Bd, model.C, law, h, k, delay));
  const r1 = rho(1);
  const stable = r1 < 1;
  const edge = (dir: 1 | -1): number => {
    if (!stable) return NaN;
    // Walk out by factors of 1.25 until unstable, then bisect in log(k).
    let good = 0;
    let bad = NaN;
    for (let s = 1; s <= 31; s++) {
      const lk = dir * s * Math.log(1.25);
      if (rho(Math.exp(lk)) >= 1) {
        bad = lk;
        break;
      }
      good = lk;
    }
    if (Number.isNaN(bad)) return NaN;
    for (let i = 0; i < 40; i++) {
      const mid = (good + bad) / 2;
      if (rho(Math.exp(mid)) < 1) good = mid;
      else bad = mid;
    }
    return Math.exp(good);
  };
  const lower = edge(-1);
  const upper = edge(1);
  // Gain crossovers on a log grid up to the Nyquist frequency, refined by bisection.
  let pm = NaN;
  let wc = NaN;
  const wN = Math.PI / h;
  const grid = 4000;
  const mag = (w: number): number => Math.hypot(...loopResponse(Ad, Bd, model.C, law, h, w, delay));
  let wPrev = wN * 1e-5;
  let mPrev = mag(wPrev);
  for (let g = 1; g <= grid; g++) {
    const w = wN * Math.pow(10, -5 + (5 * g) / grid) * (g === grid ? 0.999999 : 1);
    const m = mag(w);
    if ((mPrev - 1) * (m - 1) <= 0) {
      let lo = wPrev;
      let hi = w;
      for (let i = 0; i < 50; i++) {
        const mid = Math.sqrt(lo * hi);
        if ((mag(lo) - 1) * (mag(mid) - 1) <= 0) hi = mid;
        else lo = mid;
      }
      const [re, im] = loopResponse(Ad, Bd, model.C, law, h, lo, delay);
      const phase = (Math.atan2(im, re) * 180) / Math.PI;
      const margin = ((phase + 180 + 540) % 360) - 180;
      if (Number.isNaN(pm) || margin < pm) {
        pm = margin;
        wc = lo;
      }
    }
    wPrev = w;
    mPrev = m;
  }
  return {
    source: model.source,
    point: model.point,
    spectralRadius: r1,
    stable,
    gainMarginLower: lower,
    gainMarginUpper: upper,
    gainMarginLower_dB: 20 * Math.log10(lower),
    gainMarginUpper_dB: 20 * Math.log10(upper),
    phaseMargin_deg: pm,
    crossover_radps: wc,
    delayMargin_s: pm > 0 ? (pm * Math.PI) / 180 / wc : NaN,
  };
}
