import { fmax, fmin } from './op.ts';
import { T_GAUSSIAN_PRODUCT, T_PI_SHAPE, T_SIGMOID_DIFFERENCE, T_S_SHAPE, T_TRAPEZOID, T_TRIANGLE, T_Z_SHAPE, membership } from './terms.ts';

/**
 * Memberships under `matlab` semantics: MATLAB's MF formulas with exact comparisons (fuzzylite's
 * treat |a − b| < 1e-6 as equal). trimf/trapmf are the min/max form, whose NaN-ignoring min and
 * max give a flat end (a = b) its MATLAB value; dsigmf is f₁ − f₂ limited to [0, 1] (fuzzylite: |f₁ − f₂|).
 * Kinds MATLAB does not have, and those whose formula is the same, use fuzzylite's (terms.ts).
 */
export function matlabMembership(kind: number, p: Float64Array | readonly number[], o: number, n: number, h: number, x: number): number {
  if (x !== x) return NaN;
  switch (kind) {
    case T_TRIANGLE: {
      const a = p[o], b = p[o + 1], c = p[o + 2];
      return h * fmax(0.0, fmin(fmin(1.0, (x - a) / (b - a)), (c - x) / (c - b)));
    }
    case T_TRAPEZOID: {
      const a = p[o], b = p[o + 1], c = p[o + 2], d = p[o + 3];
      return h * fmax(0.0, fmin(fmin(1.0, (x - a) / (b - a)), (d - x) / (d - c)));
    }
    case T_GAUSSIAN_PRODUCT: {
      const ma = p[o], sa = p[o + 1], mb = p[o + 2], sb = p[o + 3];
      let a = 1.0, b = 1.0;
      if (x < ma) a = Math.exp((-(x - ma) * (x - ma)) / (2.0 * sa * sa));
      if (x > mb) b = Math.exp((-(x - mb) * (x - mb)) / (2.0 * sb * sb));
      return h * a * b;
    }
    case T_SIGMOID_DIFFERENCE: {
      const a = 1.0 / (1.0 + Math.exp(-p[o + 1] * (x - p[o])));
      const b = 1.0 / (1.0 + Math.exp(-p[o + 2] * (x - p[o + 3])));
      return h * fmax(0.0, fmin(1.0, a - b));
    }
    case T_PI_SHAPE:
      return h * sShape(p[o], p[o + 1], x) * zShape(p[o + 2], p[o + 3], x);
    case T_S_SHAPE:
      return h * sShape(p[o], p[o + 1], x);
    case T_Z_SHAPE:
      return h * zShape(p[o], p[o + 1], x);
    default:
      return membership(kind, p, o, n, h, x);
  }
}

function sShape(s: number, e: number, x: number): number {
  if (x <= s) return 0.0;
  if (x <= 0.5 * (s + e)) return 2.0 * Math.pow((x - s) / (e - s), 2);
  if (x < e) return 1.0 - 2.0 * Math.pow((x - e) / (e - s), 2);
  return 1.0;
}

function zShape(s: number, e: number, x: number): number {
  if (x <= s) return 1.0;
  if (x <= 0.5 * (s + e)) return 1.0 - 2.0 * Math.pow((x - s) / (e - s), 2);
  if (x < e) return 2.0 * Math.pow((x - e) / (e - s), 2);
  return 0.0;
}

/** Hedges under `matlab` semantics: `extremely` is x³ (MATLAB/Octave's .3 code); the rest as fuzzylite. */
export const MATLAB_EXTREMELY = 4;

/**
 * Hedges on a Sugeno conclusion under `matlab` semantics, as Octave's toolkit applies them: the rule's
 * degree to the power 1/h (very h = 2, somewhat 0.5, extremely 3), then `not` as 1 − degree.
 */
export const MATLAB_CONCLUSION_HEDGE_POWER: Readonly<Record<string, number>> = { very: 1 / 2, somewhat: 1 / 0.5, extremely: 1 / 3 };
const MATLAB_CONCLUSION_POWER_BY_CODE = new Float64Array([NaN, 1 / 2, 1 / 0.5, NaN, 1 / 3, NaN]);

export function matlabConclusionHedge(code: number, d: number): number {
  return code === 0 ? 1.0 - d : Math.pow(d, MATLAB_CONCLUSION_POWER_BY_CODE[code]);
}

