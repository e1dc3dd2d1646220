import {
  Engine,
  HEDGES,
  INTEGRAL_DEFUZZIFIERS,
  InputVariable,
  OutputVariable,
  RuleBlock,
  SNORMS,
  TNORMS,
  TERM_KINDS,
  Term,
  type TermKind,
} from '../../controllers/fuzzy/index.ts';

/**
 * Seeded random fuzzy models for the conformance tests: together they use every term, norm,
 * hedge, defuzzifier and inference type (Mamdani/Larsen, Sugeno zero/first order and Function
 * consequents, Tsukamoto),
 * nested and/or with parentheses, rule weights, chained outputs, lock-range and lock-previous.
 */
export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let s = this.s;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    this.s = s;
    return s / 4294967296;
  }
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  sorted(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.range(lo, hi)).sort((a, b) => a - b);
  }
}

/** Every membership shape the engine knows (all but the Sugeno output terms and Function). */
export const SHAPE_KINDS: readonly TermKind[] = TERM_KINDS.filter((k) => k !== 'Constant' && k !== 'Linear' && k !== 'Function');
/** Terms with an inverse, for Tsukamoto outputs. */
export const MONOTONIC_KINDS: readonly TermKind[] = ['Ramp', 'Sigmoid', 'SShape', 'ZShape', 'Concave'];

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function randomTerm(r: Rand, name: string, kind: TermKind, lo: number, hi: number, nInputs: number): Term {
  const w = hi - lo;
  const s = (n: number) => r.sorted(n, lo, hi).map(round);
  const spread = () => round(w * r.range(0.05, 0.35));
  let p: number[];
  switch (kind) {
    case 'Triangle':
      p = s(3);
      break;
    case 'Trapezoid':
    case 'PiShape':
      p = s(4);
      break;
    case 'Rectangle':
    case 'SShape':
    case 'ZShape':
      p = s(2);
      break;
    case 'Gaussian':
      p = [round(r.range(lo, hi)), spread()];
      break;
    case 'GaussianProduct': {
      const [a, b] = s(2);
      p = [a, spread(), b, spread()];
      break;
    }
    case 'Bell':
      p = [round(r.range(lo, hi)), spread(), round(r.range(1, 4))];
      break;
    case 'Sigmoid':
      p = [round(r.range(lo, hi)), round((r.pick([-1, 1]) * r.range(4, 30)) / w)];
      break;
    case 'SigmoidDifference': {
      const [a, b] = s(2);
      p = [a, round(r.range(4, 30) / w), round(r.range(4, 30) / w), b];
      break;
    }
    case 'SigmoidProduct': {
      const [a, b] = s(2);
      p = [a, round(r.range(4, 30) / w), round(-r.range(4, 30) / w), b];
      break;
    }
    case 'Ramp':
    case 'Concave':
      p = [round(r.range(lo, hi)), round(r.range(lo, hi))];
      if (p[0] === p[1]) p[1] = round(p[1] + w / 7);
      break;
    case 'Cosine':
    case 'Spike':
      p = [round(r.range(lo, hi)), spread() * 2];
      break;
    case 'Binary':
      p = [round(r.range(lo, hi)), r.pick([Infinity, -Infinity])];
      break;
    case 'Discrete': {
      const xs = s(r.int(2, 5));
      p = xs.flatMap((x) => [x, round(r.next())]);
      break;
    }
    case 'Constant':
      p = [round(r.range(lo, hi))];
      break;
    case 'Linear':
      p = Array.from({ length: nInputs + (r.chance(0.7) ? 1 : 0) }, () => round(r.range(-2, 2)));
      break;
    case 'Function': {
      // fuzzylite's Function term: the inputs' values, x, operators and functions; its formula
      // parser splits '-' off numbers, so negative constants are written with the negation '~'
      const c = round(r.range(lo, hi));
      return new Term(name, kind, [], 1, `${c < 0 ? `~${-c}` : c} + 0.25 * in0 - 0.1 * sin(x) ^ 2 + max(0, ~in0) / 4`);
    }
  }
  const height = kind !== 'Constant' && kind !== 'Linear' && r.chance(0.2) ? round(r.range(0.3, 1)) : 1;
  return new Term(name, kind, p, height);
}

export type Flavour = 'mamdani' | 'sugeno' | 'tsukamoto';

export function randomEngine(seed: number, flavour: Flavour, kinds: readonly TermKind[] = SHAPE_KINDS): Engine {
  const r = new Rand(seed);
  const e = new Engine(`random_${flavour}_${seed}`);
  const nIn = r.int(1, 3);
  for (let i = 0; i < nIn; i++) {
    const lo = round(r.range(-5, 5));
    const v = new InputVariable(`in${i}`, lo, round(lo + r.range(1, 10)));
    v.lockRange = r.chance(0.3);
    const nTerms = r.int(2, 4);
    for (let t = 0; t < nTerms; t++) v.addTerm(randomTerm(r, `t${t}`, r.pick(kinds), v.min, v.max, nIn));
    e.addInput(v);
  }
  const nOut = r.int(1, 2);
  for (let o = 0; o < nOut; o++) {
    const lo = round(r.range(-5, 5));
    const v = new OutputVariable(`out${o}`, lo, round(lo + r.range(1, 10)));
    v.lockRange = r.chance(0.3);
    v.lockPrevious = r.chance(0.3);
    v.defaultValue = r.chance(0.5) ? NaN : round(r.range(v.min, v.max));
    v.aggregation = r.pick(SNORMS);
    const nTerms = r.int(2, 4);
    if (flavour === 'mamdani') {
      const kind = r.pick(INTEGRAL_DEFUZZIFIERS);
      v.defuzzifier = { kind, resolution: r.pick([100, 200, 37, 500]) };
      for (let t = 0; t < nTerms; t++) v.addTerm(randomTerm(r, `m${t}`, r.pick(kinds), v.min, v.max, nIn));
    } else if (flavour === 'sugeno') {
      v.defuzzifier = { kind: r.pick(['WeightedAverage', 'WeightedSum'] as const), type: r.pick(['Automatic', 'TakagiSugeno'] as const) };
      for (let t = 0; t < nTerms; t++) v.addTerm(randomTerm(r, `c${t}`, r.pick(['Constant', 'Linear', 'Constant', 'Linear', 'Function'] as const), v.min, v.max, nIn));
    } else {
      v.defuzzifier = { kind: r.pick(['WeightedAverage', 'WeightedSum'] as const), type: r.pick(['Automatic', 'Tsukamoto'] as const) };
      for (let t = 0; t < nTerms; t++) v.addTerm(randomTerm(r, `k${t}`, r.pick(MONOTONIC_KINDS), v.min, v.max, nIn));
    }
    e.addOutput(v);
  }
  const nBlocks = r.int(1, 2);
  for (let b = 0; b < nBlocks; b++) {
    const block = new RuleBlock(`block${b}`);
    block.conjunction = r.pick(TNORMS);
    block.disjunction = r.pick(SNORMS);
    block.implication = r.pick(TNORMS);
    const nRules = r.int(2, 8);
    for (let k = 0; k < nRules; k++) block.addRule(randomRule(r, e, k));
    e.addRuleBlock(block);
  }
  return e;
}

function proposition(r: Rand, e: Engine, allowOutputs: boolean): string {
  const pool = allowOutputs && r.chance(0.15) ? e.outputs : e.inputs;
  const v = r.pick<InputVariable | OutputVariable>(pool);
  const hedges: string[] = [];
  while (r.chance(0.3)) hedges.push(r.pick(HEDGES.filter((h) => h !== 'any')));
  if (r.chance(0.05)) return `${v.name} is ${[...hedges, 'any'].join(' ')}`;
  return `${v.name} is ${[...hedges, r.pick(v.terms).name].join(' ')}`;
}

function expression(r: Rand, e: Engine, depth: number, allowOutputs: boolean): string {
  if (depth <= 0 || r.chance(0.35)) return proposition(r, e, allowOutputs);
  const op = r.pick(['and', 'or']);
  const left = expression(r, e, depth - 1, allowOutputs);
  const right = expression(r, e, depth - 1, allowOutputs);
  return r.chance(0.4) ? `(${left} ${op} ${right})` : `${left} ${op} ${right}`;
}

function randomRule(r: Rand, e: Engine, k: number): string {
  const antecedent = expression(r, e, 3, k > 0);
  const conclusions = e.outputs
    .filter((_, i) => i === 0 || r.chance(0.6))
    .map((o) => {
      const hedges: string[] = [];
      while (r.chance(0.15)) hedges.push(r.pick(HEDGES.filter((h) => h !== 'any')));
      return `${o.name} is ${[...hedges, r.pick(o.terms).name].join(' ')}`;
    });
  const weight = r.chance(0.3) ? ` with ${round(r.range(0.1, 1))}` : '';
  return `if ${antecedent} then ${conclusions.join(' and ')}${weight}`;
}
