import { readFileSync } from 'node:fs';
import { mlpFromJson } from '../mlp/json.ts';
import type { Mlp } from '../mlp/network.ts';

/**
 * Brain-temperature estimators for the hypothermia controllers. The brain cannot be measured;
 * each estimator sees only what the device measures: rectal and plate temperatures (°C), the
 * Peltier current it commands (A) and the clock.
 */
export interface BrainEstimator {
  readonly name: string;
  reset(): void;
  /** Brain estimate (°C) after one control period. No allocation. */
  update(T_rectal_C: number, T_plate_C: number, I_A: number, t: number): number;
}

/** The seed's static line T_B = 1.695·T_R − 26.8 [S] applied to the rectal reading. */
export class LineEstimator implements BrainEstimator {
  readonly name = 'static-line';
  constructor(
    private readonly slope = 1.695,
    private readonly intercept_C = -26.8,
  ) {}
  reset(): void {}
  update(T_rectal_C: number): number {
    return this.slope * T_rectal_C + this.intercept_C;
  }
}

/**
 * The seed's static MLP (1-8-8-1, tansig, linear output) on the rectal reading, loaded from an
 * MLP JSON file written by the MLP room (controllers/mlp/json.ts).
 */
export class MlpEstimator implements BrainEstimator {
  readonly name = 'static-mlp';
  private readonly x = new Float64Array(1);
  private readonly y = new Float64Array(1);
  constructor(private readonly net: Mlp) {}
  static fromFile(file: string): MlpEstimator {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${file}: cannot read the MLP model (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: invalid JSON (${(e as Error).message})`);
    }
    return new MlpEstimator(mlpFromJson(json, file));
  }
  reset(): void {}
  update(T_rectal_C: number): number {
    this.x[0] = T_rectal_C;
    this.net.predictInto(this.x, this.y);
    return this.y[0];
  }
}

/** Nominal brain-node model used by the dynamic estimator (plants.md §3 values by default). */
export interface BrainNodeModel {
  readonly C_B_JpK: number;
  readonly q_B_W: number;
  readonly w_B_WpK: number;
  readonly G_BP_WpK: number;
  /** Time constant of the low-pass on the (noisy, slowly varying) rectal reading. */
  readonly rectalFilter_s: number;
}

export const NOMINAL_BRAIN_NODE: BrainNodeModel = { C_B_JpK: 7.26, q_B_W: 0.07, w_B_WpK: 0.1267, G_BP_WpK: 0.02, rectalFilter_s: 60 };

/**
 * Dynamic estimator (this project's design): the brain node's own heat balance run as an open-loop
 * observer, driven by the two temperatures the device does measure,
 *   C_B·dT̂_B/dt = q_B + w_B(T_R − T̂_B) − G_BP(T̂_B − T_P),
 * with the rectal reading low-pass filtered (it changes over hours; its noise does not). The
 * brain relaxes toward T_ss = (q_B + w_B·T_R + G_BP·T_P)/(w_B + G_BP) with τ = C_B/(w_B + G_BP)
 * ≈ 50 s, so it follows a plate step within a minute, where the static line (which assumes the
 * core and brain are both settled) waits hours for the core. Each period uses the exact
 * discretisation of that first-order step. It starts on the seed line (the device-off state).
 */
export class BrainObserver implements BrainEstimator {
  readonly name = 'dynamic-observer';
  private TB = NaN;
  private TR = NaN;
  private tPrev = NaN;
  constructor(private readonly m: BrainNodeModel = NOMINAL_BRAIN_NODE) {}
  reset(): void {
    this.TB = NaN;
    this.TR = NaN;
    this.tPrev = NaN;
  }
  update(T_rectal_C: number, T_plate_C: number, _I_A: number, t: number): number {
    const m = this.m;
    if (this.TB !== this.TB) {
      this.TR = T_rectal_C;
      this.TB = 1.695 * T_rectal_C - 26.8;
      this.tPrev = t;
      return this.TB;
    }
    const h = t - this.tPrev;
    this.tPrev = t;
    if (h <= 0) return this.TB;
    this.TR += (1 - Math.exp(-h / m.rectalFilter_s)) * (T_rectal_C - this.TR);
    const g = m.w_B_WpK + m.G_BP_WpK;
    const Tss = (m.q_B_W + m.w_B_WpK * this.TR + m.G_BP_WpK * T_plate_C) / g;
    this.TB = Tss + (this.TB - Tss) * Math.exp((-h * g) / m.C_B_JpK);
    return this.TB;
  }
}
