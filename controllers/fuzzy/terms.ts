import { isEq, isGE, isGt, isLE, isLt, fmin, scale } from './op.ts';

/**
 * Membership functions, written once over a flat parameter block so that the readable object model
 * and the compiled evaluator share the same arithmetic. Each formula follows fuzzylite 6's term
 * (same operation order, same tolerant comparisons) so results agree to the last bits.
 */
export const TERM_KINDS = [
  'Triangle',
  'Trapezoid',
  'Rectangle',
  'Gaussian',
  'GaussianProduct',
  'Bell',
  'Sigmoid',
  'SigmoidDifference',
  'SigmoidProduct',
  'PiShape',
  'SShape',
  'ZShape',
  'Ramp',
  'Cosine',
  'Spike',
  'Binary',
  'Concave',
  'Discrete',
  'Constant',
  'Linear',
  'Function',
] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** Number of shape parameters (before the optional height); -1 = variable length. */
export const TERM_ARITY: Readonly<Record<TermKind, number>> = {
  Triangle: 3,
  Trapezoid: 4,
  Rectangle: 2,
  Gaussian: 2,
  GaussianProduct: 4,
  Bell: 3,
  Sigmoid: 2,
  SigmoidDifference: 4,
  SigmoidProduct: 4,
  PiShape: 4,
  SShape: 2,
  ZShape: 2,
  Ramp: 2,
  Cosine: 2,
  Spike: 2,
  Binary: 2,
  Concave: 2,
  Discrete: -1,
  Constant: 1,
  Linear: -1,
  Function: -1,
};

/** Parameter names, for documentation and error messages. */
export const TERM_PARAMETER_NAMES: Readonly<Record<TermKind, string>> = {
  Triangle: 'vertexA vertexB vertexC [height]',
  Trapezoid: 'vertexA vertexB vertexC vertexD [height]',
  Rectangle: 'start end [height]',
  Gaussian: 'mean standardDeviation [height]',
  GaussianProduct: 'meanA standardDeviationA meanB standardDeviationB [height]',
  Bell: 'center width slope [height]',
  Sigmoid: 'inflection slope [height]',
  SigmoidDifference: 'left rising falling right [height]',
  SigmoidProduct: 'left rising falling right [height]',
  PiShape: 'bottomLeft topLeft topRight bottomRight [height]',
  SShape: 'start end [height]',
  ZShape: 'start end [height]',
  Ramp: 'start end [height]',
  Cosine: 'center width [height]',
  Spike: 'center width [height]',
  Binary: 'start direction [height]',
  Concave: 'inflection end [height]',
  Discrete: 'x1 y1 x2 y2 … [height]',
  Constant: 'value',
  Linear: 'c1 … cN [constant] (one coefficient per input variable, then an optional constant)',
  Function: 'formula over x and the variables (formula.ts)',
};

export const TERM_CODE: Readonly<Record<TermKind, number>> = Object.fromEntries(TERM_KINDS.map((k, i) => [k, i])) as Record<TermKind, number>;

export const T_TRIANGLE = 0,
  T_TRAPEZOID = 1,
  T_RECTANGLE = 2,
  T_GAUSSIAN = 3,
  T_GAUSSIAN_PRODUCT = 4,
  T_BELL = 5,
  T_SIGMOID = 6,
  T_SIGMOID_DIFFERENCE = 7,
  T_SIGMOID_PRODUCT = 8,
  T_PI_SHAPE = 9,
  T_S_SHAPE = 10,
  T_Z_SHAPE = 11,
  T_RAMP = 12,
  T_COSINE = 13,
  T_SPIKE = 14,
  T_BINARY = 15,
  T_CONCAVE = 16,
  T_DISCRETE = 17,
  T_CONSTANT = 18,
  T_LINEAR = 19,
  T_FUNCTION = 20;

const PI = 4.0 * Math.atan(1.0);

/**
 * µ(x) of a term whose shape parameters are p[o … o+n−1] and whose height is h.
 * Constant returns its value; Linear and Function read the variables and are handled by the evaluators.
 */
export function membership(kind: number, p: Float64Array | readonly number[], o: number, n: number, h: number, x: number): number {
  if (kind === T_CONSTANT) return p[o];
  if (x !== x) return NaN;
  switch (kind) {
    case T_TRIANGLE: {
      const a = p[o], b = p[o + 1], c = p[o + 2];
      if (isLt(x, a) || isGt(x, c)) return h * 0.0;
      if (isEq(x, b)) return h * 1.0;
      if (isLt(x, b)) {
        if (a === -Infinity) return h * 1.0;
        return (h * (x - a)) / (b - a);
      }
      if (c === Infinity) return h * 1.0;
      return (h * (c - x)) / (c - b);
    }
    case T_TRAPEZOID: {
      const a = p[o], b = p[o + 1], c = p[o + 2], d = p[o + 3];
      if (isLt(x, a) || isGt(x, d)) return h * 0.0;
      if (isLt(x, b)) {
        if (a === -Infinity) return h * 1.0;
        return h * fmin(1.0, (x - a) / (b - a));
      }
      if (isLE(x, c)) return h * 1.0;
      if (isLt(x, d)) {
        if (d === Infinity) return h * 1.0;
        return (h * (d - x)) / (d - c);
      }
      if (d === Infinity) return h * 1.0;
      return h * 0.0;
    }
    case T_RECTANGLE:
      return isGE(x, p[o]) && isLE(x, p[o + 1]) ? h * 1.0 : h * 0.0;
    case T_GAUSSIAN: {
      const m = p[o], s = p[o + 1];
      return h * Math.exp((-(x - m) * (x - m)) / (2.0 * s * s));
    }
    case T_GAUSSIAN_PRODUCT: {
      const ma = p[o], sa = p[o + 1], mb = p[o + 2], sb = p[o + 3];
      let a = 1.0, b = 1.0;
      if (isLt(x, ma)) a = Math.exp((-(x - ma) * (x - ma)) / (2.0 * sa * sa));
      if (isGt(x, mb)) b = Math.exp((-(x - mb) * (x - mb)) / (2.0 * sb * sb));
      return h * a * b;
    }
    case T_BELL:
      return h * (1.0 / (1.0 + Math.pow(Math.abs((x - p[o]) / p[o + 1]), 2.0 * p[o + 2])));
    case T_SIGMOID:
      return (h * 1.0) / (1.0 + Math.exp(-p[o + 1] * (x - p[o])));
    case T_SIGMOID_DIFFERENCE: {
      const a = 1.0 / (1.0 + Math.exp(-p[o + 1] * (x - p[o])));
      const b = 1.0 / (1.0 + Math.exp(-p[o + 2] * (x - p[o + 3])));
      return h * Math.abs(a - b);
    }
    case T_SIGMOID_PRODUCT: {
      const a = 1.0 + Math.exp(-p[o + 1] * (x - p[o]));
      const b = 1.0 + Math.exp(-p[o + 2] * (x - p[o + 3]));
      return (h * 1.0) / (a * b);
    }
    case T_PI_SHAPE: {
      const bl = p[o], tl = p[o + 1], tr = p[o + 2], br = p[o + 3];
      let s: number;
      if (isLE(x, bl)) s = 0.0;
      else if (isLE(x, 0.5 * (bl + tl))) s = 2.0 * sq((x - bl) / (tl - bl));
      else if (isLt(x, tl)) s = 1.0 - 2.0 * sq((x - tl) / (tl - bl));
      else s = 1.0;
      let z: number;
      if (isLE(x, tr)) z = 1.0;
      else if (isLE(x, 0.5 * (tr + br))) z = 1.0 - 2.0 * sq((x - tr) / (br - tr));
      else if (isLt(x, br)) z = 2.0 * sq((x - br) / (br - tr));
      else z = 0.0;
      return h * s * z;
    }
    case T_S_SHAPE: {
      const s = p[o], e = p[o + 1];
      if (isLE(x, s)) return h * 0.0;
      if (isLE(x, 0.5 * (s + e))) return h * (2.0 * sq((x - s) / (e - s)));
      if (isLt(x, e)) return h * (1.0 - 2.0 * sq((x - e) / (e - s)));
      return h * 1.0;
    }
    case T_Z_SHAPE: {
      const s = p[o], e = p[o + 1];
      if (isLE(x, s)) return h * 1.0;
      if (isLE(x, 0.5 * (s + e))) return h * (1.0 - 2.0 * sq((x - s) / (e - s)));
      if (isLt(x, e)) return h * (2.0 * sq((x - e) / (e - s)));
      return h * 0.0;
    }
    case T_RAMP: {
      const s = p[o], e = p[o + 1];
      if (isEq(s, e)) return h * 0.0;
      if (isLt(s, e)) {
        if (isLE(x, s)) return h * 0.0;
        if (isGE(x, e)) return h * 1.0;
        return (h * (x - s)) / (e - s);
      }
      if (isGE(x, s)) return h * 0.0;
      if (isLE(x, e)) return h * 1.0;
      return (h * (s - x)) / (s - e);
    }
    case T_COSINE: {
      const c = p[o], w = p[o + 1];
      if (isLt(x, c - 0.5 * w) || isGt(x, c + 0.5 * w)) return h * 0.0;
      return h * (0.5 * (1.0 + Math.cos((2.0 / w) * PI * (x - c))));
    }
    case T_SPIKE:
      return h * Math.exp(-Math.abs((10.0 / p[o + 1]) * (x - p[o])));
    case T_BINARY: {
      const s = p[o], d = p[o + 1];
      if (d > s && isGE(x, s)) return h * 1.0;
      if (d < s && isLE(x, s)) return h * 1.0;
      return h * 0.0;
    }
    case T_CONCAVE: {
      const i = p[o], e = p[o + 1];
      if (isLE(i, e)) {
        if (isLt(x, e)) return (h * (e - i)) / (2.0 * e - i - x);
      } else if (isGt(x, e)) {
        return (h * (i - e)) / (i - 2.0 * e + x);
      }
      return h * 1.0;
    }
    case T_DISCRETE:
      return discrete(p, o, n, h, x);
    default:
      return NaN;
  }
}

function sq(v: number): number {
  return Math.pow(v, 2);
}

/** Piecewise-linear through sorted (x, y) pairs, flat outside (fl::Discrete). */
function discrete(p: Float64Array | readonly number[], o: number, n: number, h: number, x: number): number {
  const pairs = n >> 1;
  if (isLE(x, p[o])) return h * p[o + 1];
  const last = o + 2 * (pairs - 1);
  if (isGE(x, p[last])) return h * p[last + 1];
  // lower bound: first pair with xi >= x
  let lo = 0, hi = pairs;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p[o + 2 * mid] < x) lo = mid + 1;
    else hi = mid;
  }
  const lb = o + 2 * lo;
  if (isEq(x, p[lb])) return h * p[lb + 1];
  // upper bound: first pair with xi > x
  let ub = lo;
  while (ub < pairs && !(x < p[o + 2 * ub])) ub++;
  const u = o + 2 * ub;
  const l = lb - 2;
  return h * scale(x, p[l], p[u], p[l + 1], p[u + 1]);
}

/** Σ cᵢ·inputᵢ (+ constant when there is one coefficient more than inputs), as fl::Linear. */
export function linearValue(p: Float64Array | readonly number[], o: number, n: number, inputs: Float64Array | readonly number[], nInputs: number): number {
  let r = 0.0;
  for (let i = 0; i < nInputs; i++) if (i < n) r += p[o + i] * inputs[i];
  if (n > nInputs) r += p[o + n - 1];
  return r;
}

/**
 * Tsukamoto's inverse: the x at which a monotonic term reaches `w` (fl::Term::tsukamoto).
 * Terms without an inverse return µ(w), which is what fuzzylite does.
 */
export function tsukamoto(kind: number, p: Float64Array | readonly number[], o: number, n: number, h: number, w: number, min: number, max: number): number {
  switch (kind) {
    case T_RAMP:
      return scale(w, 0, 1, p[o], p[o + 1]);
    case T_SIGMOID: {
      if (isEq(w, 1.0)) return isGE(p[o + 1], 0.0) ? max : min;
      if (isEq(w, 0.0)) return isGE(p[o + 1], 0.0) ? min : max;
      return p[o] + Math.log(1.0 / w - 1.0) / -p[o + 1];
    }
    case T_S_SHAPE: {
      const d = p[o + 1] - p[o];
      const a = p[o] + Math.sqrt(0.5 * w * d * d);
      const b = p[o + 1] + Math.sqrt(-0.5 * (w - 1.0) * d * d);
      return Math.abs(w - membership(kind, p, o, n, h, a)) < Math.abs(w - membership(kind, p, o, n, h, b)) ? a : b;
    }
    case T_Z_SHAPE: {
      const d = p[o + 1] - p[o];
      const a = p[o] + Math.sqrt(-0.5 * (w - 1.0) * d * d);
      const b = p[o + 1] + Math.sqrt(0.5 * w * d * d);
      return Math.abs(w - membership(kind, p, o, n, h, a)) < Math.abs(w - membership(kind, p, o, n, h, b)) ? a : b;
    }
    case T_CONCAVE: {
      const i = p[o], e = p[o + 1];
      return (i - e) / membership(kind, p, o, n, h, w) + 2 * e - i;
    }
    default:
      return membership(kind, p, o, n, h, w);
  }
}
