import { hedgeCode } from './hedges.ts';
import type { Engine, Expression } from './model.ts';
import { snormCode, tnormCode } from './norms.ts';
import { MACHEPS, isEq, isGE, isLE, isLt } from './op.ts';
import { parseRule } from './rule-parser.ts';
import type { TermKind } from './terms.ts';
import { FORMULA_FUNCTIONS, parseFormula, type FormulaNode } from './formula.ts';
import type { CompiledEngine } from './compile.ts';
import { MATLAB_CONCLUSION_HEDGE_POWER, MATLAB_EXTREMELY } from './matlab-terms.ts';

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

/*
 * fuzzylite's tolerant comparisons (op.ts) written out inline. A call to a helper that is not
 * inlined boxes its double arguments and result into heap numbers, so the generated code calls no
 * JS function on the hot path: every operand here is a name or a literal (pure, safe to repeat).
 */
const EPS = lit(MACHEPS);
const eq = (a: string, b: string) => `((${a}) === (${b}) || Math.abs((${a}) - (${b})) < ${EPS} || ((${a}) !== (${a}) && (${b}) !== (${b})))`;
const lt = (a: string, b: string) => `(!${eq(a, b)} && (${a}) < (${b}))`;
const le = (a: string, b: string) => `(${eq(a, b)} || (${a}) < (${b}))`;
const gt = (a: string, b: string) => `(!${eq(a, b)} && (${a}) > (${b}))`;
const ge = (a: string, b: string) => `(${eq(a, b)} || (${a}) > (${b}))`;
/** fl::Op::min / max (NaN-ignoring), operands names or literals. */
const mn = (a: string, b: string) => `(${a} !== ${a} ? ${b} : ${b} !== ${b} ? ${a} : ${a} < ${b} ? ${a} : ${b})`;
const mx = (a: string, b: string) => `(${a} !== ${a} ? ${b} : ${b} !== ${b} ? ${a} : ${a} > ${b} ? ${a} : ${b})`;

/** fl::Discrete over the constant block `P` (n numbers), as terms.ts's discrete(), operation for operation. */
function discreteBody(P: string, n: number, H: string): string {
  const pairs = n >> 1;
  const last = 2 * (pairs - 1);
  return `if (x !== x) return NaN;
if (${le('x', `${P}[0]`)}) return ${H} * ${P}[1];
if (${ge('x', `${P}[${last}]`)}) return ${H} * ${P}[${last + 1}];
let lo = 0, hi = ${pairs};
while (lo < hi) { const mid = (lo + hi) >> 1; if (${P}[2 * mid] < x) lo = mid + 1; else hi = mid; }
const lb = 2 * lo;
if (${eq('x', `${P}[lb]`)}) return ${H} * ${P}[lb + 1];
let ub = lo;
while (ub < ${pairs} && !(x < ${P}[2 * ub])) ub++;
const u = 2 * ub, l = lb - 2;
return ${H} * (((${P}[u + 1] - ${P}[l + 1]) / (${P}[u] - ${P}[l])) * (x - ${P}[l]) + ${P}[l + 1]);`;
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
if (${lt('x', a)} || ${gt('x', c)}) return ${H} * 0.0;
if (${eq('x', b)}) return ${H} * 1.0;
if (${lt('x', b)}) { ${p[0] === -Infinity ? `return ${H} * 1.0;` : `return (${H} * (x - ${a})) / (${b} - ${a});`} }
${p[2] === Infinity ? `return ${H} * 1.0;` : `return (${H} * (${c} - x)) / (${c} - ${b});`}`;
    }
    case 'Trapezoid': {
      const [a, b, c, d] = P;
      return `${head}
if (${lt('x', a)} || ${gt('x', d)}) return ${H} * 0.0;
if (${lt('x', b)}) { ${p[0] === -Infinity ? `return ${H} * 1.0;` : `const q = (x - ${a}) / (${b} - ${a}); return ${H} * (q !== q ? 1.0 : 1.0 < q ? 1.0 : q);`} }
if (${le('x', c)}) return ${H} * 1.0;
if (${lt('x', d)}) { ${p[3] === Infinity ? `return ${H} * 1.0;` : `return (${H} * (${d} - x)) / (${d} - ${c});`} }
return ${p[3] === Infinity ? `${H} * 1.0` : `${H} * 0.0`};`;
    }
    case 'Rectangle':
      return `${head}\nreturn ${ge('x', `${P[0]}`)} && ${le('x', `${P[1]}`)} ? ${H} * 1.0 : ${H} * 0.0;`;
    case 'Gaussian':
      return `${head}\nreturn ${H} * Math.exp((-(x - ${P[0]}) * (x - ${P[0]})) / (2.0 * ${P[1]} * ${P[1]}));`;
    case 'GaussianProduct':
      return `${head}
let a = 1.0, b = 1.0;
if (${lt('x', `${P[0]}`)}) a = Math.exp((-(x - ${P[0]}) * (x - ${P[0]})) / (2.0 * ${P[1]} * ${P[1]}));
if (${gt('x', `${P[2]}`)}) b = Math.exp((-(x - ${P[2]}) * (x - ${P[2]})) / (2.0 * ${P[3]} * ${P[3]}));
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
if (${le('x', bl)}) s = 0.0;
else if (${le('x', `0.5 * (${bl} + ${tl})`)}) s = 2.0 * Math.pow((x - ${bl}) / (${tl} - ${bl}), 2);
else if (${lt('x', tl)}) s = 1.0 - 2.0 * Math.pow((x - ${tl}) / (${tl} - ${bl}), 2);
else s = 1.0;
if (${le('x', tr)}) z = 1.0;
else if (${le('x', `0.5 * (${tr} + ${br})`)}) z = 1.0 - 2.0 * Math.pow((x - ${tr}) / (${br} - ${tr}), 2);
else if (${lt('x', br)}) z = 2.0 * Math.pow((x - ${br}) / (${br} - ${tr}), 2);
else z = 0.0;
return ${H} * s * z;`;
    }
    case 'SShape': {
      const [s, e] = P;
      return `${head}
if (${le('x', s)}) return ${H} * 0.0;
if (${le('x', `0.5 * (${s} + ${e})`)}) return ${H} * (2.0 * Math.pow((x - ${s}) / (${e} - ${s}), 2));
if (${lt('x', e)}) return ${H} * (1.0 - 2.0 * Math.pow((x - ${e}) / (${e} - ${s}), 2));
return ${H} * 1.0;`;
    }
    case 'ZShape': {
      const [s, e] = P;
      return `${head}
if (${le('x', s)}) return ${H} * 1.0;
if (${le('x', `0.5 * (${s} + ${e})`)}) return ${H} * (1.0 - 2.0 * Math.pow((x - ${s}) / (${e} - ${s}), 2));
if (${lt('x', e)}) return ${H} * (2.0 * Math.pow((x - ${e}) / (${e} - ${s}), 2));
return ${H} * 0.0;`;
    }
    case 'Ramp': {
      const [s, e] = P;
      if (isEq(p[0], p[1])) return `${head}\nreturn ${H} * 0.0;`;
      if (isLt(p[0], p[1])) {
        return `${head}
if (${le('x', s)}) return ${H} * 0.0;
if (${ge('x', e)}) return ${H} * 1.0;
return (${H} * (x - ${s})) / (${e} - ${s});`;
      }
      return `${head}
if (${ge('x', s)}) return ${H} * 0.0;
if (${le('x', e)}) return ${H} * 1.0;
return (${H} * (${s} - x)) / (${s} - ${e});`;
    }
    case 'Cosine': {
      const [c, w] = P;
      return `${head}
if (${lt('x', `${c} - 0.5 * ${w}`)} || ${gt('x', `${c} + 0.5 * ${w}`)}) return ${H} * 0.0;
return ${H} * (0.5 * (1.0 + Math.cos((2.0 / ${w}) * PI * (x - ${c}))));`;
    }
    case 'Spike':
      return `${head}\nreturn ${H} * Math.exp(-Math.abs((10.0 / ${P[1]}) * (x - ${P[0]})));`;
    case 'Binary': {
      const [s, d] = P;
      return `${head}
if (${d} > ${s} && ${ge('x', s)}) return ${H} * 1.0;
if (${d} < ${s} && ${le('x', s)}) return ${H} * 1.0;
return ${H} * 0.0;`;
    }
    case 'Concave': {
      const [i, e] = P;
      if (isLE(p[0], p[1])) {
        return `${head}\nif (${lt('x', e)}) return (${H} * (${e} - ${i})) / (2.0 * ${e} - ${i} - x);\nreturn ${H} * 1.0;`;
      }
      return `${head}\nif (${gt('x', e)}) return (${H} * (${i} - ${e})) / (${i} - 2.0 * ${e} + x);\nreturn ${H} * 1.0;`;
    }
    default:
      return null; // Discrete, Constant, Linear: handled by the caller
  }
}

/** Membership under `matlab` semantics (matlab-terms.ts, operation for operation); null = fuzzylite's body. */
function matlabTermBody(kind: TermKind, p: readonly number[], h: number): string | null {
  const P = p.map(lit);
  const H = lit(h);
  const head = 'if (x !== x) return NaN;';
  const minMax = (left: string, right: string) =>
    `${head}\nconst q1 = ${left}; const q2 = ${right};\nconst m1 = ${mn('1.0', 'q1')};\nconst m2 = ${mn('m1', 'q2')};\nreturn ${H} * ${mx('0.0', 'm2')};`;
  const s = (a: string, b: string, v: string) => `if (x <= ${a}) ${v} = 0.0;
else if (x <= 0.5 * (${a} + ${b})) ${v} = 2.0 * Math.pow((x - ${a}) / (${b} - ${a}), 2);
else if (x < ${b}) ${v} = 1.0 - 2.0 * Math.pow((x - ${b}) / (${b} - ${a}), 2);
else ${v} = 1.0;`;
  const z = (a: string, b: string, v: string) => `if (x <= ${a}) ${v} = 1.0;
else if (x <= 0.5 * (${a} + ${b})) ${v} = 1.0 - 2.0 * Math.pow((x - ${a}) / (${b} - ${a}), 2);
else if (x < ${b}) ${v} = 2.0 * Math.pow((x - ${b}) / (${b} - ${a}), 2);
else ${v} = 0.0;`;
  switch (kind) {
    case 'Triangle':
      return minMax(`(x - ${P[0]}) / (${P[1]} - ${P[0]})`, `(${P[2]} - x) / (${P[2]} - ${P[1]})`);
    case 'Trapezoid':
      return minMax(`(x - ${P[0]}) / (${P[1]} - ${P[0]})`, `(${P[3]} - x) / (${P[3]} - ${P[2]})`);
    case 'GaussianProduct':
      return `${head}
let a = 1.0, b = 1.0;
if (x < ${P[0]}) a = Math.exp((-(x - ${P[0]}) * (x - ${P[0]})) / (2.0 * ${P[1]} * ${P[1]}));
if (x > ${P[2]}) b = Math.exp((-(x - ${P[2]}) * (x - ${P[2]})) / (2.0 * ${P[3]} * ${P[3]}));
return ${H} * a * b;`;
    case 'SigmoidDifference':
      return `${head}
const a = 1.0 / (1.0 + Math.exp(-${P[1]} * (x - ${P[0]})));
const b = 1.0 / (1.0 + Math.exp(-${P[2]} * (x - ${P[3]})));
const q = a - b;
const m = ${mn('1.0', 'q')};
return ${H} * ${mx('0.0', 'm')};`;
    case 'PiShape':
      return `${head}\nlet s, z;\n${s(P[0], P[1], 's')}\n${z(P[2], P[3], 'z')}\nreturn ${H} * s * z;`;
    case 'SShape':
      return `${head}\nlet s;\n${s(P[0], P[1], 's')}\nreturn ${H} * s;`;
    case 'ZShape':
      return `${head}\nlet z;\n${z(P[0], P[1], 'z')}\nreturn ${H} * z;`;
    default:
      return null;
  }
}

interface Site {
  output: number;
  term: number; // global term index
  impl: number; // implication T-norm code of its rule block (-1: none)
}

/** Generated functions are kept below this many characters of source, well inside TurboFan's size limit. */
const CHUNK_CHARS = 8000;

/** Statements of generated code, with fresh local names (shared counter, so names never clash). */
class Code {
  readonly lines: string[] = [];
  constructor(private readonly counter: { n: number }) {}
  emit(s: string): void {
    this.lines.push(s);
  }
  fresh(prefix: string): string {
    return `${prefix}${this.counter.n++}`;
  }
  /** `expr` as an operand that may be repeated: names, constant-index element reads and literals as they are, anything else in a const. */
  operand(expr: string): string {
    if (/^([A-Za-z_$][\w$]*(\[\d+\])?|\d[\d.e+-]*|\(-[\d.e+-]+\)|\(-?Infinity\)|Infinity|NaN)$/.test(expr)) return expr;
    const t = this.fresh('t');
    this.emit(`const ${t} = ${expr};`);
    return t;
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/** T-norm `code` of a and b (norms.ts's tnorm, operation for operation) as an inline expression. */
function tnormExpr(c: Code, code: number, a0: string, b0: string): string {
  if (code < 0) return 'NaN';
  const a = c.operand(a0), b = c.operand(b0);
  switch (code) {
    case 0:
      return mn(a, b);
    case 1:
      return `(${a} * ${b})`;
    case 2:
      return mx('0.0', c.operand(`${a} + ${b} - 1.0`));
    case 3:
      return `(${eq(c.operand(mx(a, b)), '1.0')} ? ${mn(a, b)} : 0.0)`;
    case 4:
      return `((${a} * ${b}) / (2.0 - (${a} + ${b} - ${a} * ${b})))`;
    case 5:
      return `(${eq(c.operand(`${a} + ${b}`), '0.0')} ? 0.0 : (${a} * ${b}) / (${a} + ${b} - ${a} * ${b}))`;
    case 6:
      return `(${gt(c.operand(`${a} + ${b}`), '1.0')} ? ${mn(a, b)} : 0.0)`;
    default:
      return 'NaN';
  }
}

/** S-norm `code` of a and b (norms.ts's snorm) as an inline expression. */
function snormExpr(c: Code, code: number, a0: string, b0: string): string {
  if (code < 0) return 'NaN';
  const a = c.operand(a0), b = c.operand(b0);
  switch (code) {
    case 0:
      return mx(a, b);
    case 1:
      return `(${a} + ${b} - ${a} * ${b})`;
    case 2:
      return mn('1.0', c.operand(`${a} + ${b}`));
    case 3:
      return `(${eq(c.operand(mn(a, b)), '0.0')} ? ${mx(a, b)} : 1.0)`;
    case 4:
      return `((${a} + ${b}) / (1.0 + ${a} * ${b}))`;
    case 5:
      return `(${eq(c.operand(`${a} * ${b}`), '1.0')} ? 1.0 : (${a} + ${b} - 2.0 * ${a} * ${b}) / (1.0 - ${a} * ${b}))`;
    case 6:
      return `(${lt(c.operand(`${a} + ${b}`), '1.0')} ? ${mx(a, b)} : 1.0)`;
    case 7: {
      const s = c.operand(`${a} + ${b}`);
      return `(${s} / ${mx('1.0', s)})`;
    }
    case 8:
      return `(${a} + ${b})`;
    default:
      return 'NaN';
  }
}

/** Hedge `code` of x (hedges.ts's hedge) as an inline expression. */
function hedgeExpr(c: Code, code: number, x0: string): string {
  const x = c.operand(x0);
  switch (code) {
    case 0:
      return `(1.0 - ${x})`;
    case 1:
      return `(${x} * ${x})`;
    case 2:
      return `Math.sqrt(${x})`;
    case 3:
      return `(${le(x, '0.5')} ? Math.sqrt(0.5 * ${x}) : 1.0 - Math.sqrt(0.5 * (1.0 - ${x})))`;
    case 4:
      return `(${le(x, '0.5')} ? 2.0 * ${x} * ${x} : 1.0 - 2.0 * (1.0 - ${x}) * (1.0 - ${x}))`;
    case 5:
      return '1.0';
    default:
      return 'NaN';
  }
}

const MATH_1 = new Set(['acos', 'asin', 'atan', 'ceil', 'cos', 'cosh', 'exp', 'abs', 'floor', 'log', 'log10', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'log1p', 'acosh', 'asinh', 'atanh']);

/** A formula (formula.ts's FORMULA_FUNCTIONS, operation for operation) as an inline expression. */
function formulaExpr(c: Code, node: FormulaNode, variable: (name: string) => string): string {
  if (node.type === 'number') return lit(node.value);
  if (node.type === 'variable') return variable(node.name);
  const [a, b] = node.args.map((n) => c.operand(formulaExpr(c, n, variable)));
  const bit = (cond: string) => `(${cond} ? 1 : 0)`;
  switch (node.fn) {
    case '!':
      return `(${eq(a, '1.0')} ? 0.0 : 1.0)`;
    case '~':
      return `(-${a})`;
    case '^':
    case 'pow':
      return `Math.pow(${a}, ${b})`;
    case '*':
    case '/':
    case '%':
    case '+':
    case '-':
      return `(${a} ${node.fn} ${b})`;
    case 'fmod':
      return `(${a} % ${b})`;
    case 'and':
      return `(${eq(a, '1.0')} && ${eq(b, '1.0')} ? 1.0 : 0.0)`;
    case 'or':
      return `(${eq(a, '1.0')} || ${eq(b, '1.0')} ? 1.0 : 0.0)`;
    case 'gt':
      return bit(gt(a, b));
    case 'ge':
      return bit(ge(a, b));
    case 'eq':
      return bit(eq(a, b));
    case 'neq':
      return `(${eq(a, b)} ? 0 : 1)`;
    case 'le':
      return bit(le(a, b));
    case 'lt':
      return bit(lt(a, b));
    case 'min':
      return mn(a, b);
    case 'max':
      return mx(a, b);
    case 'atan2':
      return `Math.atan2(${a}, ${b})`;
    case 'fabs':
      return `Math.abs(${a})`;
    case 'round':
      return `(${a} > 0.0 ? Math.floor(${a} + 0.5) : Math.ceil(${a} - 0.5))`;
    default:
      if (MATH_1.has(node.fn)) return `Math.${node.fn}(${a})`;
      // a function this generator does not write out: the shared table (a call, which may allocate)
      return `FN[${JSON.stringify(node.fn)}](${[a, b].filter((v) => v !== undefined).join(', ')})`;
  }
}

class Generator {
  private readonly engine: Engine;
  private readonly nIn: number;
  private readonly nOut: number;
  /** global term index → [variable index, term] */
  private readonly terms: { vi: number; kind: TermKind; params: number[]; height: number; formula: string; konst: number }[] = [];
  private readonly termIndex = new Map<string, number>();
  private readonly sites: Site[] = [];
  private readonly consts: number[][] = [];
  private readonly counter = { n: 0 };
  private readonly matlab: boolean;

  constructor(engine: Engine) {
    this.engine = engine;
    this.matlab = engine.semantics === 'matlab';
    this.nIn = engine.inputs.length;
    this.nOut = engine.outputs.length;
    [...engine.inputs, ...engine.outputs].forEach((v, vi) => {
      for (const t of v.terms) {
        const key = `${vi}/${t.name}`;
        if (this.termIndex.has(key)) continue;
        this.termIndex.set(key, this.terms.length);
        this.consts.push(t.params.slice());
        this.terms.push({ vi, kind: t.kind, params: t.params.slice(), height: t.height, formula: t.formula, konst: this.consts.length - 1 });
      }
    });
  }

  private code(): Code {
    return new Code(this.counter);
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

  /**
   * Term t's value at `x` (a name or literal): Constant and Linear (reading the clamped inputs V)
   * as an expression; the shapes written out into a fresh variable, so no function is called.
   */
  private termValue(c: Code, t: number, x: string): string {
    const term = this.terms[t];
    if (term.kind === 'Constant') return lit(term.params[0]);
    if (term.kind === 'Linear') {
      let expr = '0.0';
      for (let i = 0; i < this.nIn; i++) if (i < term.params.length) expr = `(${expr} + ${lit(term.params[i])} * V[${i}])`;
      if (term.params.length > this.nIn) expr = `(${expr} + ${lit(term.params[term.params.length - 1])})`;
      return expr;
    }
    if (term.kind === 'Function') {
      // inputs' values, outputs' current values (val is updated output by output), and x
      const names = [...this.engine.inputs, ...this.engine.outputs].map((v) => v.name);
      const at = c.operand(x);
      return formulaExpr(c, parseFormula(term.formula, names), (name) => {
        if (name === 'x') return at;
        const i = names.indexOf(name);
        return i < this.nIn ? `V[${i}]` : `val[${i - this.nIn}]`;
      });
    }
    const body = (this.matlab ? matlabTermBody(term.kind, term.params, term.height) : null) ?? termBody(term.kind, term.params, term.height) ?? discreteBody(`K${term.konst}`, term.params.length, lit(term.height));
    const out = c.fresh('u');
    const label = c.fresh('L');
    c.emit(`let ${out} = NaN;`);
    c.emit(`${label}: {`);
    if (x !== 'x') c.emit(`const x = ${x};`);
    c.emit(body.replace(/return ([^;]*);/g, (_, e: string) => `{ ${out} = ${e}; break ${label}; }`));
    c.emit('}');
    return out;
  }

  /** Tsukamoto's inverse of term t at the degree `w`, as terms.ts's tsukamoto() (operation for operation), inline. */
  private tsukamotoValue(c: Code, t: number, min: number, max: number): string {
    const term = this.terms[t];
    const P = term.params.map(lit);
    const r = c.fresh('k');
    const mu = (x: string) => this.termValue(c, t, x);
    switch (term.kind) {
      case 'Ramp':
        return `(((${P[1]} - ${P[0]}) / (1 - 0)) * (w - 0) + ${P[0]})`;
      case 'Sigmoid': {
        const up = isGE(term.params[1], 0.0);
        c.emit(`let ${r} = NaN;`);
        c.emit(`if (${eq('w', '1.0')}) ${r} = ${lit(up ? max : min)};`);
        c.emit(`else if (${eq('w', '0.0')}) ${r} = ${lit(up ? min : max)};`);
        c.emit(`else ${r} = ${P[0]} + Math.log(1.0 / w - 1.0) / -${P[1]};`);
        return r;
      }
      case 'SShape':
      case 'ZShape': {
        const s = term.kind === 'SShape';
        c.emit(`const ${r}d = ${P[1]} - ${P[0]};`);
        c.emit(`const ${r}a = ${P[0]} + Math.sqrt(${s ? `0.5 * w * ${r}d * ${r}d` : `-0.5 * (w - 1.0) * ${r}d * ${r}d`});`);
        c.emit(`const ${r}b = ${P[1]} + Math.sqrt(${s ? `-0.5 * (w - 1.0) * ${r}d * ${r}d` : `0.5 * w * ${r}d * ${r}d`});`);
        const ma = mu(`${r}a`), mb = mu(`${r}b`);
        return `(Math.abs(w - ${ma}) < Math.abs(w - ${mb}) ? ${r}a : ${r}b)`;
      }
      case 'Concave':
        return `((${P[0]} - ${P[1]}) / ${mu('w')} + 2 * ${P[1]} - ${P[0]})`;
      default:
        return mu('w');
    }
  }

  /** Pieces of straight-line code packed into as few functions `name0…` as the size limit allows; returns the calls. */
  private pack(name: string, locals: string, pieces: string[], out: string[]): string[] {
    const calls: string[] = [];
    let body: string[] = [];
    let size = 0;
    const flush = () => {
      if (body.length === 0) return;
      const fn = `${name}${calls.length}`;
      out.push(`function ${fn}() {\n${locals}${body.join('\n')}\n}`);
      calls.push(`${fn}();`);
      body = [];
      size = 0;
    };
    for (const p of pieces) {
      if (size > 0 && size + p.length > CHUNK_CHARS) flush();
      body.push(p);
      size += p.length;
    }
    flush();
    return calls;
  }

  private hedged(c: Code, value: string, hedges: readonly string[]): string {
    let v = value;
    for (const h of [...hedges].reverse()) {
      const code = hedgeCode(h as never);
      if (this.matlab && code === MATLAB_EXTREMELY) {
        const x = c.operand(v);
        v = `(${x} * ${x} * ${x})`;
      } else v = hedgeExpr(c, code, v);
    }
    return v;
  }

  private antecedent(c: Code, e: Expression, conj: number, disj: number): string {
    const engine = this.engine, nIn = this.nIn;
    if (e.type === 'operator') {
      const l = this.antecedent(c, e.left, conj, disj), r = this.antecedent(c, e.right, conj, disj);
      return e.op === 'and' ? tnormExpr(c, conj, l, r) : snormExpr(c, disj, l, r);
    }
    const vi = this.varIndex(e.variable);
    const enabled = vi < nIn ? engine.inputs[vi].enabled : engine.outputs[vi - nIn].enabled;
    if (!enabled) return '0.0';
    // `any`: 1, then the hedges written before it
    if (e.term === null) return this.hedged(c, '1.0', e.hedges.slice(0, -1));
    const t = this.termIndex.get(`${vi}/${e.term}`)!;
    if (!e.isOutput) return this.hedged(c, `M[${t}]`, e.hedges);
    // degree of the term in the output's fuzzy set so far: the sites earlier rules have activated
    const o = vi - nIn;
    const agg = engine.outputs[o].aggregation === null ? -1 : snormCode(engine.outputs[o].aggregation!);
    const deg = c.fresh('od');
    c.emit(`let ${deg} = 0.0;`);
    this.sites.forEach((s, k) => {
      if (s.output !== o || s.term !== t) return;
      c.emit(`if (F[${k}] === 1) {`);
      c.emit(`${deg} = ${agg >= 0 ? snormExpr(c, agg, deg, `D[${k}]`) : `${deg} + D[${k}]`};`);
      c.emit('}');
    });
    return this.hedged(c, deg, e.hedges);
  }

  /** The aggregated fuzzy set of output o at grid point i (x), into `y`: every activated site (the general path). */
  private aggregate(c: Code, o: number, mine: (Site & { k: number })[], at: (c: Code, t: number) => string, y: string): void {
    const v = this.engine.outputs[o];
    const agg = v.aggregation === null ? -1 : snormCode(v.aggregation);
    const value = new Map<number, string>();
    for (const t of new Set(mine.map((s) => s.term))) {
      const a = c.fresh('a');
      c.emit(`let ${a} = 0.0;`);
      c.emit(`if (${mine.filter((s) => s.term === t).map((s) => `F[${s.k}]`).join(' | ')}) {`);
      c.emit(`${a} = ${at(c, t)};`);
      c.emit('}');
      value.set(t, a);
    }
    for (const s of mine) {
      c.emit(`if (F[${s.k}] === 1) {`);
      c.emit(`${y} = ${snormExpr(c, agg, y, tnormExpr(c, s.impl, value.get(s.term)!, `D[${s.k}]`))};`);
      c.emit('}');
    }
  }

  build(): CompiledEngine {
    const engine = this.engine;
    const nIn = this.nIn, nOut = this.nOut;
    const fns: string[] = [];
    const setup: string[] = [];

    // input memberships used by antecedents, computed once into M (terms are pure, so order does not matter)
    const used = new Set<number>();
    const parsedBlocks = engine.ruleBlocks.map((b) => ({ b, rules: b.rules.map((r) => parseRule(r, engine)) }));
    const collect = (e: Expression): void => {
      if (e.type === 'operator') {
        collect(e.left);
        collect(e.right);
      } else if (!e.isOutput && e.term !== null) used.add(this.termIndex.get(`${this.varIndex(e.variable)}/${e.term}`)!);
    };
    for (const pb of parsedBlocks) if (pb.b.enabled) for (const r of pb.rules) collect(r.antecedent);
    const fuzzify = [...used].map((t) => {
      const c = this.code();
      const vi = this.terms[t].vi;
      c.emit(`M[${t}] = ${engine.inputs[vi].enabled ? this.termValue(c, t, `V[${vi}]`) : '0.0'};`);
      return c.text();
    });
    const fuzzifyCalls = this.pack('fuzzify', '', fuzzify, fns);

    // rules, unrolled in engine order
    const rulePieces: string[] = [];
    for (const { b, rules } of parsedBlocks) {
      if (!b.enabled) continue;
      const conj = b.conjunction === null ? -1 : tnormCode(b.conjunction);
      const disj = b.disjunction === null ? -1 : snormCode(b.disjunction);
      const impl = b.implication === null ? -1 : tnormCode(b.implication);
      for (const r of rules) {
        const c = this.code();
        c.emit(`d = ${lit(r.weight)} * ${this.antecedent(c, r.antecedent, conj, disj)};`);
        c.emit(this.matlab ? 'if (d > 0.0) {' : `if (${gt('d', '0.0')}) {`);
        for (const q of r.consequent) {
          const vi = this.varIndex(q.variable);
          const o = vi - nIn;
          if (!engine.outputs[o].enabled) continue;
          let dq = 'd';
          if (this.matlab) {
            // evalfis: each conclusion's hedges act on the rule's degree alone (compile.ts's matlabConclusionHedge)
            for (const h of [...q.hedges].reverse()) {
              const x = c.operand(dq);
              dq = hedgeCode(h) === 0 ? `(1.0 - ${x})` : `Math.pow(${x}, ${lit(MATLAB_CONCLUSION_HEDGE_POWER[h])})`;
            }
          } else for (const h of [...q.hedges].reverse()) c.emit(`  d = ${hedgeExpr(c, hedgeCode(h), 'd')};`);
          const s = this.sites.length;
          this.sites.push({ output: o, term: this.termIndex.get(`${vi}/${q.term}`)!, impl });
          c.emit(`  F[${s}] = 1; D[${s}] = ${dq};`);
        }
        c.emit('}');
        rulePieces.push(c.text());
      }
    }
    const ruleCalls = this.pack('rules', 'let d = 0.0;\n', rulePieces, fns);

    // defuzzification, one function per enabled output
    const outputCalls: string[] = [];
    engine.outputs.forEach((v, o) => {
      if (!v.enabled) {
        outputCalls.push(`out[${o}] = val[${o}];`);
        return;
      }
      const c = this.code();
      const mine = this.sites.map((s, k) => ({ ...s, k })).filter((s) => s.output === o);
      c.emit(`if (Number.isFinite(val[${o}])) prev[${o}] = val[${o}];`);
      c.emit('let r = NaN, valid = false, nanDegree = false;');
      const any = mine.length ? mine.map((s) => `F[${s.k}]`).join(' | ') : '0';
      const def = v.defuzzifier;
      if (def !== null && mine.length > 0) {
        c.emit(`if (${any}) {`);
        c.emit('valid = true;');
        if ('resolution' in def) this.integral(c, o, mine, def.kind, def.resolution, setup);
        else {
          const sugeno = def.type === 'TakagiSugeno';
          c.emit('let sum = 0.0, weights = 0.0, w = 0.0;');
          for (const s of mine) {
            const term = this.terms[s.term];
            c.emit(`if (F[${s.k}] === 1) {`);
            c.emit(`w = D[${s.k}];`);
            let z: string;
            if (sugeno || term.kind === 'Constant' || term.kind === 'Linear' || term.kind === 'Function') z = this.termValue(c, s.term, 'w');
            else z = this.tsukamotoValue(c, s.term, v.min, v.max);
            c.emit(`sum += w * ${z}; weights += w;`);
            c.emit('}');
          }
          c.emit(def.kind === 'WeightedAverage' ? 'r = sum / weights;' : 'r = sum;');
        }
        c.emit('}');
      }
      if (this.matlab) {
        // evalfis: the middle of the range when no rule fired (the integral code sets it for a zero set)
        c.emit(`if (!valid) r = ${def === null ? 'NaN' : lit(0.5 * (v.min + v.max))};`);
        c.emit(`val[${o}] = r;`);
      } else {
        c.emit(`if (!valid) r = ${v.lockPrevious ? `!Number.isNaN(prev[${o}]) ? prev[${o}] : ${lit(v.defaultValue)}` : lit(v.defaultValue)};`);
        c.emit(v.lockRange ? `val[${o}] = r > ${lit(v.max)} ? ${lit(v.max)} : r < ${lit(v.min)} ? ${lit(v.min)} : r;` : `val[${o}] = r;`);
      }
      fns.push(`function output${o}() {\n${c.text()}\n}`);
      outputCalls.push(`output${o}();`, `out[${o}] = val[${o}];`);
    });

    const inputLines = engine.inputs.map((v, i) =>
      v.lockRange && !this.matlab ? `{ const v = inp[${i}]; V[${i}] = v > ${lit(v.max)} ? ${lit(v.max)} : v < ${lit(v.min)} ? ${lit(v.min)} : v; }` : `V[${i}] = inp[${i}];`,
    );
    const nSites = Math.max(1, this.sites.length);
    const source = `"use strict";
const PI = 4.0 * Math.atan(1.0);
${this.consts.map((_, k) => `const K${k} = K[${k}];`).join('\n')}
const F = new Uint8Array(${nSites}), D = new Float64Array(${nSites});
const V = new Float64Array(${Math.max(1, nIn)}), M = new Float64Array(${Math.max(1, this.terms.length)});
const val = new Float64Array(${nOut}).fill(NaN), prev = new Float64Array(${nOut}).fill(NaN);
${setup.join('\n')}
${fns.join('\n')}
function evaluate(inp, out) {
${inputLines.join('\n')}
for (let s = 0; s < ${nSites}; s++) F[s] = 0;
${[...fuzzifyCalls, ...ruleCalls, ...outputCalls].join('\n')}
}
function reset() { val.fill(NaN); prev.fill(NaN); V.fill(NaN); }
return { evaluate, reset };`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the generated source holds only numbers and indices
    const factory = new Function('K', 'FN', source);
    const built = factory(this.consts.map((c) => Float64Array.from(c)), FORMULA_FUNCTIONS) as {
      evaluate(inp: Float64Array, out: Float64Array): void;
      reset(): void;
    };
    return {
      inputNames: engine.inputs.map((v) => v.name),
      outputNames: engine.outputs.map((v) => v.name),
      evaluate: built.evaluate,
      reset: built.reset,
      source,
    } as CompiledEngine & { source: string };
  }

  /** MATLAB's defuzz over X<o> (compile.ts's matlabIntegral, operation for operation); r = the range's middle when Σµ = 0. */
  private matlabDefuzz(c: Code, o: number, kind: string, res: number, mu: (c: Code, y: string) => void): void {
    const v = this.engine.outputs[o];
    const X = `X${o}`, Y = `Y${o}`;
    const y = c.fresh('y');
    c.emit('let area = 0.0, ymax = -Infinity;');
    c.emit(`for (let i = 0; i <= ${res}; i++) {`);
    c.emit(`const x = ${X}[i];`);
    mu(c, y);
    c.emit(`${Y}[i] = ${y}; area += ${y}; if (${y} > ymax) ymax = ${y};`);
    c.emit('}');
    c.emit(`if (area === 0.0) r = ${lit(0.5 * (v.min + v.max))};`);
    c.emit('else {');
    switch (kind) {
      case 'Centroid':
        c.emit(`let acc = 0.0; for (let i = 0; i <= ${res}; i++) acc += ${Y}[i] * ${X}[i]; r = acc / area;`);
        break;
      case 'Bisector':
        c.emit(`let acc = 0.0; for (let i = 0; i <= ${res}; i++) { acc += ${Y}[i]; if (acc >= area / 2) { r = ${X}[i]; break; } }`);
        break;
      case 'MeanOfMaximum':
        c.emit(`let acc = 0.0, count = 0; for (let i = 0; i <= ${res}; i++) if (${Y}[i] === ymax) { acc += ${X}[i]; count++; } r = acc / count;`);
        break;
      case 'SmallestOfMaximum':
        c.emit(`let best = NaN; for (let i = 0; i <= ${res}; i++) if (${Y}[i] === ymax && !(Math.abs(${X}[i]) >= Math.abs(best))) best = ${X}[i]; r = best;`);
        break;
      case 'LargestOfMaximum':
        c.emit(`let best = NaN; for (let i = 0; i <= ${res}; i++) if (${Y}[i] === ymax && !(Math.abs(${X}[i]) <= Math.abs(best))) best = ${X}[i]; r = best;`);
        break;
    }
    c.emit('}');
  }

  /** An integral defuzzifier of output o over its grid, the aggregated set written out in the loop. */
  private integral(c: Code, o: number, mine: (Site & { k: number })[], kind: string, res: number, setup: string[]): void {
    const v = this.engine.outputs[o];
    const min = lit(v.min), max = lit(v.max);
    if (!Number.isFinite(v.min + v.max)) {
      c.emit('r = NaN;');
      return;
    }
    // Integral defuzzifiers other than the bisector sample the fixed grid min + (i + ½)·dx, so the
    // output terms' memberships there are tabulated once, with the same code.
    const distinct = [...new Set(mine.map((s) => s.term))];
    const table = new Map<number, string>();
    // Under `matlab` semantics every defuzzifier reads the grid X<o> of resolution + 1 points (matlabGridPoint).
    const points = this.matlab ? res + 1 : res;
    if (this.matlab) {
      setup.push(`const X${o} = new Float64Array(${points}), Y${o} = new Float64Array(${points});`);
      setup.push(`for (let i = 0; i <= ${res}; i++) X${o}[i] = i === ${res} ? ${max} : ${min} + (i * (${max} - ${min})) / ${res};`);
    }
    if ((kind !== 'Bisector' || this.matlab) && distinct.length * points <= 1_000_000) {
      setup.push(`const DX${o} = (${max} - ${min}) / ${res};`);
      for (const t of distinct) {
        if (this.terms[t].kind === 'Linear' || this.terms[t].kind === 'Function') continue;
        const name = `TB${o}_${t}`;
        const s = this.code();
        s.emit(`const ${name} = new Float64Array(${points});`);
        s.emit(`for (let i = 0; i < ${points}; i++) {`);
        s.emit(`${name}[i] = ${this.termValue(s, t, this.matlab ? `X${o}[i]` : `(${min} + (i + 0.5) * DX${o})`)};`);
        s.emit('}');
        setup.push(s.text());
        table.set(t, name);
      }
    }
    const at = (cc: Code, t: number) => (table.has(t) ? `${table.get(t)}[i]` : this.termValue(cc, t, 'x'));
    // Maximum aggregation of min/product implications: max over rules of impl(µ, dᵢ) equals
    // impl(µ, max dᵢ) exactly (min/max are exact, rounding is monotone, µ ≥ 0), so each
    // (term, implication) pair is evaluated once per point. NaN degrees take the general path.
    const groups = [...new Set(mine.map((s) => `${s.term}/${s.impl}`))].map((key) => {
      const [t, impl] = key.split('/').map(Number);
      return { t, impl, sites: mine.filter((s) => s.term === t && s.impl === impl), g: '' };
    });
    const fast = v.aggregation === 'Maximum' && groups.every((gr) => (gr.impl === 0 || gr.impl === 1) && this.nonNegative(gr.t));
    if (fast) {
      for (const gr of groups) {
        gr.g = c.fresh('G');
        c.emit(`let ${gr.g} = -Infinity;`);
        for (const s of gr.sites) c.emit(`if (F[${s.k}] === 1) { if (D[${s.k}] !== D[${s.k}]) nanDegree = true; else if (D[${s.k}] > ${gr.g}) ${gr.g} = D[${s.k}]; }`);
      }
    }
    /** µ at the point (i, x) into y, by the general or the fast aggregation. */
    const mu = (cc: Code, general: boolean, y: string) => {
      cc.emit(`let ${y} = 0.0;`);
      if (general) {
        this.aggregate(cc, o, mine, at, y);
        return;
      }
      for (const gr of groups) {
        cc.emit(`if (${gr.g} !== -Infinity) {`);
        cc.emit(`${y} = ${mx(y, cc.operand(tnormExpr(cc, gr.impl, at(cc, gr.t), gr.g)))};`);
        cc.emit('}');
      }
    };
    for (const [guard, general] of fast ? ([['if (nanDegree) {', true], ['} else {', false]] as const) : ([['{', true]] as const)) {
      c.emit(guard);
      if (this.matlab) {
        this.matlabDefuzz(c, o, kind, res, (cc, y) => mu(cc, general, y));
        continue;
      }
      c.emit(`const dx = (${max} - ${min}) / ${res};`);
      const y = c.fresh('y');
      switch (kind) {
        case 'Centroid':
          c.emit('let area = 0, xc = 0;');
          c.emit(`for (let i = 0; i < ${res}; i++) {`);
          c.emit(`const x = ${min} + (i + 0.5) * dx;`);
          mu(c, general, y);
          c.emit(`xc += ${y} * x; area += ${y};`);
          c.emit('}');
          c.emit('r = xc / area;');
          break;
        case 'Bisector':
          c.emit(`let counter = ${res}, left = 0, right = 0, la = 0, ra = 0, xl = ${min}, xr = ${max};`);
          c.emit('while (counter-- > 0) {');
          c.emit(`if (${le('la', 'ra')}) {`);
          c.emit(`xl = ${min} + (left + 0.5) * dx;`);
          c.emit('const x = xl;');
          mu(c, general, y);
          c.emit(`la += ${y}; left++;`);
          c.emit('} else {');
          c.emit(`xr = ${max} - (right + 0.5) * dx;`);
          c.emit('const x = xr;');
          mu(c, general, `${y}r`);
          c.emit(`ra += ${y}r; right++;`);
          c.emit('}');
          c.emit('}');
          c.emit('r = (la * xr + ra * xl) / (la + ra);');
          break;
        case 'SmallestOfMaximum':
          c.emit(`let ymax = -1.0, xs = ${min};`);
          c.emit(`for (let i = 0; i < ${res}; i++) {`);
          c.emit(`const x = ${min} + (i + 0.5) * dx;`);
          mu(c, general, y);
          c.emit(`if (${gt(y, 'ymax')}) { xs = x; ymax = ${y}; }`);
          c.emit('}');
          c.emit('r = xs;');
          break;
        case 'MeanOfMaximum':
          c.emit(`let ymax = -1.0, xs = ${min}, xl = ${max}, same = false;`);
          c.emit(`for (let i = 0; i < ${res}; i++) {`);
          c.emit(`const x = ${min} + (i + 0.5) * dx;`);
          mu(c, general, y);
          c.emit(`if (${gt(y, 'ymax')}) { ymax = ${y}; xs = x; xl = x; same = true; }`);
          c.emit(`else if (same && ${eq(y, 'ymax')}) xl = x;`);
          c.emit(`else if (${lt(y, 'ymax')}) same = false;`);
          c.emit('}');
          c.emit('r = 0.5 * (xl + xs);');
          break;
        case 'LargestOfMaximum':
          c.emit(`let ymax = -1.0, xl = ${max};`);
          c.emit(`for (let i = 0; i < ${res}; i++) {`);
          c.emit(`const x = ${min} + (i + 0.5) * dx;`);
          mu(c, general, y);
          c.emit(`if (${ge(y, 'ymax')}) { ymax = ${y}; xl = x; }`);
          c.emit('}');
          c.emit('r = xl;');
          break;
      }
    }
    c.emit('}');
  }
}
