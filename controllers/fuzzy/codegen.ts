import { hedge, hedgeCode } from './hedges.ts';
import type { Engine, Expression } from './model.ts';
import { snorm, snormCode, tnorm, tnormCode } from './norms.ts';
import { bound, fmax, fmin, isEq, isGE, isGt, isLE, isLt, scale } from './op.ts';
import { parseRule } from './rule-parser.ts';
import { TERM_CODE, membership, tsukamoto, type TermKind } from './terms.ts';
import { FORMULA_FUNCTIONS, formulaToJs, parseFormula } from './formula.ts';
import type { CompiledEngine } from './compile.ts';

/**
 * The fast path: the engine is turned into one specialised JavaScript function (constants inlined,
 * rules unrolled, one aggregation function per output), built once with `new Function`. Only numbers
 * and indices reach the generated source, never names from the model file. The evaluation order is
 * fuzzylite's, operation for operation, so the results equal the interpreter's (interpret.ts) bit
 * for bit; tests check both against each other and against fuzzylite.
 */
export function generate(engine: Engine): CompiledEngine {
  const g = new Generator(engine);
  return g.build();
}

/** A JS literal that parses back to exactly `v`. */
function lit(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${String(v)})` : String(v);
}

/** Membership of one term at `x` as a JS function body, mirroring terms.ts operation for operation. */
function termBody(kind: TermKind, p: readonly number[], h: number): string | null {
  const P = p.map(lit);
  const H = lit(h);
  const head = 'if (x !== x) return NaN;';
  switch (kind) {
    case 'Triangle': {
      const [a, b, c] = P;
      return `${head}
if (isLt(x, ${a}) || isGt(x, ${c})) return ${H} * 0.0;
if (isEq(x, ${b})) return ${H} * 1.0;
if (isLt(x, ${b})) { ${p[0] === -Infinity ? `return ${H} * 1.0;` : `return (${H} * (x - ${a})) / (${b} - ${a});`} }
${p[2] === Infinity ? `return ${H} * 1.0;` : `return (${H} * (${c} - x)) / (${c} - ${b});`}`;
    }
    case 'Trapezoid': {
      const [a, b, c, d] = P;
      return `${head}
if (isLt(x, ${a}) || isGt(x, ${d})) return ${H} * 0.0;
if (isLt(x, ${b})) { ${p[0] === -Infinity ? `return ${H} * 1.0;` : `return ${H} * fmin(1.0, (x - ${a}) / (${b} - ${a}));`} }
if (isLE(x, ${c})) return ${H} * 1.0;
if (isLt(x, ${d})) { ${p[3] === Infinity ? `return ${H} * 1.0;` : `return (${H} * (${d} - x)) / (${d} - ${c});`} }
return ${p[3] === Infinity ? `${H} * 1.0` : `${H} * 0.0`};`;
    }
    case 'Rectangle':
      return `${head}\nreturn isGE(x, ${P[0]}) && isLE(x, ${P[1]}) ? ${H} * 1.0 : ${H} * 0.0;`;
    case 'Gaussian':
      return `${head}\nreturn ${H} * Math.exp((-(x - ${P[0]}) * (x - ${P[0]})) / (2.0 * ${P[1]} * ${P[1]}));`;
    case 'GaussianProduct':
      return `${head}
let a = 1.0, b = 1.0;
if (isLt(x, ${P[0]})) a = Math.exp((-(x - ${P[0]}) * (x - ${P[0]})) / (2.0 * ${P[1]} * ${P[1]}));
if (isGt(x, ${P[2]})) b = Math.exp((-(x - ${P[2]}) * (x - ${P[2]})) / (2.0 * ${P[3]} * ${P[3]}));
return ${H} * a * b;`;
    case 'Bell':
      return `${head}\nreturn ${H} * (1.0 / (1.0 + Math.pow(Math.abs((x - ${P[0]}) / ${P[1]}), 2.0 * ${P[2]})));`;
    case 'Sigmoid':
      return `${head}\nreturn (${H} * 1.0) / (1.0 + Math.exp(-${P[1]} * (x - ${P[0]})));`;
    case 'SigmoidDifference':
      return `${head}
const a = 1.0 / (1.0 + Math.exp(-${P[1]} * (x - ${P[0]})));
const b = 1.0 / (1.0 + Math.exp(-${P[2]} * (x - ${P[3]})));
return ${H} * Math.abs(a - b);`;
    case 'SigmoidProduct':
      return `${head}
const a = 1.0 + Math.exp(-${P[1]} * (x - ${P[0]}));
const b = 1.0 + Math.exp(-${P[2]} * (x - ${P[3]}));
return (${H} * 1.0) / (a * b);`;
    case 'PiShape': {
      const [bl, tl, tr, br] = P;
      return `${head}
let s, z;
if (isLE(x, ${bl})) s = 0.0;
else if (isLE(x, 0.5 * (${bl} + ${tl}))) s = 2.0 * Math.pow((x - ${bl}) / (${tl} - ${bl}), 2);
else if (isLt(x, ${tl})) s = 1.0 - 2.0 * Math.pow((x - ${tl}) / (${tl} - ${bl}), 2);
else s = 1.0;
if (isLE(x, ${tr})) z = 1.0;
else if (isLE(x, 0.5 * (${tr} + ${br}))) z = 1.0 - 2.0 * Math.pow((x - ${tr}) / (${br} - ${tr}), 2);
else if (isLt(x, ${br})) z = 2.0 * Math.pow((x - ${br}) / (${br} - ${tr}), 2);
else z = 0.0;
return ${H} * s * z;`;
    }
    case 'SShape': {
      const [s, e] = P;
      return `${head}
if (isLE(x, ${s})) return ${H} * 0.0;
if (isLE(x, 0.5 * (${s} + ${e}))) return ${H} * (2.0 * Math.pow((x - ${s}) / (${e} - ${s}), 2));
if (isLt(x, ${e})) return ${H} * (1.0 - 2.0 * Math.pow((x - ${e}) / (${e} - ${s}), 2));
return ${H} * 1.0;`;
    }
    case 'ZShape': {
      const [s, e] = P;
      return `${head}
if (isLE(x, ${s})) return ${H} * 1.0;
if (isLE(x, 0.5 * (${s} + ${e}))) return ${H} * (1.0 - 2.0 * Math.pow((x - ${s}) / (${e} - ${s}), 2));
if (isLt(x, ${e})) return ${H} * (2.0 * Math.pow((x - ${e}) / (${e} - ${s}), 2));
return ${H} * 0.0;`;
    }
    case 'Ramp': {
      const [s, e] = P;
      if (isEq(p[0], p[1])) return `${head}\nreturn ${H} * 0.0;`;
      if (isLt(p[0], p[1])) {
        return `${head}
if (isLE(x, ${s})) return ${H} * 0.0;
if (isGE(x, ${e})) return ${H} * 1.0;
return (${H} * (x - ${s})) / (${e} - ${s});`;
      }
      return `${head}
if (isGE(x, ${s})) return ${H} * 0.0;
if (isLE(x, ${e})) return ${H} * 1.0;
return (${H} * (${s} - x)) / (${s} - ${e});`;
    }
    case 'Cosine': {
      const [c, w] = P;
      return `${head}
if (isLt(x, ${c} - 0.5 * ${w}) || isGt(x, ${c} + 0.5 * ${w})) return ${H} * 0.0;
return ${H} * (0.5 * (1.0 + Math.cos((2.0 / ${w}) * PI * (x - ${c}))));`;
    }
    case 'Spike':
      return `${head}\nreturn ${H} * Math.exp(-Math.abs((10.0 / ${P[1]}) * (x - ${P[0]})));`;
    case 'Binary': {
      const [s, d] = P;
      return `${head}
if (${d} > ${s} && isGE(x, ${s})) return ${H} * 1.0;
if (${d} < ${s} && isLE(x, ${s})) return ${H} * 1.0;
return ${H} * 0.0;`;
    }
    case 'Concave': {
      const [i, e] = P;
      if (isLE(p[0], p[1])) {
        return `${head}\nif (isLt(x, ${e})) return (${H} * (${e} - ${i})) / (2.0 * ${e} - ${i} - x);\nreturn ${H} * 1.0;`;
      }
      return `${head}\nif (isGt(x, ${e})) return (${H} * (${i} - ${e})) / (${i} - 2.0 * ${e} + x);\nreturn ${H} * 1.0;`;
    }
    default:
      return null; // Discrete, Constant, Linear: handled by the caller
  }
}

interface Site {
  output: number;
  term: number; // global term index
  impl: number; // implication T-norm code of its rule block (-1: none)
}

class Generator {
  private readonly engine: Engine;
  private readonly nIn: number;
  private readonly nOut: number;
  /** global term index → [variable index, term] */
  private readonly terms: { vi: number; kind: TermKind; params: number[]; height: number; formula: string }[] = [];
  private readonly termIndex = new Map<string, number>();
  private readonly sites: Site[] = [];
  private readonly consts: number[][] = [];

  constructor(engine: Engine) {
    this.engine = engine;
    this.nIn = engine.inputs.length;
    this.nOut = engine.outputs.length;
    [...engine.inputs, ...engine.outputs].forEach((v, vi) => {
      for (const t of v.terms) {
        const key = `${vi}/${t.name}`;
        if (this.termIndex.has(key)) continue;
        this.termIndex.set(key, this.terms.length);
        this.terms.push({ vi, kind: t.kind, params: t.params.slice(), height: t.height, formula: t.formula });
      }
    });
  }

  private varIndex(name: string): number {
    const i = this.engine.inputs.findIndex((v) => v.name === name);
    return i >= 0 ? i : this.nIn + this.engine.outputs.findIndex((v) => v.name === name);
  }

  /** Membership never negative (shape terms with a non-negative height and, for Discrete, y values). */
  private nonNegative(t: number): boolean {
    const term = this.terms[t];
    if (term.kind === 'Constant' || term.kind === 'Linear' || term.kind === 'Function') return false;
    if (!(term.height >= 0)) return false;
    if (term.kind === 'Discrete') return term.params.every((v, i) => i % 2 === 0 || v >= 0);
    return true;
  }

  /** Expression computing term t's value at `x` (Linear reads the clamped inputs v0…). */
  private termCall(t: number, x: string): string {
    const term = this.terms[t];
    if (term.kind === 'Constant') return lit(term.params[0]);
    if (term.kind === 'Linear') {
      let expr = '0.0';
      for (let i = 0; i < this.nIn; i++) if (i < term.params.length) expr = `(${expr} + ${lit(term.params[i])} * V[${i}])`;
      if (term.params.length > this.nIn) expr = `(${expr} + ${lit(term.params[term.params.length - 1])})`;
      return expr;
    }
    return `T${t}(${x})`;
  }

  private termFunctions(): string {
    const out: string[] = [];
    const names = [...this.engine.inputs, ...this.engine.outputs].map((v) => v.name);
    this.terms.forEach((term, t) => {
      if (term.kind === 'Constant' || term.kind === 'Linear') return;
      if (term.kind === 'Function') {
        // inputs' values, outputs' current values (val is updated output by output), and x
        const expr = formulaToJs(parseFormula(term.formula, names), (name) => {
          if (name === 'x') return 'x';
          const i = names.indexOf(name);
          return i < this.nIn ? `V[${i}]` : `val[${i - this.nIn}]`;
        }, lit);
        out.push(`function T${t}(x) { return ${expr}; }`);
        return;
      }
      const body = termBody(term.kind, term.params, term.height);
      if (body !== null) out.push(`function T${t}(x) {\n${body}\n}`);
      else {
        // Discrete: the shared implementation over a constant parameter block
        this.consts.push(term.params);
        const k = this.consts.length - 1;
        out.push(`function T${t}(x) { return membership(${TERM_CODE[term.kind]}, K[${k}], 0, ${term.params.length}, ${lit(term.height)}, x); }`);
      }
    });
    return out.join('\n');
  }

  build(): CompiledEngine {
    const engine = this.engine;
    const nIn = this.nIn, nOut = this.nOut;
    const lines: string[] = [];
    const emit = (s: string) => lines.push(s);

    // inputs
    engine.inputs.forEach((v, i) => {
      emit(v.lockRange ? `const v${i} = bound(inp[${i}], ${lit(v.min)}, ${lit(v.max)});` : `const v${i} = inp[${i}];`);
      emit(`V[${i}] = v${i};`);
    });
    emit('F.fill(0);');

    // input memberships used by antecedents, computed once (terms are pure, so order does not matter)
    const used = new Set<number>();
    const parsedBlocks = engine.ruleBlocks.map((b) => ({ b, rules: b.rules.map((r) => parseRule(r, engine)) }));
    const collect = (e: Expression): void => {
      if (e.type === 'operator') {
        collect(e.left);
        collect(e.right);
      } else if (!e.isOutput && e.term !== null) used.add(this.termIndex.get(`${this.varIndex(e.variable)}/${e.term}`)!);
    };
    for (const pb of parsedBlocks) if (pb.b.enabled) for (const r of pb.rules) collect(r.antecedent);
    for (const t of used) {
      const vi = this.terms[t].vi;
      emit(`const m${t} = ${engine.inputs[vi].enabled ? this.termCall(t, `v${vi}`) : '0.0'};`);
    }

    const hedged = (value: string, hedges: readonly string[]) => {
      let v = value;
      for (const h of [...hedges].reverse()) v = `H${hedgeCode(h as never)}(${v})`;
      return v;
    };
    const antecedent = (e: Expression, conj: number, disj: number): string => {
      if (e.type === 'operator') {
        const l = antecedent(e.left, conj, disj), r = antecedent(e.right, conj, disj);
        return e.op === 'and' ? `TN${conj}(${l}, ${r})` : `SN${disj}(${l}, ${r})`;
      }
      const vi = this.varIndex(e.variable);
      const enabled = vi < nIn ? engine.inputs[vi].enabled : engine.outputs[vi - nIn].enabled;
      if (!enabled) return '0.0';
      if (e.term === null) {
        // `any`: 1, then the hedges written before it
        return hedged('1.0', e.hedges.slice(0, -1));
      }
      const t = this.termIndex.get(`${vi}/${e.term}`)!;
      const base = e.isOutput ? `outDeg(${vi - nIn}, ${t})` : `m${t}`;
      return hedged(base, e.hedges);
    };

    // rules, unrolled in engine order
    for (const { b, rules } of parsedBlocks) {
      if (!b.enabled) continue;
      const conj = b.conjunction === null ? -1 : tnormCode(b.conjunction);
      const disj = b.disjunction === null ? -1 : snormCode(b.disjunction);
      const impl = b.implication === null ? -1 : tnormCode(b.implication);
      for (const r of rules) {
        emit(`d = ${lit(r.weight)} * ${antecedent(r.antecedent, conj, disj)};`);
        emit('if (isGt(d, 0.0)) {');
        for (const c of r.consequent) {
          const vi = this.varIndex(c.variable);
          const o = vi - nIn;
          if (!engine.outputs[o].enabled) continue;
          for (const h of [...c.hedges].reverse()) emit(`  d = H${hedgeCode(h)}(d);`);
          const s = this.sites.length;
          this.sites.push({ output: o, term: this.termIndex.get(`${vi}/${c.term}`)!, impl });
          emit(`  F[${s}] = 1; D[${s}] = d; I[${s}] = ${impl};`);
        }
        emit('}');
      }
    }

    // defuzzification
    const aggFunctions: string[] = [];
    engine.outputs.forEach((v, o) => {
      const mine = this.sites.map((s, k) => ({ ...s, k })).filter((s) => s.output === o);
      if (!v.enabled) {
        emit(`out[${o}] = val[${o}];`);
        return;
      }
      emit(`if (Number.isFinite(val[${o}])) prev[${o}] = val[${o}];`);
      const any = mine.length ? mine.map((s) => `F[${s.k}]`).join(' | ') : '0';
      const def = v.defuzzifier;
      emit(`r = NaN; valid = false; nanDegree = false;`);
      if (def !== null && mine.length > 0) {
        emit(`if (${any}) {`);
        emit('  valid = true;');
        if ('resolution' in def) {
          const agg = v.aggregation === null ? -1 : snormCode(v.aggregation);
          // Integral defuzzifiers other than the bisector sample the fixed grid min + (i + ½)·dx, so
          // the output terms' memberships there are tabulated once, with the same expression.
          const distinct = [...new Set(mine.map((s) => s.term))];
          const tabled = new Set<number>();
          if (def.kind !== 'Bisector' && Number.isFinite(v.min + v.max) && distinct.length * def.resolution <= 1_000_000) {
            aggFunctions.push(`const DX${o} = (${lit(v.max)} - ${lit(v.min)}) / ${def.resolution};`);
            for (const t of distinct) {
              if (this.terms[t].kind === 'Linear' || this.terms[t].kind === 'Function') continue;
              tabled.add(t);
              aggFunctions.push(`const TB${o}_${t} = new Float64Array(${def.resolution});
for (let i = 0; i < ${def.resolution}; i++) TB${o}_${t}[i] = ${this.termCall(t, `(${lit(v.min)} + (i + 0.5) * DX${o})`)};`);
            }
          }
          const at = (t: number) => (tabled.has(t) ? `TB${o}_${t}[i]` : this.termCall(t, 'x'));
          // the aggregated fuzzy set µ at grid point i (x), one function per output
          const body: string[] = [`function AGG${o}(i, x) {`, '  let mu = 0.0;'];
          for (const t of distinct) body.push(`  const a${t} = ${mine.filter((s) => s.term === t).map((s) => `F[${s.k}]`).join(' | ')} ? ${at(t)} : 0.0;`);
          for (const s of mine) body.push(`  if (F[${s.k}] === 1) mu = SN${agg}(mu, TN${s.impl < 0 ? '_1' : s.impl}(a${s.term}, D[${s.k}]));`);
          body.push('  return mu;', '}');
          aggFunctions.push(body.join('\n'));
          // Maximum aggregation of min/product implications: max over rules of impl(µ, dᵢ) equals
          // impl(µ, max dᵢ) exactly (min/max are exact, rounding is monotone, µ ≥ 0), so each
          // (term, implication) pair is evaluated once per point. NaN degrees take the general path.
          const groups = [...new Set(mine.map((s) => `${s.term}/${s.impl}`))].map((key) => {
            const [t, impl] = key.split('/').map(Number);
            return { t, impl, sites: mine.filter((s) => s.term === t && s.impl === impl) };
          });
          const fast =
            v.aggregation === 'Maximum' &&
            groups.every((gr) => (gr.impl === 0 || gr.impl === 1) && this.nonNegative(gr.t));
          if (fast) {
            const fb: string[] = [`function AGGF${o}(i, x) {`, '  let mu = 0.0;'];
            groups.forEach((gr, gi) => {
              fb.push(`  if (G${o}_${gi} !== -Infinity) mu = SN0(mu, TN${gr.impl}(${at(gr.t)}, G${o}_${gi}));`);
            });
            fb.push('  return mu;', '}');
            aggFunctions.push(fb.join('\n'));
            groups.forEach((gr, gi) => {
              aggFunctions.push(`let G${o}_${gi} = -Infinity;`);
              emit(`  G${o}_${gi} = -Infinity;`);
              for (const s of gr.sites) emit(`  if (F[${s.k}] === 1) { if (D[${s.k}] !== D[${s.k}]) nanDegree = true; else if (D[${s.k}] > G${o}_${gi}) G${o}_${gi} = D[${s.k}]; }`);
            });
          }
          const min = lit(v.min), max = lit(v.max), res = def.resolution;
          if (!Number.isFinite(v.min + v.max)) emit('  r = NaN;');
          else for (const [guard, fn] of fast ? [['if (nanDegree) {', `AGG${o}`], ['} else {', `AGGF${o}`]] : [['{', `AGG${o}`]]) {
            // direct calls (one loop per aggregation function) so V8 can inline them
            emit(guard);
            emit(`  const dx = (${max} - ${min}) / ${res};`);
            switch (def.kind) {
              case 'Centroid':
                emit(`  let area = 0, xc = 0;
  for (let i = 0; i < ${res}; i++) { const x = ${min} + (i + 0.5) * dx; const y = ${fn}(i, x); xc += y * x; area += y; }
  r = xc / area;`);
                break;
              case 'Bisector':
                emit(`  let counter = ${res}, left = 0, right = 0, la = 0, ra = 0, xl = ${min}, xr = ${max};
  while (counter-- > 0) {
    if (isLE(la, ra)) { xl = ${min} + (left + 0.5) * dx; la += ${fn}(-1, xl); left++; }
    else { xr = ${max} - (right + 0.5) * dx; ra += ${fn}(-1, xr); right++; }
  }
  r = (la * xr + ra * xl) / (la + ra);`);
                break;
              case 'SmallestOfMaximum':
                emit(`  let ymax = -1.0, xs = ${min};
  for (let i = 0; i < ${res}; i++) { const x = ${min} + (i + 0.5) * dx; const y = ${fn}(i, x); if (isGt(y, ymax)) { xs = x; ymax = y; } }
  r = xs;`);
                break;
              case 'MeanOfMaximum':
                emit(`  let ymax = -1.0, xs = ${min}, xl = ${max}, same = false;
  for (let i = 0; i < ${res}; i++) {
    const x = ${min} + (i + 0.5) * dx; const y = ${fn}(i, x);
    if (isGt(y, ymax)) { ymax = y; xs = x; xl = x; same = true; }
    else if (same && isEq(y, ymax)) xl = x;
    else if (isLt(y, ymax)) same = false;
  }
  r = 0.5 * (xl + xs);`);
                break;
              case 'LargestOfMaximum':
                emit(`  let ymax = -1.0, xl = ${max};
  for (let i = 0; i < ${res}; i++) { const x = ${min} + (i + 0.5) * dx; const y = ${fn}(i, x); if (isGE(y, ymax)) { ymax = y; xl = x; } }
  r = xl;`);
                break;
            }
          }
          if (Number.isFinite(v.min + v.max)) emit('}');
        } else {
          const sugeno = def.type === 'TakagiSugeno';
          emit('  let sum = 0.0, weights = 0.0, w = 0.0;');
          for (const s of mine) {
            const term = this.terms[s.term];
            let z: string;
            if (sugeno || term.kind === 'Constant' || term.kind === 'Linear' || term.kind === 'Function') z = this.termCall(s.term, 'w');
            else {
              this.consts.push(term.params);
              z = `tsukamoto(${TERM_CODE[term.kind]}, K[${this.consts.length - 1}], 0, ${term.params.length}, ${lit(term.height)}, w, ${lit(v.min)}, ${lit(v.max)})`;
            }
            emit(`  if (F[${s.k}] === 1) { w = D[${s.k}]; sum += w * ${z}; weights += w; }`);
          }
          emit(def.kind === 'WeightedAverage' ? '  r = sum / weights;' : '  r = sum;');
        }
        emit('}');
      }
      emit(`if (!valid) r = ${v.lockPrevious ? `!Number.isNaN(prev[${o}]) ? prev[${o}] : ${lit(v.defaultValue)}` : lit(v.defaultValue)};`);
      emit(v.lockRange ? `val[${o}] = bound(r, ${lit(v.min)}, ${lit(v.max)});` : `val[${o}] = r;`);
      emit(`out[${o}] = val[${o}];`);
    });

    const nSites = this.sites.length;
    const siteOut = Int32Array.from(this.sites, (s) => s.output);
    const siteTerm = Int32Array.from(this.sites, (s) => s.term);
    const aggCodes = Int32Array.from(engine.outputs, (v) => (v.aggregation === null ? -1 : snormCode(v.aggregation)));
    const termFns = this.termFunctions();
    const source = `"use strict";
const PI = 4.0 * Math.atan(1.0);
const TN0 = fmin, TN1 = (a, b) => a * b, TN2 = (a, b) => tnorm(2, a, b), TN3 = (a, b) => tnorm(3, a, b),
  TN4 = (a, b) => tnorm(4, a, b), TN5 = (a, b) => tnorm(5, a, b), TN6 = (a, b) => tnorm(6, a, b);
const SN0 = fmax, SN1 = (a, b) => snorm(1, a, b), SN2 = (a, b) => snorm(2, a, b), SN3 = (a, b) => snorm(3, a, b),
  SN4 = (a, b) => snorm(4, a, b), SN5 = (a, b) => snorm(5, a, b), SN6 = (a, b) => snorm(6, a, b), SN7 = (a, b) => snorm(7, a, b),
  SN8 = (a, b) => a + b;
const TN_1 = () => NaN;
const H0 = (x) => hedge(0, x), H1 = (x) => hedge(1, x), H2 = (x) => hedge(2, x), H3 = (x) => hedge(3, x), H4 = (x) => hedge(4, x), H5 = (x) => hedge(5, x);
const F = new Uint8Array(${Math.max(1, nSites)}), D = new Float64Array(${Math.max(1, nSites)}), I = new Int32Array(${Math.max(1, nSites)});
const V = new Float64Array(${Math.max(1, nIn)});
const val = new Float64Array(${nOut}).fill(NaN), prev = new Float64Array(${nOut}).fill(NaN);
function outDeg(o, t) {
  let result = 0.0;
  const agg = AGGCODE[o];
  for (let s = 0; s < ${nSites}; s++) {
    if (F[s] !== 1 || SITE_OUT[s] !== o || SITE_TERM[s] !== t) continue;
    result = agg >= 0 ? snorm(agg, result, D[s]) : result + D[s];
  }
  return result;
}
${termFns}
${aggFunctions.join('\n')}
function evaluate(inp, out) {
let d = 0.0, r = NaN, valid = false, nanDegree = false;
${lines.join('\n')}
}
function reset() { val.fill(NaN); prev.fill(NaN); V.fill(NaN); }
return { evaluate, reset };`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the generated source holds only numbers and indices
    const factory = new Function(
      'isEq', 'isLt', 'isLE', 'isGt', 'isGE', 'fmin', 'fmax', 'bound', 'scale', 'tnorm', 'snorm', 'hedge', 'membership', 'tsukamoto', 'K', 'AGGCODE', 'SITE_OUT', 'SITE_TERM', 'FN',
      source,
    );
    const fns = factory(
      isEq, isLt, isLE, isGt, isGE, fmin, fmax, bound, scale, tnorm, snorm, hedge, membership, tsukamoto,
      this.consts.map((c) => Float64Array.from(c)), aggCodes, siteOut, siteTerm, FORMULA_FUNCTIONS,
    ) as { evaluate(inp: Float64Array, out: Float64Array): void; reset(): void };
    return {
      inputNames: engine.inputs.map((v) => v.name),
      outputNames: engine.outputs.map((v) => v.name),
      evaluate: fns.evaluate,
      reset: fns.reset,
      source,
    } as CompiledEngine & { source: string };
  }
}
