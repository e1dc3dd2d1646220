import type { Expression } from '../fuzzy/index.ts';
import { parseRule } from '../fuzzy/index.ts';
import { FX_SAT, mul16, mul32, sat, sat16, type Coefficient } from './int-math.ts';

/**
 * A Takagi–Sugeno fuzzy controller in fixed point, as the generated firmware runs it: sensor counts
 * in, actuator counts out, every operation an integer one shared with the C (sugeno-fixed-c.ts).
 *
 * Q formats:
 *   - model input i as an int16 x_i: Q4 sensor counts (signal), Q4 counts of reference − signal
 *     (error), or Q8 counts per control period (derivative, optionally low-passed); the model value
 *     is A_i·x_i + B_i, so every term's breakpoints are converted once into x units (rounded);
 *   - memberships in Q15 (1.0 = 32768), ramps by reciprocal multiply: ((x − a)·inv) >> 15 with
 *     inv = floor(2^30/(b − a));
 *   - AND = min or (µ1·µ2) >> 15; rule weight (w·W + 2^14) >> 15;
 *   - consequents (Constant or Linear) directly in Q16 actuator counts: Σ mul16(x_j, K_j) + K0;
 *   - WeightedAverage: trunc(Σ w·z / Σ w) (64-bit numerator); WeightedSum: Σ w·z >> 15;
 *   - no rule fired: the previous counts are held.
 * Only what maps onto this exactly is accepted: triangles, trapezoids and rectangles (with
 * infinite shoulders), 'and' of propositions with the hedge 'not' at most, Constant/Linear outputs.
 */
export const MU_ONE = 32768;
const XMAX = 1 << 20;

export interface SugenoInputMap {
  /** Model input name. */
  readonly name: string;
  readonly kind: 'signal' | 'error' | 'derivative';
  /** Index of the sensor in the controller's inputs, and of the reference (error only) in its references. */
  readonly sensor: number;
  readonly ref: number;
  /** Model value = A·x + B. */
  readonly A: number;
  readonly B: number;
  /** Derivative low-pass β = Ts/(τ + Ts), Q15 (32768 = no filter). */
  readonly beta: Coefficient;
}

export interface SugenoTerm {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly invL: number;
  readonly invR: number;
  readonly openL: boolean;
  readonly openR: boolean;
}

export interface SugenoRule {
  /** Per proposition: input index, term index, negated. */
  readonly props: readonly { readonly input: number; readonly term: number; readonly not: boolean }[];
  readonly product: boolean;
  /** Rule weight in Q15 (32768 = 1). */
  readonly weight: number;
  /** Per model output (−1 when the rule does not conclude on it): consequent index. */
  readonly conclusion: readonly number[];
}

export interface SugenoConsequent {
  /** Linear coefficients per input in Q16 counts per x unit, and the constant in Q16 counts. */
  readonly k: readonly Coefficient[];
  readonly k0: number;
}

export interface SugenoOutputMap {
  readonly name: string;
  /** Actuator index it drives. */
  readonly actuator: number;
  readonly weightedSum: boolean;
  readonly consequents: readonly SugenoConsequent[];
  readonly min_q16: number;
  readonly max_q16: number;
  readonly actMin: number;
  readonly actMax: number;
  readonly initialCounts: number;
}

export interface SugenoFixedModel {
  readonly inputs: readonly SugenoInputMap[];
  /** Terms per input, in x units. */
  readonly terms: readonly (readonly SugenoTerm[])[];
  readonly rules: readonly SugenoRule[];
  readonly outputs: readonly SugenoOutputMap[];
  /** Reference micro-units → Q4 counts, per input (error kind). */
  readonly kr: readonly Coefficient[];
  readonly refOffset_u: readonly number[];
}

/** Converts a term's breakpoints (model units) into x units; a negative slope mirrors the shape. */
export function termInX(kind: string, params: readonly number[], height: number, A: number, B: number, where: string): SugenoTerm {
  if (height !== 1) throw new Error(`${where}: term height ${height} is not supported in fixed point (1 only)`);
  let p: number[];
  if (kind === 'Triangle') p = [params[0], params[1], params[1], params[2]];
  else if (kind === 'Trapezoid') p = [...params];
  else if (kind === 'Rectangle') p = [params[0], params[0], params[1], params[1]];
  else throw new Error(`${where}: ${kind} terms are not supported in fixed point (Triangle, Trapezoid, Rectangle)`);
  const toX = (v: number) => (Number.isFinite(v) ? (v - B) / A : v * Math.sign(A)); // ±∞ flips with a negative slope
  let q = p.map(toX);
  if (A < 0) q = q.reverse();
  const openL = q[0] === -Infinity;
  const openR = q[3] === Infinity;
  const r = (v: number) => (v === Infinity ? XMAX : v === -Infinity ? -XMAX : Math.max(-XMAX, Math.min(XMAX, Math.round(v))));
  let [a, b, c, d] = q.map(r);
  if (openL) a = b;
  if (openR) d = c;
  if (!(a <= b && b <= c && c <= d)) throw new Error(`${where}: breakpoints are not ascending`);
  return { a, b, c, d, invL: b > a ? Math.floor(2 ** 30 / (b - a)) : 0, invR: d > c ? Math.floor(2 ** 30 / (d - c)) : 0, openL, openR };
}

/** µ(x) in Q15, exactly as the C `membership()` computes it. */
export function membershipQ15(t: SugenoTerm, x: number): number {
  if (x < t.a) return t.openL ? MU_ONE : 0;
  if (x > t.d) return t.openR ? MU_ONE : 0;
  if (x < t.b) return ((x - t.a) * t.invL) >> 15;
  if (x <= t.c) return MU_ONE;
  return ((t.d - x) * t.invR) >> 15;
}

/** The antecedent as a flat list of propositions joined by 'and'. */
export function conjunctionOf(e: Expression, rule: string): { variable: string; term: string; not: boolean }[] {
  if (e.type === 'operator') {
    if (e.op !== 'and') throw new Error(`rule '${rule}': only 'and' is supported in fixed point`);
    return [...conjunctionOf(e.left, rule), ...conjunctionOf(e.right, rule)];
  }
  if (e.term === null) throw new Error(`rule '${rule}': the hedge 'any' is not supported in fixed point`);
  const not = e.hedges.length === 1 && e.hedges[0] === 'not';
  if (e.hedges.length > (not ? 1 : 0)) throw new Error(`rule '${rule}': hedges other than 'not' are not supported in fixed point`);
  return [{ variable: e.variable, term: e.term, not }];
}

export { parseRule, FX_SAT };

/** The integer inference; `step` allocates nothing. */
export class SugenoFixed {
  private readonly x: Int32Array;
  private readonly prevX: Int32Array;
  private readonly deriv: Int32Array;
  private readonly mu: Int32Array[];
  private readonly num: Float64Array;
  private readonly den: Float64Array;
  private readonly held: Int32Array;
  private started = false;

  constructor(readonly m: SugenoFixedModel) {
    this.x = new Int32Array(m.inputs.length);
    this.prevX = new Int32Array(m.inputs.length);
    this.deriv = new Int32Array(m.inputs.length);
    this.mu = m.terms.map((ts) => new Int32Array(ts.length));
    this.num = new Float64Array(m.outputs.length);
    this.den = new Float64Array(m.outputs.length);
    this.held = new Int32Array(m.outputs.length);
    this.reset();
  }

  reset(): void {
    this.started = false;
    this.prevX.fill(0);
    this.deriv.fill(0);
    for (let o = 0; o < this.m.outputs.length; o++) this.held[o] = this.m.outputs[o].initialCounts;
  }

  /** Sensor counts and references (micro-units) in; actuator counts written into `act`. */
  step(sensors: ArrayLike<number>, refs_u: ArrayLike<number>, act: Int32Array): void {
    const { inputs, terms, rules, outputs } = this.m;
    for (let i = 0; i < inputs.length; i++) {
      const inp = inputs[i];
      const yq = sensors[inp.sensor] << 4;
      let v = yq;
      if (inp.ref >= 0) {
        const kr = this.m.kr[i];
        const p = (refs_u[inp.ref] - this.m.refOffset_u[i]) * kr.m;
        const r = sat16(kr.shift === 0 ? p : Math.floor((p + 2 ** (kr.shift - 1)) / 2 ** kr.shift));
        v = sat16(r - yq);
      }
      if (inp.kind === 'derivative') {
        if (!this.started) this.prevX[i] = v;
        const raw = (v - this.prevX[i]) * 16;
        this.prevX[i] = v;
        this.deriv[i] = sat(this.deriv[i] + mul32(raw - this.deriv[i], inp.beta.m, inp.beta.shift));
        v = sat16(this.deriv[i]);
      }
      this.x[i] = v;
      const ts = terms[i];
      const mu = this.mu[i];
      for (let t = 0; t < ts.length; t++) mu[t] = membershipQ15(ts[t], v);
    }
    this.started = true;
    this.num.fill(0);
    this.den.fill(0);
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      let w = MU_ONE;
      for (let p = 0; p < rule.props.length; p++) {
        const pr = rule.props[p];
        let mu = this.mu[pr.input][pr.term];
        if (pr.not) mu = MU_ONE - mu;
        if (p === 0) w = mu;
        else if (rule.product) w = (w * mu) >> 15;
        else if (mu < w) w = mu;
      }
      if (rule.weight !== MU_ONE) w = (w * rule.weight + 16384) >> 15;
      if (w === 0) continue;
      for (let o = 0; o < outputs.length; o++) {
        const ci = rule.conclusion[o];
        if (ci < 0) continue;
        const cq = outputs[o].consequents[ci];
        let z = cq.k0;
        for (let j = 0; j < cq.k.length; j++) z = sat(z + mul16(this.x[j], cq.k[j].m, cq.k[j].shift));
        this.num[o] += w * z;
        this.den[o] += w;
      }
    }
    for (let o = 0; o < outputs.length; o++) {
      const out = outputs[o];
      if (this.den[o] > 0) {
        let y = out.weightedSum ? sat(Math.floor(this.num[o] / 32768)) : Math.trunc(this.num[o] / this.den[o]);
        y = y < out.min_q16 ? out.min_q16 : y > out.max_q16 ? out.max_q16 : y;
        const c = (y + 0x8000) >> 16;
        this.held[o] = c < out.actMin ? out.actMin : c > out.actMax ? out.actMax : c;
      }
      act[out.actuator] = this.held[o];
    }
  }
}
