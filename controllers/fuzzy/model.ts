import { FuzzyModelError } from './errors.ts';
import { HEDGES, type HedgeName } from './hedges.ts';
import { SNORMS, TNORMS, type SNormName, type TNormName } from './norms.ts';
import { TERM_ARITY, TERM_CODE, TERM_KINDS, linearValue, membership, type TermKind } from './terms.ts';
import { evaluateFormula, parseFormula } from './formula.ts';

/**
 * The readable fuzzy model: what a user builds in code or reads from `.fll`/`.fis`, and what the
 * writers export. It mirrors fuzzylite's object model (Engine, variables, terms, rule blocks) without
 * its getters and setters. Inference runs on `compile(engine)`, never on this tree.
 */

/** A linguistic term: a named membership function. `params` are the shape parameters (no height). */
export class Term {
  constructor(
    public name: string,
    public kind: TermKind,
    public params: number[],
    /** Scales the membership (fuzzylite's optional last parameter); 1 by default. Unused by Constant, Linear and Function. */
    public height = 1,
    /** Function terms: the formula (formula.ts), over `x` and the variables' values. */
    public formula = '',
  ) {}

  /** Source line when read from a file, for error messages. */
  line?: number;

  /**
   * µ(x). Linear terms need the engine's input values in order; a Function term here sees only
   * `x` (other variables read NaN): evaluate it through `compile` for the engine's values.
   */
  membership(x: number, inputs: readonly number[] = []): number {
    if (this.kind === 'Linear') return linearValue(this.params, 0, this.params.length, inputs, inputs.length);
    if (this.kind === 'Function') return evaluateFormula(parseFormula(this.formula, null), (name) => (name === 'x' ? x : NaN));
    return membership(TERM_CODE[this.kind], this.params, 0, this.params.length, this.height, x);
  }

  /** Problems with the parameter count, as messages. */
  problems(): string[] {
    const arity = TERM_ARITY[this.kind];
    const n = this.params.length;
    if (this.kind !== 'Function' && (this.params.some(Number.isNaN) || Number.isNaN(this.height))) return [`term '${this.name}': ${this.kind} ${this.params.join(' ')}: a parameter is NaN`];
    if (this.kind === 'Discrete') {
      if (n < 2 || n % 2 !== 0) return [`term '${this.name}': Discrete needs pairs of x y values`];
      for (let i = 2; i < n; i += 2) {
        if (this.params[i] < this.params[i - 2]) return [`term '${this.name}': Discrete x values must be ascending`];
      }
      return [];
    }
    if (this.kind === 'Linear') return [];
    if (this.kind === 'Function') return this.formula.trim() === '' ? [`term '${this.name}': Function needs a formula`] : [];
    if (n !== arity) return [`term '${this.name}': ${this.kind} needs ${arity} parameters, got ${n}`];
    return this.shapeProblems();
  }

  /** Parameters that give no membership function: a shape of zero width, a zero spread (NaN is caught by problems()). */
  private shapeProblems(): string[] {
    const p = this.params;
    const named = `term '${this.name}': ${this.kind} ${p.join(' ')}`;
    const ascending = (q: number[]) => q.every((x, i) => i === 0 || q[i - 1] <= x);
    switch (this.kind) {
      case 'Triangle':
      case 'Trapezoid':
        if (!ascending(p)) return [`${named}: the vertices must be in ascending order`];
        if (p[0] === p[p.length - 1]) return [`${named}: has zero width (first and last vertex equal)`];
        return [];
      case 'Rectangle':
        return p[0] < p[1] ? [] : [`${named}: start must be below end`];
      case 'Gaussian':
        return p[1] !== 0 ? [] : [`${named}: the standard deviation must not be 0`];
      case 'GaussianProduct':
        return p[1] !== 0 && p[3] !== 0 ? [] : [`${named}: the standard deviations must not be 0`];
      case 'Bell':
        return p[1] !== 0 ? [] : [`${named}: the width must not be 0`];
      default:
        return [];
    }
  }
}

abstract class Variable {
  description = '';
  /** Source line of its declaration (FCL: its DEFUZZIFY/FUZZIFY block) when read from a file, for error messages. */
  line?: number;
  enabled = true;
  /** Values are clamped into [min, max] when set (fuzzylite's `lock-range`). */
  lockRange = false;
  terms: Term[] = [];

  constructor(
    public name: string,
    public min: number,
    public max: number,
  ) {}

  term(name: string): Term | undefined {
    return this.terms.find((t) => t.name === name);
  }

  addTerm(term: Term): this {
    this.terms.push(term);
    return this;
  }
}

export class InputVariable extends Variable {
  readonly isOutput = false;
}

export const INTEGRAL_DEFUZZIFIERS = ['Centroid', 'Bisector', 'SmallestOfMaximum', 'MeanOfMaximum', 'LargestOfMaximum'] as const;
export const WEIGHTED_DEFUZZIFIERS = ['WeightedAverage', 'WeightedSum'] as const;
export type IntegralDefuzzifierName = (typeof INTEGRAL_DEFUZZIFIERS)[number];
export type WeightedDefuzzifierName = (typeof WEIGHTED_DEFUZZIFIERS)[number];
/** How a weighted defuzzifier reads each activated term: `Automatic` behaves as fuzzylite 6 (see docs/fuzzy.md). */
export type WeightedType = 'Automatic' | 'TakagiSugeno' | 'Tsukamoto';
export type Defuzzifier =
  | { kind: IntegralDefuzzifierName; /** sample points over the range; fuzzylite's default is 100 */ resolution: number }
  | { kind: WeightedDefuzzifierName; type: WeightedType };

/** fuzzylite's default resolution of integral defuzzifiers. */
export const DEFAULT_RESOLUTION = 100;
/**
 * Highest resolution accepted for the integral defuzzifiers: an evaluation costs that many points
 * per output (10^6 is about 10 ms; a typo of 10^9 took over a minute for two rows).
 */
export const MAX_RESOLUTION = 1_000_000;

export class OutputVariable extends Variable {
  readonly isOutput = true;
  /** S-norm that combines activated terms; null = none (weighted defuzzifiers do not need one). */
  aggregation: SNormName | null = 'Maximum';
  defuzzifier: Defuzzifier | null = { kind: 'Centroid', resolution: DEFAULT_RESOLUTION };
  /** Value when no rule fires (NaN by default). */
  defaultValue = NaN;
  /** When no rule fires, keep the previous valid value instead of the default. */
  lockPrevious = false;
}

export type Variable_ = InputVariable | OutputVariable;

/** A proposition `variable is [hedges] term`; `term` is null after the hedge `any`. */
export interface Proposition {
  readonly type: 'proposition';
  readonly variable: string;
  readonly isOutput: boolean;
  readonly hedges: readonly HedgeName[];
  readonly term: string | null;
}
export interface OperatorNode {
  readonly type: 'operator';
  readonly op: 'and' | 'or';
  readonly left: Expression;
  readonly right: Expression;
}
export type Expression = Proposition | OperatorNode;
export interface Conclusion {
  readonly variable: string;
  readonly hedges: readonly HedgeName[];
  readonly term: string;
}
export interface ParsedRule {
  readonly antecedent: Expression;
  readonly consequent: readonly Conclusion[];
  readonly weight: number;
}

/** One rule in fuzzylite's grammar: `if A is x and (B is very y or C is z) then O is w [with 0.5]`. */
export class Rule {
  /** Source line when read from a file, for error messages. */
  line?: number;
  constructor(public text: string) {}
}

export const ACTIVATIONS = ['General'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export class RuleBlock {
  description = '';
  enabled = true;
  conjunction: TNormName | null = 'Minimum';
  disjunction: SNormName | null = 'Maximum';
  /** Min = Mamdani, AlgebraicProduct = Larsen; null for Sugeno/Tsukamoto blocks. */
  implication: TNormName | null = 'Minimum';
  activation: ActivationName = 'General';
  rules: Rule[] = [];
  /** Source line of the block when read from a file, for error messages. */
  line?: number;

  constructor(public name = '') {}

  /** Adds a rule from fuzzylite-grammar text. Checked against the engine by `parseRule`/`compile`. */
  addRule(text: string): this {
    this.rules.push(new Rule(text));
    return this;
  }
}

/**
 * What a model means when evaluated: `fuzzylite` (fuzzylite 6's Engine::process) or `matlab` (what
 * MATLAB's and Octave's evalfis compute). Reading a `.fis` gives `matlab`, `.fll`/`.fcl` `fuzzylite`.
 */
export const SEMANTICS = ['matlab', 'fuzzylite'] as const;
export type Semantics = (typeof SEMANTICS)[number];

export class Engine {
  description = '';
  /** How `compile`/`interpret` evaluate this model (docs/fuzzy.md, "Semantics"). */
  semantics: Semantics = 'fuzzylite';
  inputs: InputVariable[] = [];
  outputs: OutputVariable[] = [];
  ruleBlocks: RuleBlock[] = [];
  /** The file the model was read from, for error messages (lines are on variables, terms, blocks, rules). */
  file?: string;

  constructor(public name = '') {}

  addInput(v: InputVariable): this {
    this.inputs.push(v);
    return this;
  }
  addOutput(v: OutputVariable): this {
    this.outputs.push(v);
    return this;
  }
  addRuleBlock(b: RuleBlock): this {
    this.ruleBlocks.push(b);
    return this;
  }
  input(name: string): InputVariable | undefined {
    return this.inputs.find((v) => v.name === name);
  }
  output(name: string): OutputVariable | undefined {
    return this.outputs.find((v) => v.name === name);
  }
  variable(name: string): InputVariable | OutputVariable | undefined {
    return this.input(name) ?? this.output(name);
  }
}

export function isTNorm(s: string): s is TNormName {
  return (TNORMS as readonly string[]).includes(s);
}
export function isSNorm(s: string): s is SNormName {
  return (SNORMS as readonly string[]).includes(s);
}
export function isHedge(s: string): s is HedgeName {
  return (HEDGES as readonly string[]).includes(s);
}
export function isTermKind(s: string): s is TermKind {
  return (TERM_KINDS as readonly string[]).includes(s);
}

/** Every problem that keeps `engine` from being compiled, each as one message (empty = ready). */
export function problems(engine: Engine, parse: (rule: Rule, engine: Engine) => ParsedRule): string[] {
  return locatedProblems(engine, parse).map((p) => p.message);
}

/** `problems`, each with the source line it is about when the model was read from a file. */
export function locatedProblems(engine: Engine, parse: (rule: Rule, engine: Engine) => ParsedRule): { message: string; line?: number }[] {
  const out: { message: string; line?: number }[] = [];
  let line: number | undefined;
  const push = (message: string) => out.push({ message, line });
  const names = new Set<string>();
  for (const v of [...engine.inputs, ...engine.outputs]) {
    line = v.line;
    if (names.has(v.name)) push(`variable '${v.name}' is defined twice`);
    names.add(v.name);
    if (!(v.min <= v.max)) push(`variable '${v.name}': range ${v.min} ${v.max} is not ascending`);
    const termNames = new Set<string>();
    for (const t of v.terms) {
      line = t.line ?? v.line;
      if (termNames.has(t.name)) push(`variable '${v.name}': term '${t.name}' is defined twice`);
      termNames.add(t.name);
      for (const p of t.problems()) push(`variable '${v.name}': ${p}`);
      if (t.kind === 'Function') {
        try {
          parseFormula(t.formula, [...engine.inputs, ...engine.outputs].map((w) => w.name));
        } catch (e) {
          push(`variable '${v.name}': term '${t.name}': ${(e as Error).message}`);
        }
      }
    }
  }
  for (const o of engine.outputs) {
    line = o.line;
    if (o.defuzzifier && (INTEGRAL_DEFUZZIFIERS as readonly string[]).includes(o.defuzzifier.kind)) {
      const r = (o.defuzzifier as { resolution: number }).resolution;
      if (!(Number.isInteger(r) && r > 0)) push(`output '${o.name}': resolution must be a positive integer, got ${r}`);
      else if (r > MAX_RESOLUTION) push(`output '${o.name}': resolution ${r} is above the limit of ${MAX_RESOLUTION} (each evaluation integrates over that many points)`);
      if (!Number.isFinite(o.min) || !Number.isFinite(o.max)) push(`output '${o.name}': range [${o.min}, ${o.max}] is not finite, so ${o.defuzzifier.kind} cannot integrate over it; give the output a finite range`);
      if (o.aggregation === null) push(`output '${o.name}': ${o.defuzzifier.kind} needs an aggregation S-norm (aggregation: in .fll, ACCU in .fcl)`);
    }
  }
  for (const b of engine.ruleBlocks) {
    for (const r of b.rules) {
      line = r.line ?? b.line;
      try {
        const parsed = parse(r, engine);
        const needs = needsNorms(parsed.antecedent);
        if (needs.and && b.conjunction === null) push(`rule '${r.text}': uses 'and' but rule block '${b.name}' has no conjunction`);
        if (needs.or && b.disjunction === null) push(`rule '${r.text}': uses 'or' but rule block '${b.name}' has no disjunction`);
        for (const c of parsed.consequent) {
          const o = engine.output(c.variable)!;
          const integral = o.defuzzifier && (INTEGRAL_DEFUZZIFIERS as readonly string[]).includes(o.defuzzifier.kind);
          if (integral && b.implication === null) {
            push(`rule '${r.text}': output '${o.name}' is defuzzified by ${o.defuzzifier!.kind}, which needs an implication in rule block '${b.name}' (implication: in .fll, ACT in .fcl)`);
          }
        }
      } catch (e) {
        push((e as Error).message);
      }
    }
  }
  return out;
}

function needsNorms(e: Expression): { and: boolean; or: boolean } {
  if (e.type === 'proposition') return { and: false, or: false };
  const l = needsNorms(e.left);
  const r = needsNorms(e.right);
  return { and: l.and || r.and || e.op === 'and', or: l.or || r.or || e.op === 'or' };
}

export { FuzzyModelError };
