import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import type { SearchMethod } from './method.ts';

/**
 * CMA-ES, (μ/μ_w, λ) with rank-one and rank-μ covariance updates and cumulative step-size
 * adaptation, following Hansen, "The CMA Evolution Strategy: A Tutorial" (2016), Table 1 and
 * eqs. 1–47 with the default strategy parameters. Written here because no maintained JavaScript
 * CMA-ES exists on npm (docs/tuning.md); ml-matrix provides the eigendecomposition of C.
 * Box [0, 1]^n by mirroring: a sample outside is reflected back in and the reflected point is the
 * one evaluated and used in the update, so every evaluation is a legal parameter set.
 * The generation (λ points) is one batch.
 */
export class Cmaes implements SearchMethod {
  readonly name = 'cmaes';
  readonly lambda: number;
  private readonly mu: number;
  private readonly weights: number[];
  private readonly mueff: number;
  private readonly cc: number;
  private readonly cs: number;
  private readonly c1: number;
  private readonly cmu: number;
  private readonly damps: number;
  private readonly chiN: number;
  private readonly n: number;
  private mean: number[];
  private sigma: number;
  private pc: number[];
  private ps: number[];
  private C: Matrix;
  private B: Matrix;
  private D: number[];
  private generation = 0;
  private readonly rng: Xoshiro128;

  constructor(x0: readonly number[], options: { sigma?: number; seed: number; lambda?: number }) {
    const n = x0.length;
    this.n = n;
    this.rng = new Xoshiro128(options.seed);
    this.lambda = options.lambda ?? 4 + Math.floor(3 * Math.log(n));
    this.mu = Math.floor(this.lambda / 2);
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log((this.lambda + 1) / 2) - Math.log(i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    this.weights = raw.map((w) => w / sum);
    this.mueff = 1 / this.weights.reduce((a, w) => a + w * w, 0);
    this.cc = (4 + this.mueff / n) / (n + 4 + (2 * this.mueff) / n);
    this.cs = (this.mueff + 2) / (n + this.mueff + 5);
    this.c1 = 2 / ((n + 1.3) * (n + 1.3) + this.mueff);
    this.cmu = Math.min(1 - this.c1, (2 * (this.mueff - 2 + 1 / this.mueff)) / ((n + 2) * (n + 2) + this.mueff));
    this.damps = 1 + 2 * Math.max(0, Math.sqrt((this.mueff - 1) / (n + 1)) - 1) + this.cs;
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.mean = [...x0];
    this.sigma = options.sigma ?? 0.3;
    this.pc = new Array<number>(n).fill(0);
    this.ps = new Array<number>(n).fill(0);
    this.C = Matrix.eye(n);
    this.B = Matrix.eye(n);
    this.D = new Array<number>(n).fill(1);
  }

  ask(): number[][] {
    const out: number[][] = [];
    for (let k = 0; k < this.lambda; k++) {
      const z = Array.from({ length: this.n }, () => this.rng.gaussian());
      const x = new Array<number>(this.n);
      for (let i = 0; i < this.n; i++) {
        let y = 0;
        for (let j = 0; j < this.n; j++) y += this.B.get(i, j) * this.D[j] * z[j];
        x[i] = mirror(this.mean[i] + this.sigma * y);
      }
      out.push(x);
    }
    return out;
  }

  tell(points: readonly number[][], costs: readonly number[]): void {
    const n = this.n;
    const order = costs.map((_, i) => i).sort((a, b) => costs[a] - costs[b] || a - b);
    const old = this.mean;
    const mean = new Array<number>(n).fill(0);
    for (let k = 0; k < this.mu; k++) for (let i = 0; i < n; i++) mean[i] += this.weights[k] * points[order[k]][i];
    this.mean = mean;
    const yw = mean.map((m, i) => (m - old[i]) / this.sigma);
    // C^{-1/2}·yw = B·D^{-1}·Bᵀ·yw
    const bty = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) bty[j] += this.B.get(i, j) * yw[i];
    const invSqrt = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) invSqrt[i] += (this.B.get(i, j) * bty[j]) / this.D[j];
    const csn = Math.sqrt(this.cs * (2 - this.cs) * this.mueff);
    this.ps = this.ps.map((p, i) => (1 - this.cs) * p + csn * invSqrt[i]);
    const psNorm = Math.hypot(...this.ps);
    this.generation++;
    const hsig = psNorm / Math.sqrt(1 - Math.pow(1 - this.cs, 2 * this.generation)) / this.chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const ccn = Math.sqrt(this.cc * (2 - this.cc) * this.mueff);
    this.pc = this.pc.map((p, i) => (1 - this.cc) * p + hsig * ccn * yw[i]);
    const C = new Matrix(n, n);
    const dh = (1 - hsig) * this.cc * (2 - this.cc);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rankMu = 0;
        for (let k = 0; k < this.mu; k++) {
          const p = points[order[k]];
          rankMu += this.weights[k] * ((p[i] - old[i]) / this.sigma) * ((p[j] - old[j]) / this.sigma);
        }
        const v = (1 - this.c1 - this.cmu) * this.C.get(i, j) + this.c1 * (this.pc[i] * this.pc[j] + dh * this.C.get(i, j)) + this.cmu * rankMu;
        C.set(i, j, v);
      }
    }
    // Exact symmetry before the eigendecomposition.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) C.set(i, j, C.get(j, i));
    this.C = C;
    this.sigma *= Math.exp((this.cs / this.damps) * (psNorm / this.chiN - 1));
    if (this.sigma > 1) this.sigma = 1;
    const eig = new EigenvalueDecomposition(C, { assumeSymmetric: true });
    this.B = eig.eigenvectorMatrix;
    this.D = eig.realEigenvalues.map((v) => Math.sqrt(Math.max(v, 1e-20)));
  }

  get state(): { mean: number[]; sigma: number } {
    return { mean: [...this.mean], sigma: this.sigma };
  }
}

/** Reflects a coordinate into [0, 1] (period 2), e.g. 1.2 → 0.8, −0.1 → 0.1. */
export function mirror(v: number): number {
  let r = v % 2;
  if (r < 0) r += 2;
  return r > 1 ? 2 - r : r;
}
