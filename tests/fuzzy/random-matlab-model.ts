import { Engine, InputVariable, OutputVariable, RuleBlock, Term, type TermKind } from '../../controllers/fuzzy/index.ts';
import { Rand, randomTerm } from './random-model.ts';

/** MATLAB's own membership functions (trimf … zmf), the ones `.fis` files for MATLAB and Octave use. */
export const MATLAB_KINDS: readonly TermKind[] = ['Triangle', 'Trapezoid', 'Gaussian', 'GaussianProduct', 'Bell', 'Sigmoid', 'SigmoidDifference', 'SigmoidProduct', 'PiShape', 'SShape', 'ZShape'];

/**
 * A seeded random model that MATLAB's `.fis` can express and Octave's toolkit evaluates: 1–3 inputs
 * with MATLAB MFs (flat-ended trapezoids and non-integer gbellmf slopes included), `and`-only or
 * `or`-only rules with `not`/`very`/`somewhat`/`extremely`, weights, several outputs, min/prod
 * conjunction and implication, max/sum disjunction and aggregation. Product conjunction over
 * narrow MFs gives rule activations far below fuzzylite's 1e-6 firing threshold.
 */
export function randomMatlabEngine(seed: number, type: 'mamdani' | 'sugeno'): Engine {
  const r = new Rand(seed);
  const e = new Engine(`m${seed}`);
  const nIn = r.int(1, 3);
  for (let i = 0; i < nIn; i++) {
    const lo = Math.round(r.range(-10, 5) * 1000) / 1000;
    const hi = Math.round((lo + r.range(1, 20)) * 1000) / 1000;
    const v = new InputVariable(`in${i}`, lo, hi);
    const n = r.int(2, 4);
    for (let k = 0; k < n; k++) {
      const kind = r.pick(MATLAB_KINDS);
      const t = randomTerm(r, `t${k}`, kind, lo, hi, nIn);
      t.height = 1; // a term height is fuzzylite's extension of .fis
      if (kind === 'Trapezoid' && r.chance(0.3)) t.params[r.chance(0.5) ? 1 : 2] = t.params[r.chance(0.5) ? 0 : 3]; // flat end
      if (kind === 'Trapezoid') t.params.sort((a, b) => a - b);
      v.addTerm(t);
    }
    e.addInput(v);
  }
  const nOut = r.int(1, 2);
  for (let o = 0; o < nOut; o++) {
    const lo = Math.round(r.range(-5, 5) * 1000) / 1000;
    const hi = Math.round((lo + r.range(1, 10)) * 1000) / 1000;
    const v = new OutputVariable(`out${o}`, lo, hi);
    const n = r.int(2, 4);
    for (let k = 0; k < n; k++) {
      if (type === 'mamdani') v.addTerm(Object.assign(randomTerm(r, `u${k}`, r.pick(MATLAB_KINDS), lo, hi, nIn), { height: 1 }));
      else if (r.chance(0.5)) v.addTerm(new Term(`u${k}`, 'Constant', [Math.round(r.range(lo, hi) * 1e6) / 1e6]));
      else v.addTerm(new Term(`u${k}`, 'Linear', Array.from({ length: nIn + 1 }, () => Math.round(r.range(-2, 2) * 1e6) / 1e6)));
    }
    v.aggregation = type === 'mamdani' ? r.pick(['Maximum', 'UnboundedSum'] as const) : 'Maximum';
    v.defuzzifier =
      type === 'mamdani'
        ? { kind: r.pick(['Centroid', 'Bisector', 'MeanOfMaximum', 'SmallestOfMaximum', 'LargestOfMaximum'] as const), resolution: 100 }
        : { kind: r.pick(['WeightedAverage', 'WeightedSum'] as const), type: 'Automatic' };
    e.addOutput(v);
  }
  // .fis holds one set of methods: every output shares the first one's
  for (const v of e.outputs) {
    v.aggregation = e.outputs[0].aggregation;
    v.defuzzifier = e.outputs[0].defuzzifier;
  }
  const b = new RuleBlock('rules');
  b.conjunction = r.pick(['Minimum', 'AlgebraicProduct'] as const);
  b.disjunction = r.pick(['Maximum', 'UnboundedSum'] as const);
  b.implication = r.pick(['Minimum', 'AlgebraicProduct'] as const);
  const nRules = r.int(3, 9);
  for (let k = 0; k < nRules; k++) {
    const op = r.chance(0.7) ? 'and' : 'or';
    const props: string[] = [];
    for (const v of e.inputs) {
      if (props.length > 0 && r.chance(0.25)) continue;
      const hedges = [r.chance(0.2) ? 'not' : '', r.chance(0.3) ? r.pick(['very', 'somewhat', 'extremely']) : ''].filter(Boolean).join(' ');
      props.push(`${v.name} is ${hedges ? `${hedges} ` : ''}${r.pick(v.terms).name}`);
    }
    const conclusions: string[] = [];
    for (const v of e.outputs) {
      // hedges on a conclusion: Octave's meaning for Sugeno outputs (the degree to the power 1/h, then not)
      const hedge = type === 'sugeno' && r.chance(0.2) ? `${r.pick(['not ', 'very ', 'somewhat ', 'extremely ', 'not very '])}` : '';
      if (conclusions.length === 0 || r.chance(0.7)) conclusions.push(`${v.name} is ${hedge}${r.pick(v.terms).name}`);
    }
    const weight = r.chance(0.3) ? ` with ${Math.round(r.range(0.1, 1) * 100) / 100}` : '';
    b.addRule(`if ${props.join(` ${op} `)} then ${conclusions.join(' and ')}${weight}`);
  }
  e.addRuleBlock(b);
  e.semantics = 'matlab';
  return e;
}
