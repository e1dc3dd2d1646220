/**
 * The membership functions ANFIS trains, with their parameter gradients. Parameters are kept in
 * MATLAB order (gbellmf [a b c], gaussmf [σ c], trimf [a b c]); the conversion to the fuzzy
 * engine's term order happens in to-engine.ts. Values use the same expressions as the engine's terms
 * so a saved model evaluates to the same bits.
 */
export const MF_TYPES = ['gbellmf', 'gaussmf', 'trimf'] as const;
export type MfType = (typeof MF_TYPES)[number];

export const MF_ARITY: Readonly<Record<MfType, number>> = { gbellmf: 3, gaussmf: 2, trimf: 3 };

export function isMfType(s: string): s is MfType {
  return (MF_TYPES as readonly string[]).includes(s);
}

/** µ(x) for parameters p[o …]. */
export function mfValue(type: MfType, p: Float64Array, o: number, x: number): number {
  switch (type) {
    case 'gbellmf':
      return 1.0 / (1.0 + Math.pow(Math.abs((x - p[o + 2]) / p[o]), 2.0 * p[o + 1]));
    case 'gaussmf': {
      const s = p[o], c = p[o + 1];
      return Math.exp((-(x - c) * (x - c)) / (2.0 * s * s));
    }
    case 'trimf': {
      // fuzzylite's tolerant comparisons (macheps 1e-6), as the engine's Triangle, so the saved
      // model gives the same value even within 1e-6 of a vertex.
      const a = p[o], b = p[o + 1], c = p[o + 2];
      if (lt(x, a) || lt(c, x)) return 0.0;
      if (eq(x, b)) return 1.0;
      if (lt(x, b)) return (x - a) / (b - a);
      return (c - x) / (c - b);
    }
  }
}

/**
 * Adds `scale`·∂µ/∂p to g[o …] (the chain rule's last factor, accumulated over the data).
 * `mu` is µ(x), already computed.
 */
export function mfAddGradient(type: MfType, p: Float64Array, o: number, x: number, mu: number, scale: number, g: Float64Array): void {
  switch (type) {
    case 'gbellmf': {
      const a = p[o], b = p[o + 1], c = p[o + 2];
      const dx = x - c;
      if (dx === 0) return; // µ = 1 is a maximum: every partial derivative is 0 there
      const t = Math.abs(dx / a);
      const d = Math.pow(t, 2 * b); // µ = 1/(1 + d)
      const m2 = mu * mu;
      g[o] += scale * ((m2 * 2 * b * d) / a);
      g[o + 1] += scale * (-m2 * 2 * d * Math.log(t));
      g[o + 2] += scale * ((m2 * 2 * b * d) / dx);
      return;
    }
    case 'gaussmf': {
      const s = p[o], c = p[o + 1];
      const dx = x - c;
      g[o] += scale * ((mu * dx * dx) / (s * s * s));
      g[o + 1] += scale * ((mu * dx) / (s * s));
      return;
    }
    case 'trimf': {
      const a = p[o], b = p[o + 1], c = p[o + 2];
      if (x > a && x < b) {
        const w = b - a;
        g[o] += scale * ((x - b) / (w * w));
        g[o + 1] += scale * (-(x - a) / (w * w));
      } else if (x > b && x < c) {
        const w = c - b;
        g[o + 1] += scale * ((c - x) / (w * w));
        g[o + 2] += scale * ((x - b) / (w * w));
      }
      return;
    }
  }
}

/** Keeps a trained triangle valid (a ≤ b ≤ c): a gradient step can swap its vertices. */
export function mfRepair(type: MfType, p: Float64Array, o: number): void {
  if (type !== 'trimf') return;
  const v = [p[o], p[o + 1], p[o + 2]].sort((x, y) => x - y);
  p[o] = v[0];
  p[o + 1] = v[1];
  p[o + 2] = v[2];
}

const MACHEPS = 1e-6;
function eq(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) < MACHEPS;
}
function lt(a: number, b: number): boolean {
  return !eq(a, b) && a < b;
}
