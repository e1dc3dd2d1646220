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
  const out = new Float64Array(2);
  loopResponseAt(Ad, Bd, C, law, h, delay)(w, out);
  return [out[0], out[1]];
}

/**
 * `loopResponse` as a reusable evaluator writing [re, im] into `out`: the phase-margin search
 * calls it thousands of times per margins computation (once per tuning evaluation under a margin
 * constraint), so the complex solve works in scratch buffers instead of fresh nested arrays.
 * Same operations in the same order as a plain complex Gaussian elimination with partial pivoting.
 */
export function loopResponseAt(Ad: Matrix, Bd: Matrix, C: Matrix, law: PidLaw, h: number, delay: boolean): (w: number, out: Float64Array) => void {
  const n = Ad.rows;
  const ad = Float64Array.from(Ad.to1DArray());
  const bd = Float64Array.from({ length: n }, (_, i) => Bd.get(i, 0));
  const c = Float64Array.from({ length: n }, (_, i) => C.get(0, i));
  const Ar = new Float64Array(n * n);
  const Ai = new Float64Array(n * n);
  const br = new Float64Array(n);
  const bi = new Float64Array(n);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  const q = new Float64Array(2);
  const dGain = law.kd / (law.Tf + h);
  const a = law.Tf / (law.Tf + h);
  return (w, out) => {
    const zr = Math.cos(w * h);
    const zi = Math.sin(w * h);
    // P(z) = C (zI − Ad)^{-1} Bd, solved in complex arithmetic.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        Ar[i * n + j] = (i === j ? zr : 0) - ad[i * n + j];
        Ai[i * n + j] = i === j ? zi : 0;
      }
      br[i] = bd[i];
      bi[i] = 0;
    }
    complexSolve(n, Ar, Ai, br, bi, xr, xi, q);
    let pr = 0;
    let pi = 0;
    for (let i = 0; i < n; i++) {
      pr += c[i] * xr[i];
      pi += c[i] * xi[i];
    }
    if (delay) {
      cdiv(pr, pi, zr, zi, q);
      pr = q[0];
      pi = q[1];
    }
    // z^{-1}
    cdiv(1, 0, zr, zi, q);
    const qr = q[0];
    const qi = q[1];
    const omr = 1 - qr; // 1 − z^{-1}
    const omi = -qi;
    if (law.integration === 'backward') cdiv(law.ki * h, 0, omr, omi, q);
    else cdiv(law.ki * h * qr, law.ki * h * qi, omr, omi, q);
    const ir = q[0];
    const ii = q[1];
    cdiv(dGain * omr, dGain * omi, 1 - a * qr, -a * qi, q);
    const cr = law.sign * (law.kp + ir + q[0]);
    const ci = law.sign * (ii + q[1]);
    out[0] = cr * pr - ci * pi;
    out[1] = cr * pi + ci * pr;
  };
}

function cdiv(ar: number, ai: number, br: number, bi: number, out: Float64Array): void {
  const d = br * br + bi * bi;
  out[0] = (ar * br + ai * bi) / d;
  out[1] = (ai * br - ar * bi) / d;
}

/** Solves (Ar + j·Ai)·x = b in place (row-major n×n), partial pivoting; `q` is a 2-element scratch. */
function complexSolve(n: number, Ar: Float64Array, Ai: Float64Array, br: Float64Array, bi: Float64Array, xr: Float64Array, xi: Float64Array, q: Float64Array): void {
  const swap = (v: Float64Array, i: number, j: number): void => {
    const t = v[i];
    v[i] = v[j];
    v[j] = t;
  };
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.hypot(Ar[r * n + c], Ai[r * n + c]) > Math.hypot(Ar[p * n + c], Ai[p * n + c])) p = r;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        swap(Ar, c * n + j, p * n + j);
        swap(Ai, c * n + j, p * n + j);
      }
      swap(br, c, p);
      swap(bi, c, p);
    }
    for (let r = c + 1; r < n; r++) {
      cdiv(Ar[r * n + c], Ai[r * n + c], Ar[c * n + c], Ai[c * n + c], q);
      const fr = q[0];
      const fi = q[1];
      for (let j = c; j < n; j++) {
        Ar[r * n + j] -= fr * Ar[c * n + j] - fi * Ai[c * n + j];
        Ai[r * n + j] -= fr * Ai[c * n + j] + fi * Ar[c * n + j];
      }
      br[r] -= fr * br[c] - fi * bi[c];
      bi[r] -= fr * bi[c] + fi * br[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let sr = br[r];
    let si = bi[r];
    for (let j = r + 1; j < n; j++) {
      sr -= Ar[r * n + j] * xr[j] - Ai[r * n + j] * xi[j];
      si -= Ar[r * n + j] * xi[j] + Ai[r * n + j] * xr[j];
    }
    cdiv(sr, si, Ar[r * n + r], Ai[r * n + r], q);
    xr[r] = q[0];
    xi[r] = q[1];
  }
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
  const L = loopResponseAt(Ad, Bd, model.C, law, h, delay);
  const LjW = new Float64Array(2);
  const mag = (w: number): number => {
    L(w, LjW);
    return Math.hypot(LjW[0], LjW[1]);
  };
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
      L(lo, LjW);
      const phase = (Math.atan2(LjW[1], LjW[0]) * 180) / Math.PI;
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
