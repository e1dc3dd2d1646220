import { FuzzyModelError } from './errors.ts';
import { hedge, hedgeCode } from './hedges.ts';
import { locatedProblems, problems, type Engine, type Expression, type ParsedRule } from './model.ts';
import { snorm, snormCode, tnorm, tnormCode } from './norms.ts';
import { isEq, isGE, isGt, isLE, isLt, bound } from './op.ts';
import { parseRule } from './rule-parser.ts';
import { generate } from './codegen.ts';
import { TERM_CODE, T_CONSTANT, T_FUNCTION, T_LINEAR, linearValue, membership, tsukamoto } from './terms.ts';
import { evaluateFormula, parseFormula, type FormulaNode } from './formula.ts';
import { MATLAB_CONCLUSION_HEDGE_POWER, MATLAB_EXTREMELY, matlabConclusionHedge, matlabMembership } from './matlab-terms.ts';

/**
 * Evaluators of a model: `compile` generates a specialised function, `interpret` walks typed arrays.
 * Semantics are fuzzylite 6's Engine::process(): rules fire in order (a rule reading an output
 * variable sees what earlier rules added), a rule fires when weight·degree ≥ 1e-6 (fl::Op::isGt),
 * integral defuzzifiers sample midpoints min + (i + ½)·dx, and an output no rule reached takes
 * the previous value (lock-previous) or its default.
 * Under `matlab` semantics (engine.semantics) they are evalfis's: every rule with a degree > 0
 * contributes, integral defuzzifiers take resolution + 1 points from min to max inclusive with
 * MATLAB's defuzz formulas, an output with nothing to defuzzify is the middle of its range,
 * `extremely` is x³, MATLAB's MF formulas, and the fuzzylite-only settings (lock-range,
 * lock-previous, default) are not used.
 */
export interface CompiledEngine {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** One inference: reads `inputs` (engine order), writes `outputs` (engine order). No allocation. */
  evaluate(inputs: Float64Array, outputs: Float64Array): void;
  /** Forgets previous output values (lock-previous state). */
  reset(): void;
}

// antecedent program opcodes
const OP_INPUT = 0; // [op, variable, term, nHedges, h1 … hn]  (hedges already in application order)
const OP_OUTPUT = 1; // same layout, degree of the term in the output's fuzzy set so far
const OP_ANY = 2; // [op, variable, nHedges, h1 … hn]  value 1 then hedges
const OP_AND = 3;
const OP_OR = 4;

const DEF_NONE = 0, DEF_CENTROID = 1, DEF_BISECTOR = 2, DEF_SOM = 3, DEF_MOM = 4, DEF_LOM = 5, DEF_WAVG = 6, DEF_WSUM = 7;
const DEF_CODES: Record<string, number> = {
  Centroid: DEF_CENTROID,
  Bisector: DEF_BISECTOR,
  SmallestOfMaximum: DEF_SOM,
  MeanOfMaximum: DEF_MOM,
  LargestOfMaximum: DEF_LOM,
  WeightedAverage: DEF_WAVG,
  WeightedSum: DEF_WSUM,
};

/** Every problem that keeps `engine` from compiling, one message each (empty = ready), like fuzzylite's isReady. */
export function validate(engine: Engine): string[] {
  return problems(engine, parseRule);
}

/** The fast evaluator: a function specialised for this engine (codegen.ts). */
export function compile(engine: Engine): CompiledEngine {
  assertReady(engine);
  return generate(engine);
}

/**
 * The reference evaluator: the same semantics interpreted over typed arrays, no code generation.
 * Kept as the second implementation that tests cross-check `compile` against, bit for bit.
 */
export function interpret(engine: Engine): CompiledEngine {
  assertReady(engine);
  return new FlatEngine(engine);
}

/** Throws a FuzzyModelError naming file and line of the first problem that keeps `engine` from compiling. */
export function assertReady(engine: Engine): void {
  const issues = locatedProblems(engine, parseRule);
  if (engine.semantics === 'matlab') issues.push(...matlabProblems(engine));
  if (issues.length === 0) return;
  // models read from a file: `file:line: ` of the first problem, the line of each further one
  const file = engine.file;
  const where = file === undefined ? '' : issues[0].line === undefined ? `${file}: ` : `${file}:${issues[0].line}: `;
  const text = issues.map((p, k) => (file !== undefined && k > 0 && p.line !== undefined ? `${p.message} (line ${p.line})` : p.message));
  throw new FuzzyModelError(`${where}fuzzy model '${engine.name}' cannot be compiled: ${text.join('; ')}`);
}

/** What `matlab` semantics cannot evaluate: hedges on a conclusion mean something else in evalfis. */
function matlabProblems(engine: Engine): { message: string; line?: number }[] {
  const out: { message: string; line?: number }[] = [];
  for (const b of engine.ruleBlocks) {
    for (const r of b.rules) {
      let parsed: ParsedRule;
      try {
        parsed = parseRule(r, engine);
      } catch {
        continue; // reported by locatedProblems
      }
      for (const c of parsed.consequent) {
        if (c.hedges.length === 0) continue;
        const d = engine.output(c.variable)?.defuzzifier;
        const weighted = d != null && 'type' in d;
        const known = c.hedges.every((h) => h in MATLAB_CONCLUSION_HEDGE_POWER || h === 'not');
        if (!weighted || !known) {
          out.push({ message: `rule '${r.text}': hedges on a conclusion of '${c.variable}' are supported under matlab semantics only for Sugeno outputs and not/very/somewhat/extremely (use --semantics fuzzylite)`, line: r.line ?? b.line });
        }
      }
    }
  }
  return out;
}

/** x of point i of the `matlab` grid: resolution + 1 points from min to max inclusive (linspace). */
export function matlabGridPoint(min: number, max: number, resolution: number, i: number): number {
  return i === resolution ? max : min + (i * (max - min)) / resolution;
}

/** "Nothing to defuzzify" under `matlab` semantics: a value no defuzzifier of a finite range returns. */
const MATLAB_NOTHING = -Infinity;

class FlatEngine implements CompiledEngine {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly nIn: number;
  private readonly nOut: number;
  private readonly inMin: Float64Array;
  private readonly inMax: Float64Array;
  private readonly inLock: Uint8Array;
  private readonly inEnabled: Uint8Array;
  private readonly inValue: Float64Array;
  // terms (all variables), global index
  private readonly tKind: Int32Array;
  private readonly tOff: Int32Array;
  private readonly tN: Int32Array;
  private readonly tH: Float64Array;
  private readonly tP: Float64Array;
  private readonly tCache: Float64Array;
  private readonly tStamp: Int32Array;
  private epoch = 0;
  // outputs
  private readonly oMin: Float64Array;
  private readonly oMax: Float64Array;
  private readonly oLock: Uint8Array;
  private readonly oEnabled: Uint8Array;
  private readonly oAgg: Int32Array;
  private readonly oDef: Int32Array;
  private readonly oRes: Int32Array;
  /** weighted defuzzifier reads memberships (TakagiSugeno) rather than inverses (Tsukamoto) */
  private readonly oSugeno: Uint8Array;
  private readonly oDefault: Float64Array;
  private readonly oLockPrev: Uint8Array;
  private readonly oValue: Float64Array;
  private readonly oPrev: Float64Array;
  // activated terms per output: slots oActStart[o] … oActStart[o] + oActCount[o]
  private readonly oActStart: Int32Array;
  private readonly oActCount: Int32Array;
  private readonly aTerm: Int32Array;
  private readonly aDegree: Float64Array;
  private readonly aImpl: Int32Array;
  // rules
  private readonly nRules: number;
  private readonly rBlockEnabled: Uint8Array;
  private readonly rWeight: Float64Array;
  private readonly rConj: Int32Array;
  private readonly rDisj: Int32Array;
  private readonly rImpl: Int32Array;
  private readonly rProgStart: Int32Array;
  private readonly rProgEnd: Int32Array;
  private readonly prog: Int32Array;
  private readonly rConStart: Int32Array;
  private readonly rConEnd: Int32Array;
  /** conclusions: [output, term, nHedges, h…] */
  private readonly con: Int32Array;
  private readonly stack: Float64Array;
  /** Function terms: parsed formula by term index, and the variable lookup they evaluate with. */
  private readonly tFormula: (FormulaNode | null)[];
  private fx = NaN;
  private readonly lookup: (name: string) => number;
  private readonly matlab: boolean;

  constructor(engine: Engine) {
    this.matlab = engine.semantics === 'matlab';
    this.inputNames = engine.inputs.map((v) => v.name);
    this.outputNames = engine.outputs.map((v) => v.name);
    const nIn = (this.nIn = engine.inputs.length);
    const nOut = (this.nOut = engine.outputs.length);
    this.inMin = Float64Array.from(engine.inputs, (v) => v.min);
    this.inMax = Float64Array.from(engine.inputs, (v) => v.max);
    this.inLock = Uint8Array.from(engine.inputs, (v) => (v.lockRange ? 1 : 0));
    this.inEnabled = Uint8Array.from(engine.inputs, (v) => (v.enabled ? 1 : 0));
    this.inValue = new Float64Array(nIn).fill(NaN);

    const vars = [...engine.inputs, ...engine.outputs];
    const termIndex = new Map<string, number>(); // `${varIndex}/${termName}`
    const kinds: number[] = [], offs: number[] = [], ns: number[] = [], hs: number[] = [], ps: number[] = [];
    vars.forEach((v, vi) => {
      for (const t of v.terms) {
        if (!termIndex.has(`${vi}/${t.name}`)) termIndex.set(`${vi}/${t.name}`, kinds.length);
        else continue; // fuzzylite's getTerm returns the first of equal names
        kinds.push(TERM_CODE[t.kind]);
        offs.push(ps.length);
        ns.push(t.params.length);
        hs.push(t.height);
        ps.push(...t.params);
      }
    });
    this.tKind = Int32Array.from(kinds);
    this.tOff = Int32Array.from(offs);
    this.tN = Int32Array.from(ns);
    this.tH = Float64Array.from(hs);
    this.tP = Float64Array.from(ps);
    const names = vars.map((v) => v.name);
    this.tFormula = [];
    vars.forEach((v) => {
      const seen = new Set<string>();
      for (const t of v.terms) {
        if (seen.has(t.name)) continue;
        seen.add(t.name);
        this.tFormula.push(t.kind === 'Function' ? parseFormula(t.formula, names) : null);
      }
    });
    const position = new Map(names.map((n, i) => [n, i]));
    // fl::Function::membership: inputs' values, outputs' current values, and x
    this.lookup = (name: string) => {
      if (name === 'x') return this.fx;
      const i = position.get(name)!;
      return i < this.nIn ? this.inValue[i] : this.oValue[i - this.nIn];
    };
    this.tCache = new Float64Array(kinds.length);
    this.tStamp = new Int32Array(kinds.length).fill(-1);

    const outs = engine.outputs;
    this.oMin = Float64Array.from(outs, (v) => v.min);
    this.oMax = Float64Array.from(outs, (v) => v.max);
    this.oLock = Uint8Array.from(outs, (v) => (v.lockRange ? 1 : 0));
    this.oEnabled = Uint8Array.from(outs, (v) => (v.enabled ? 1 : 0));
    this.oAgg = Int32Array.from(outs, (v) => (v.aggregation === null ? -1 : snormCode(v.aggregation)));
    this.oDef = Int32Array.from(outs, (v) => (v.defuzzifier ? DEF_CODES[v.defuzzifier.kind] : DEF_NONE));
    this.oRes = Int32Array.from(outs, (v) => (v.defuzzifier && 'resolution' in v.defuzzifier ? v.defuzzifier.resolution : 0));
    this.oSugeno = Uint8Array.from(outs, (v) => (v.defuzzifier && 'type' in v.defuzzifier && v.defuzzifier.type === 'TakagiSugeno' ? 1 : 0));
    this.oDefault = Float64Array.from(outs, (v) => v.defaultValue);
    this.oLockPrev = Uint8Array.from(outs, (v) => (v.lockPrevious ? 1 : 0));
    this.oValue = new Float64Array(nOut).fill(NaN);
    this.oPrev = new Float64Array(nOut).fill(NaN);

    const varIndex = (name: string) => vars.findIndex((v) => v.name === name);
    const tIdx = (vi: number, term: string) => termIndex.get(`${vi}/${term}`)!;

    // rules, in engine order
    const parsed: { rule: ParsedRule; blockEnabled: boolean; conj: number; disj: number; impl: number }[] = [];
    for (const b of engine.ruleBlocks) {
      for (const r of b.rules) {
        parsed.push({
          rule: parseRule(r, engine),
          blockEnabled: b.enabled,
          conj: b.conjunction === null ? -1 : tnormCode(b.conjunction),
          disj: b.disjunction === null ? -1 : snormCode(b.disjunction),
          impl: b.implication === null ? -1 : tnormCode(b.implication),
        });
      }
    }
    const nRules = (this.nRules = parsed.length);
    this.rBlockEnabled = Uint8Array.from(parsed, (p) => (p.blockEnabled ? 1 : 0));
    this.rWeight = Float64Array.from(parsed, (p) => p.rule.weight);
    this.rConj = Int32Array.from(parsed, (p) => p.conj);
    this.rDisj = Int32Array.from(parsed, (p) => p.disj);
    this.rImpl = Int32Array.from(parsed, (p) => p.impl);
    const prog: number[] = [];
    const con: number[] = [];
    this.rProgStart = new Int32Array(nRules);
    this.rProgEnd = new Int32Array(nRules);
    this.rConStart = new Int32Array(nRules);
    this.rConEnd = new Int32Array(nRules);
    const slotsPerOutput = new Array<number>(nOut).fill(0);
    let maxDepth = 1;
    const emit = (e: Expression, depth: number): void => {
      maxDepth = Math.max(maxDepth, depth);
      if (e.type === 'operator') {
        emit(e.left, depth);
        emit(e.right, depth + 1);
        prog.push(e.op === 'and' ? OP_AND : OP_OR);
        return;
      }
      const vi = varIndex(e.variable);
      // fuzzylite applies hedges right to left (the one nearest the term first)
      const hedgesApplied = [...e.hedges].reverse();
      if (e.term === null) {
        // `any` is the last hedge written: value 1, then the hedges written before it
        prog.push(OP_ANY, vi, hedgesApplied.length - 1, ...hedgesApplied.slice(1).map(hedgeCode));
      } else {
        prog.push(e.isOutput ? OP_OUTPUT : OP_INPUT, e.isOutput ? vi - nIn : vi, tIdx(vi, e.term), hedgesApplied.length, ...hedgesApplied.map(hedgeCode));
      }
    };
    parsed.forEach((p, r) => {
      this.rProgStart[r] = prog.length;
      emit(p.rule.antecedent, 1);
      this.rProgEnd[r] = prog.length;
      this.rConStart[r] = con.length;
      for (const c of p.rule.consequent) {
        const vi = varIndex(c.variable);
        const hedgesApplied = [...c.hedges].reverse();
        con.push(vi - nIn, tIdx(vi, c.term), hedgesApplied.length, ...hedgesApplied.map(hedgeCode));
        slotsPerOutput[vi - nIn]++;
      }
      this.rConEnd[r] = con.length;
    });
    this.prog = Int32Array.from(prog);
    this.con = Int32Array.from(con);
    this.stack = new Float64Array(maxDepth + 1);
    this.oActStart = new Int32Array(nOut);
    let total = 0;
    for (let o = 0; o < nOut; o++) {
      this.oActStart[o] = total;
      total += slotsPerOutput[o];
    }
    this.oActCount = new Int32Array(nOut);
    this.aTerm = new Int32Array(total);
    this.aDegree = new Float64Array(total);
    this.aImpl = new Int32Array(total);
  }

  reset(): void {
    this.oValue.fill(NaN);
    this.oPrev.fill(NaN);
    this.inValue.fill(NaN);
  }

  evaluate(inputs: Float64Array, outputs: Float64Array): void {
    const nIn = this.nIn, nOut = this.nOut;
    for (let i = 0; i < nIn; i++) {
      const x = inputs[i];
      this.inValue[i] = this.inLock[i] === 1 && !this.matlab ? bound(x, this.inMin[i], this.inMax[i]) : x;
    }
    this.epoch = (this.epoch + 1) | 0;
    this.oActCount.fill(0);
    for (let r = 0; r < this.nRules; r++) {
      if (this.rBlockEnabled[r] === 0) continue;
      const degree = this.rWeight[r] * this.antecedent(r);
      if (this.matlab ? degree > 0.0 : isGt(degree, 0.0)) this.fire(r, degree);
    }
    for (let o = 0; o < nOut; o++) {
      if (this.oEnabled[o] === 1) this.defuzzify(o);
      outputs[o] = this.oValue[o];
    }
  }

  private termValue(t: number, x: number): number {
    const kind = this.tKind[t];
    if (kind === T_LINEAR) return linearValue(this.tP, this.tOff[t], this.tN[t], this.inValue, this.nIn);
    if (kind === T_FUNCTION) {
      this.fx = x;
      return evaluateFormula(this.tFormula[t]!, this.lookup);
    }
    if (this.matlab) return matlabMembership(kind, this.tP, this.tOff[t], this.tN[t], this.tH[t], x);
    return membership(kind, this.tP, this.tOff[t], this.tN[t], this.tH[t], x);
  }

  private hedge(code: number, x: number): number {
    return this.matlab && code === MATLAB_EXTREMELY ? x * x * x : hedge(code, x);
  }

  private inputMembership(v: number, t: number): number {
    if (this.tStamp[t] === this.epoch) return this.tCache[t];
    const mu = this.termValue(t, this.inValue[v]);
    this.tCache[t] = mu;
    this.tStamp[t] = this.epoch;
    return mu;
  }

  /** Aggregated::activationDegree: the degree a term has reached in an output so far. */
  private outputDegree(o: number, t: number): number {
    const start = this.oActStart[o], end = start + this.oActCount[o], agg = this.oAgg[o];
    let result = 0.0;
    for (let k = start; k < end; k++) {
      if (this.aTerm[k] !== t) continue;
      result = agg >= 0 ? snorm(agg, result, this.aDegree[k]) : result + this.aDegree[k];
    }
    return result;
  }

  private antecedent(r: number): number {
    const prog = this.prog, stack = this.stack;
    const conj = this.rConj[r], disj = this.rDisj[r];
    let sp = 0;
    let pc = this.rProgStart[r];
    const end = this.rProgEnd[r];
    while (pc < end) {
      const op = prog[pc];
      if (op === OP_AND) {
        sp--;
        stack[sp - 1] = tnorm(conj, stack[sp - 1], stack[sp]);
        pc++;
        continue;
      }
      if (op === OP_OR) {
        sp--;
        stack[sp - 1] = snorm(disj, stack[sp - 1], stack[sp]);
        pc++;
        continue;
      }
      let value: number;
      let nh: number;
      let h: number;
      const v = prog[pc + 1];
      if (op === OP_ANY) {
        value = 1.0;
        nh = prog[pc + 2];
        h = pc + 3;
        const enabled = v < this.nIn ? this.inEnabled[v] : this.oEnabled[v - this.nIn];
        if (enabled === 0) {
          value = 0.0;
          nh = 0;
        }
      } else {
        const t = prog[pc + 2];
        nh = prog[pc + 3];
        h = pc + 4;
        if (op === OP_INPUT) {
          if (this.inEnabled[v] === 0) {
            value = 0.0;
            nh = 0;
          } else value = this.inputMembership(v, t);
        } else if (this.oEnabled[v] === 0) {
          value = 0.0;
          nh = 0;
        } else value = this.outputDegree(v, t);
      }
      for (let k = 0; k < nh; k++) value = this.hedge(prog[h + k], value);
      stack[sp++] = value;
      pc = h + (op === OP_ANY ? prog[pc + 2] : prog[pc + 3]);
    }
    return stack[0];
  }

  private fire(r: number, degree: number): void {
    const con = this.con;
    const impl = this.rImpl[r];
    let c = this.rConStart[r];
    const end = this.rConEnd[r];
    while (c < end) {
      const o = con[c], t = con[c + 1], nh = con[c + 2];
      if (this.oEnabled[o] === 1) {
        let d = degree;
        if (this.matlab) {
          // evalfis: each conclusion's hedges act on the rule's degree alone
          for (let k = 0; k < nh; k++) d = matlabConclusionHedge(con[c + 3 + k], d);
        } else {
          // as fl::Consequent::modify, hedges rewrite the degree passed on to later conclusions too
          for (let k = 0; k < nh; k++) degree = hedge(con[c + 3 + k], degree);
          d = degree;
        }
        const slot = this.oActStart[o] + this.oActCount[o]++;
        this.aTerm[slot] = t;
        this.aDegree[slot] = d;
        this.aImpl[slot] = impl;
      }
      c += 3 + nh;
    }
  }

  /** µ of the aggregated fuzzy set of output o at x (fl::Aggregated::membership). */
  private aggregated(o: number, x: number): number {
    const start = this.oActStart[o], end = start + this.oActCount[o], agg = this.oAgg[o];
    let mu = 0.0;
    for (let k = start; k < end; k++) {
      const t = this.aTerm[k];
      const m = this.termValue(t, x);
      mu = snorm(agg, mu, tnorm(this.aImpl[k], m, this.aDegree[k]));
    }
    return mu;
  }

  private defuzzify(o: number): void {
    if (Number.isFinite(this.oValue[o])) this.oPrev[o] = this.oValue[o];
    let result = NaN;
    let valid = false;
    if (this.matlab) {
      // evalfis: the middle of the range when nothing fired (or the aggregated set is zero everywhere)
      result = this.oDef[o] === DEF_NONE ? NaN : this.oActCount[o] > 0 ? this.defuzzified(o) : MATLAB_NOTHING;
      this.oValue[o] = result === MATLAB_NOTHING ? 0.5 * (this.oMin[o] + this.oMax[o]) : result;
      return;
    }
    if (this.oActCount[o] > 0 && this.oDef[o] !== DEF_NONE) {
      result = this.defuzzified(o);
      valid = true;
    }
    if (!valid) result = this.oLockPrev[o] === 1 && !Number.isNaN(this.oPrev[o]) ? this.oPrev[o] : this.oDefault[o];
    this.oValue[o] = this.oLock[o] === 1 ? bound(result, this.oMin[o], this.oMax[o]) : result;
  }

  private defuzzified(o: number): number {
    const def = this.oDef[o];
    const min = this.oMin[o], max = this.oMax[o];
    if (def === DEF_WAVG || def === DEF_WSUM) return this.weighted(o, def === DEF_WAVG, min, max);
    if (!Number.isFinite(min + max)) return NaN;
    const resolution = this.oRes[o];
    if (this.matlab) return this.matlabIntegral(o, def, min, max, resolution);
    const dx = (max - min) / resolution;
    switch (def) {
      case DEF_CENTROID: {
        let area = 0, xc = 0;
        for (let i = 0; i < resolution; i++) {
          const x = min + (i + 0.5) * dx;
          const y = this.aggregated(o, x);
          xc += y * x;
          area += y;
        }
        return xc / area;
      }
      case DEF_BISECTOR: {
        let counter = resolution, left = 0, right = 0, leftArea = 0, rightArea = 0, xLeft = min, xRight = max;
        while (counter-- > 0) {
          if (isLE(leftArea, rightArea)) {
            xLeft = min + (left + 0.5) * dx;
            leftArea += this.aggregated(o, xLeft);
            left++;
          } else {
            xRight = max - (right + 0.5) * dx;
            rightArea += this.aggregated(o, xRight);
            right++;
          }
        }
        return (leftArea * xRight + rightArea * xLeft) / (leftArea + rightArea);
      }
      case DEF_SOM: {
        let ymax = -1.0, xs = min;
        for (let i = 0; i < resolution; i++) {
          const x = min + (i + 0.5) * dx;
          const y = this.aggregated(o, x);
          if (isGt(y, ymax)) {
            xs = x;
            ymax = y;
          }
        }
        return xs;
      }
      case DEF_MOM: {
        let ymax = -1.0, xs = min, xl = max, same = false;
        for (let i = 0; i < resolution; i++) {
          const x = min + (i + 0.5) * dx;
          const y = this.aggregated(o, x);
          if (isGt(y, ymax)) {
            ymax = y;
            xs = x;
            xl = x;
            same = true;
          } else if (same && isEq(y, ymax)) {
            xl = x;
          } else if (isLt(y, ymax)) {
            same = false;
          }
        }
        return 0.5 * (xl + xs);
      }
      case DEF_LOM: {
        let ymax = -1.0, xl = max;
        for (let i = 0; i < resolution; i++) {
          const x = min + (i + 0.5) * dx;
          const y = this.aggregated(o, x);
          if (isGE(y, ymax)) {
            ymax = y;
            xl = x;
          }
        }
        return xl;
      }
      default:
        return NaN;
    }
  }

  /**
   * MATLAB's defuzz over resolution + 1 points: centroid Σµx/Σµ; bisector the first point where the
   * running Σµ reaches half the total; mom the mean of the points at the maximum; som/lom the one of
   * smallest/largest |x| among them. MATLAB_NOTHING when Σµ = 0.
   */
  private matlabIntegral(o: number, def: number, min: number, max: number, resolution: number): number {
    let area = 0.0, ymax = -Infinity;
    for (let i = 0; i <= resolution; i++) {
      const y = this.aggregated(o, matlabGridPoint(min, max, resolution, i));
      area += y;
      if (y > ymax) ymax = y;
    }
    if (area === 0.0) return MATLAB_NOTHING;
    let acc = 0.0, count = 0, best = NaN;
    for (let i = 0; i <= resolution; i++) {
      const x = matlabGridPoint(min, max, resolution, i);
      const y = this.aggregated(o, x);
      switch (def) {
        case DEF_CENTROID:
          acc += y * x;
          break;
        case DEF_BISECTOR:
          acc += y;
          if (acc >= area / 2) return x;
          break;
        case DEF_MOM:
          if (y === ymax) {
            acc += x;
            count++;
          }
          break;
        case DEF_SOM:
          if (y === ymax && !(Math.abs(x) >= Math.abs(best))) best = x;
          break;
        case DEF_LOM:
          if (y === ymax && !(Math.abs(x) <= Math.abs(best))) best = x;
          break;
      }
    }
    if (def === DEF_CENTROID) return acc / area;
    if (def === DEF_MOM) return acc / count;
    return best;
  }

  /**
   * WeightedAverage / WeightedSum over every activated term (not aggregated). `Automatic` takes
   * fuzzylite 6's path, the Tsukamoto inverse, which equals the term's value for Constant/Linear.
   */
  private weighted(o: number, average: boolean, min: number, max: number): number {
    const start = this.oActStart[o], end = start + this.oActCount[o];
    const sugeno = this.oSugeno[o] === 1;
    let sum = 0.0, weights = 0.0;
    for (let k = start; k < end; k++) {
      const w = this.aDegree[k];
      const t = this.aTerm[k];
      const kind = this.tKind[t];
      let z: number;
      if (sugeno || kind === T_CONSTANT || kind === T_LINEAR || kind === T_FUNCTION) z = this.termValue(t, w);
      else z = tsukamoto(kind, this.tP, this.tOff[t], this.tN[t], this.tH[t], w, min, max);
      sum += w * z;
      weights += w;
    }
    return average ? sum / weights : sum;
  }
}

