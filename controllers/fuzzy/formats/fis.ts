import { FuzzyModelError, locatedError } from '../errors.ts';
import { withoutComment } from './comments.ts';
import type { HedgeName } from '../hedges.ts';
import {
  DEFAULT_RESOLUTION,
  Engine,
  InputVariable,
  OutputVariable,
  Rule,
  RuleBlock,
  Term,
  type Defuzzifier,
  type Expression,
  type Proposition,
} from '../model.ts';
import type { SNormName, TNormName } from '../norms.ts';
import { parseRule } from '../rule-parser.ts';
import type { TermKind } from '../terms.ts';
import { checkRules, termFromValues } from './fll.ts';
import { formatNumber, readNumber } from './numbers.ts';

/**
 * MATLAB's `.fis` text format, read as fuzzylite reads it (FisImporter): one engine-wide set of
 * methods, integral defuzzifiers at fuzzylite's default resolution (100), no rule fired → the
 * output's default (NaN unless `Default=` says otherwise). fuzzylite's extension keys are honoured:
 * `Enabled`, `Default`, `LockPrevious`, `LockRange`, extra MF classes (rampmf, cosinemf, …) and a
 * trailing MF parameter as the term's height.
 */

const TNORM_FIS: Record<TNormName, string> = {
  Minimum: 'min',
  AlgebraicProduct: 'prod',
  BoundedDifference: 'bounded_difference',
  DrasticProduct: 'drastic_product',
  EinsteinProduct: 'einstein_product',
  HamacherProduct: 'hamacher_product',
  NilpotentMinimum: 'nilpotent_minimum',
};
const SNORM_FIS: Record<SNormName, string> = {
  Maximum: 'max',
  AlgebraicSum: 'probor',
  BoundedSum: 'bounded_sum',
  NormalizedSum: 'normalized_sum',
  DrasticSum: 'drastic_sum',
  EinsteinSum: 'einstein_sum',
  HamacherSum: 'hamacher_sum',
  NilpotentMaximum: 'nilpotent_maximum',
  UnboundedSum: 'sum',
};
const DEFUZZ_FIS: Record<Defuzzifier['kind'], string> = {
  Centroid: 'centroid',
  Bisector: 'bisector',
  LargestOfMaximum: 'lom',
  MeanOfMaximum: 'mom',
  SmallestOfMaximum: 'som',
  WeightedAverage: 'wtaver',
  WeightedSum: 'wtsum',
};
const MF_FIS: Record<TermKind, string> = {
  Binary: 'binarymf',
  Concave: 'concavemf',
  Constant: 'constant',
  Cosine: 'cosinemf',
  Discrete: 'discretemf',
  Bell: 'gbellmf',
  Gaussian: 'gaussmf',
  GaussianProduct: 'gauss2mf',
  Linear: 'linear',
  PiShape: 'pimf',
  Ramp: 'rampmf',
  Rectangle: 'rectmf',
  SShape: 'smf',
  Sigmoid: 'sigmf',
  SigmoidDifference: 'dsigmf',
  SigmoidProduct: 'psigmf',
  Spike: 'spikemf',
  Trapezoid: 'trapmf',
  Triangle: 'trimf',
  ZShape: 'zmf',
  Function: 'function',
};
const invert = <K extends string>(m: Record<K, string>): Record<string, K> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k])) as Record<string, K>;
const FIS_TNORM = invert(TNORM_FIS);
const FIS_SNORM = invert(SNORM_FIS);
const FIS_DEFUZZ = invert(DEFUZZ_FIS);
const FIS_MF = invert(MF_FIS);

/** MATLAB parameter order ↔ fuzzylite parameter order (index permutation of the first values). */
const FIS_ORDER: Partial<Record<TermKind, number[]>> = {
  Bell: [2, 0, 1], // gbellmf [a b c] = width slope center
  Gaussian: [1, 0], // gaussmf [sigma c]
  GaussianProduct: [1, 0, 3, 2],
  Sigmoid: [1, 0], // sigmf [a c]
  SigmoidDifference: [1, 0, 2, 3], // dsigmf [a1 c1 a2 c2]
  SigmoidProduct: [1, 0, 2, 3],
};

/** fuzzylite's Op::validName: keeps letters, digits, '_' and '.'. */
function validName(s: string): string {
  if (s.trim() === '') return 'unnamed';
  return s.replace(/[^A-Za-z0-9_.]/g, '');
}

/**
 * `warn` hears about rules that fuzzylite loads but never fires (an all-zero antecedent, as in
 * fuzzylite's own .fis exports of chained engines); they are left out, with the same outputs.
 */
export function readFis(text: string, file = '<fis>', warn: (message: string) => void = () => {}): Engine {
  const engine = new Engine();
  // .fis is MATLAB's format: it means what evalfis computes unless the caller says otherwise
  engine.semantics = 'matlab';
  const methods = { and: '', or: '', imp: '', agg: '', defuzz: '' };
  const methodLine = { and: 1, or: 1, imp: 1, agg: 1, defuzz: 1 };
  type Section = { kind: 'system' } | { kind: 'input'; v: InputVariable } | { kind: 'output'; v: OutputVariable } | { kind: 'rules'; b: RuleBlock };
  let section: Section | null = null;
  const ruleLines: { line: number; text: string }[] = [];
  // Counts the file declares (NumInputs=…), checked against what it holds once it is read.
  const declared: { key: string; value: number; line: number; actual: () => number; what: string; warnOnly?: boolean }[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const fail = (msg: string): never => {
      throw locatedError(file, lineNo, msg);
    };
    let line = withoutComment(lines[n]);
    line = line.trim();
    if (line.length === 0 || line.startsWith('%')) continue;
    line = line.replace(/'/g, '');
    if (line.startsWith('[System]')) {
      section = { kind: 'system' };
      continue;
    }
    if (line.startsWith('[Input')) {
      const v = new InputVariable('', -Infinity, Infinity);
      v.line = lineNo;
      engine.addInput(v);
      section = { kind: 'input', v };
      continue;
    }
    if (line.startsWith('[Output')) {
      const v = new OutputVariable('', -Infinity, Infinity);
      v.line = lineNo;
      engine.addOutput(v);
      section = { kind: 'output', v };
      continue;
    }
    if (line.startsWith('[Rules]')) {
      const b = new RuleBlock('');
      b.line = lineNo;
      engine.addRuleBlock(b);
      section = { kind: 'rules', b };
      continue;
    }
    if (section === null) fail(`'${line}' is outside any section: expected [System], [Input…], [Output…] or [Rules]`);
    if (section!.kind === 'rules') {
      ruleLines.push({ line: lineNo, text: line });
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) fail(`expected 'key=value', found '${line}'`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const num = (s: string, what: string): number => {
      const x = readNumber(s);
      if (x === undefined) fail(`expected a number for ${what}, found '${s}'`);
      return x!;
    };
    const flag = () => num(value, key) === 1;
    if (section!.kind === 'system') {
      switch (key) {
        case 'Name':
          engine.name = value;
          continue;
        case 'AndMethod':
          methods.and = value;
          methodLine.and = lineNo;
          continue;
        case 'OrMethod':
          methods.or = value;
          methodLine.or = lineNo;
          continue;
        case 'ImpMethod':
          methods.imp = value;
          methodLine.imp = lineNo;
          continue;
        case 'AggMethod':
          methods.agg = value;
          methodLine.agg = lineNo;
          continue;
        case 'DefuzzMethod':
          methods.defuzz = value;
          methodLine.defuzz = lineNo;
          continue;
        case 'NumInputs':
          declared.push({ key, value: num(value, key), line: lineNo, actual: () => engine.inputs.length, what: '[Input] sections' });
          continue;
        case 'NumOutputs':
          declared.push({ key, value: num(value, key), line: lineNo, actual: () => engine.outputs.length, what: '[Output] sections' });
          continue;
        case 'Type':
        case 'Version':
        // fuzzylite's own examples state NumRules wrongly (AllTerms.fis: 16 for 20 rules) and both
        // fuzzylite and MATLAB read all rules, so NumRules is not checked.
        case 'NumRules':
        case 'NumMFs':
          continue;
      }
      fail(`unknown key '${key}' in [System]`);
    }
    const v = (section as { v: InputVariable | OutputVariable }).v;
    if (key === 'Name') v.name = validName(value);
    else if (key === 'Enabled') v.enabled = flag();
    else if (key === 'Range') {
      const m = /^\[\s*(\S+)\s+(\S+)\s*\]$/.exec(value);
      if (!m) fail(`expected 'Range=[min max]', found '${value}'`);
      v.min = num(m![1], 'the range minimum');
      v.max = num(m![2], 'the range maximum');
    } else if (key.startsWith('MF')) {
      const t = readMf(value, fail, num);
      t.line = lineNo;
      v.addTerm(t);
    }
    else if (key === 'NumMFs') {
      const owner = v;
      // Warned, not refused: fuzzylite's own AllTerms.fis states NumMFs=16 for 20 MF lines, and fuzzylite reads them all.
      declared.push({ key, value: num(value, key), line: lineNo, actual: () => owner.terms.length, what: 'MF lines in this section; all of them are read, as fuzzylite does', warnOnly: true });
    }
    else if (v instanceof OutputVariable && key === 'Default') v.defaultValue = num(value, 'Default');
    else if (v instanceof OutputVariable && key === 'LockPrevious') v.lockPrevious = flag();
    else if (v instanceof OutputVariable && key === 'LockRange') v.lockRange = flag();
    else fail(`unknown key '${key}' in [${v instanceof OutputVariable ? 'Output' : 'Input'}]`);
  }

  for (const d of declared) {
    if (d.value === d.actual()) continue;
    if (d.warnOnly) warn(`${file}:${d.line}: ${d.key}=${d.value}, but the file has ${d.actual()} ${d.what}`);
    else throw locatedError(file, d.line, `${d.key}=${d.value}, but the file has ${d.actual()} ${d.what}`);
  }

  // engine-wide methods, as fl::Engine::configure
  const lookup = <T extends string>(map: Record<string, T>, value: string, what: string, known: Record<T, string>, line: number): T | null => {
    if (value === '') return null;
    const name = map[value] ?? (value in known ? (value as T) : undefined);
    if (name === undefined) throw locatedError(file, line, `unknown ${what} '${value}' (known: ${Object.keys(map).join(', ')})`);
    return name;
  };
  const conj = lookup(FIS_TNORM, methods.and, 'AndMethod', TNORM_FIS, methodLine.and);
  const disj = lookup(FIS_SNORM, methods.or, 'OrMethod', SNORM_FIS, methodLine.or);
  const imp = lookup(FIS_TNORM, methods.imp, 'ImpMethod', TNORM_FIS, methodLine.imp);
  const agg = lookup(FIS_SNORM, methods.agg, 'AggMethod', SNORM_FIS, methodLine.agg);
  const defuzz = lookup(FIS_DEFUZZ, methods.defuzz, 'DefuzzMethod', DEFUZZ_FIS, methodLine.defuzz);
  for (const b of engine.ruleBlocks) {
    b.conjunction = conj;
    b.disjunction = disj;
    b.implication = imp;
  }
  for (const o of engine.outputs) {
    o.aggregation = agg;
    o.defuzzifier =
      defuzz === null
        ? null
        : defuzz === 'WeightedAverage' || defuzz === 'WeightedSum'
          ? { kind: defuzz, type: 'Automatic' }
          : { kind: defuzz, resolution: DEFAULT_RESOLUTION };
  }
  const block = engine.ruleBlocks[0];
  for (const r of ruleLines) {
    const text = ruleText(r.text, engine, (msg) => locatedError(file, r.line, msg));
    if (text === null) {
      warn(`${file}:${r.line}: rule '${r.text}' has no antecedent; fuzzylite never fires it, so it is left out`);
      continue;
    }
    const rule = new Rule(text);
    rule.line = r.line;
    block.rules.push(rule);
  }
  checkRules(engine, file);
  return engine;
}

function readMf(value: string, fail: (m: string) => never, num: (s: string, what: string) => number) {
  const m = /^([^:]*):\s*([A-Za-z0-9_]+)\s*,\s*\[([^\]]*)\]\s*$/.exec(value);
  if (!m) fail(`expected MF 'name':'type',[parameters], found '${value}'`);
  const name = validName(m![1].trim());
  const kind = FIS_MF[m![2]];
  if (kind === undefined) fail(`unknown MF type '${m![2]}'`);
  // fuzzylite joins a function's parameter tokens without spaces
  if (kind === 'Function') return new Term(name, kind, [], 1, m![3].trim().split(/\s+/).join(''));
  const raw = m![3].trim() === '' ? [] : m![3].trim().split(/\s+/).map((s) => num(s, `a parameter of MF '${name}'`));
  const order = FIS_ORDER[kind];
  const values = raw.slice();
  if (order && raw.length >= order.length) order.forEach((from, to) => (values[to] = raw[from]));
  return termFromValues(name, kind, values, fail);
}

const FRACTION_HEDGES: [number, HedgeName[]][] = [
  [0.01, ['seldom']],
  [0.05, ['somewhat']],
  [0.2, ['very']],
  [0.3, ['extremely']],
  [0.4, ['very', 'very']],
  [0.99, ['any']],
];

/** `1 2, 3 (1) : 1` → `if in1 is a and in2 is b then out is c`, as fl::FisImporter::importRules. */
function ruleText(line: string, engine: Engine, error: (m: string) => Error): string | null {
  const m = /^([^,]*),([^:]*):(.*)$/.exec(line);
  if (!m) throw error(`expected a rule 'inputs, outputs (weight) : 1|2', found '${line}'`);
  const ins = m[1].trim().split(/\s+/).filter(Boolean);
  const outsAndWeight = m[2].trim().split(/\s+/).filter(Boolean);
  const weightText = outsAndWeight.pop() ?? '';
  const connector = m[3].trim();
  if (ins.length !== engine.inputs.length) throw error(`expected ${engine.inputs.length} input codes, found ${ins.length} in '${line}'`);
  if (outsAndWeight.length !== engine.outputs.length) throw error(`expected ${engine.outputs.length} output codes and a weight, found '${m[2].trim()}'`);
  if (connector !== '1' && connector !== '2') throw error(`expected connector 1 (and) or 2 (or), found '${connector}'`);
  const proposition = (codeText: string, v: InputVariable | OutputVariable): string | null => {
    const code = readNumber(codeText);
    if (code === undefined || Number.isNaN(code)) throw error(`expected a term code for '${v.name}', found '${codeText}'`);
    if (Math.abs(code) < 1e-6) return null;
    const index = Math.floor(Math.abs(code)) - 1;
    const frac = Math.abs(code) % 1;
    if (index >= v.terms.length) throw error(`code ${codeText} refers to term ${index + 1} of '${v.name}', which has ${v.terms.length}`);
    const words: string[] = [];
    if (code < 0) words.push('not');
    if (Math.abs(frac) >= 1e-6) {
      const h = FRACTION_HEDGES.find(([f]) => Math.abs(frac - f) < 1e-6);
      if (!h) throw error(`no hedge is coded by the fraction ${frac.toFixed(2)} in '${codeText}'`);
      words.push(...h[1]);
    }
    if (index >= 0) words.push(v.terms[index].name);
    return `${v.name} is ${words.join(' ')}`;
  };
  const antecedent = ins.map((c, i) => proposition(c, engine.inputs[i])).filter((p): p is string => p !== null);
  const consequent = outsAndWeight.map((c, i) => proposition(c, engine.outputs[i])).filter((p): p is string => p !== null);
  const weight = readNumber(weightText.replace(/[()]/g, ''));
  if (weight !== undefined && !Number.isFinite(weight)) throw error(`the weight '${weightText}' is not a finite number`);
  if (weight === undefined) throw error(`expected a weight '(w)', found '${weightText}'`);
  if (antecedent.length === 0) return null;
  let text = `if ${antecedent.join(connector === '1' ? ' and ' : ' or ')} then ${consequent.join(' and ')}`;
  if (Math.abs(weight - 1.0) >= 1e-6) text += ` with ${formatNumber(weight)}`;
  return text;
}

/** What a `.fis` file cannot carry for this engine (written anyway, with fuzzylite's reading). */
export function fisLosses(engine: Engine, options: FisWriteOptions = {}): string[] {
  const out: string[] = [];
  if (options.fuzzyliteExtensions !== true) {
    for (const v of [...engine.inputs, ...engine.outputs]) if (!v.enabled) out.push(`variable '${v.name}' is disabled; Enabled= is written only with --fuzzylite-extensions`);
    for (const o of engine.outputs) {
      if (!Number.isNaN(o.defaultValue)) out.push(`output '${o.name}': default ${o.defaultValue} is written (Default=) only with --fuzzylite-extensions`);
      if (o.lockPrevious) out.push(`output '${o.name}': lock-previous is written only with --fuzzylite-extensions`);
      if (o.lockRange) out.push(`output '${o.name}': lock-range is written only with --fuzzylite-extensions`);
    }
  }
  const blocks = engine.ruleBlocks;
  const first = blocks[0];
  for (const b of blocks.slice(1)) {
    if (b.conjunction !== first.conjunction || b.disjunction !== first.disjunction || b.implication !== first.implication) {
      out.push(`rule block '${b.name}' has its own methods; .fis keeps those of the first block`);
    }
  }
  for (const b of blocks) if (!b.enabled) out.push(`rule block '${b.name}' is disabled; .fis has no such flag, its rules are dropped`);
  if (blocks.length > 1) out.push(`${blocks.length} rule blocks are merged into one [Rules] list`);
  const o0 = engine.outputs[0];
  for (const o of engine.outputs) {
    if (o0 && (o.aggregation !== o0.aggregation || defuzzifierKey(o.defuzzifier) !== defuzzifierKey(o0.defuzzifier))) {
      out.push(`output '${o.name}' has its own aggregation/defuzzifier; .fis keeps those of '${o0.name}'`);
    }
    const d = o.defuzzifier;
    if (d && 'resolution' in d && d.resolution !== DEFAULT_RESOLUTION) out.push(`output '${o.name}': resolution ${d.resolution} becomes ${DEFAULT_RESOLUTION}`);
    if (d && 'type' in d && d.type !== 'Automatic') out.push(`output '${o.name}': ${d.kind} type ${d.type} becomes Automatic`);
  }
  for (const v of engine.inputs) if (v.lockRange) out.push(`input '${v.name}': lock-range is not kept`);
  for (const b of blocks) {
    for (const r of b.rules) {
      if (r.text.includes('#')) out.push(`rule '${r.text}': the comment is dropped`);
    }
  }
  if (engine.description) out.push('the engine description is dropped');
  return out;
}

function defuzzifierKey(d: Defuzzifier | null): string {
  return d === null ? 'none' : JSON.stringify(d);
}

/**
 * The engine as `.fis` text. Throws for rules `.fis` cannot express (mixed and/or, output variables
 * in antecedents, one variable twice, hedge combinations without a code); see `fisLosses` for the
 * settings it drops.
 */
export interface FisWriteOptions {
  /** Write fuzzylite's extension keys (Enabled=, Default=, LockPrevious=, LockRange=), which MATLAB and Octave reject. */
  fuzzyliteExtensions?: boolean;
}

export function writeFis(engine: Engine, options: FisWriteOptions = {}): string {
  const extensions = options.fuzzyliteExtensions === true;
  const out: string[] = [];
  const blocks = engine.ruleBlocks.filter((b) => b.enabled);
  const first = engine.ruleBlocks[0];
  const o0 = engine.outputs[0];
  const rules = blocks.flatMap((b) => b.rules);
  const sugeno =
    engine.outputs.length > 0 &&
    engine.outputs.every((o) => o.defuzzifier && 'type' in o.defuzzifier && o.terms.every((t) => t.kind === 'Constant' || t.kind === 'Linear'));
  out.push('[System]');
  out.push(`Name='${engine.name}'`);
  out.push(`Type='${sugeno ? 'sugeno' : 'mamdani'}'`);
  out.push('Version=2.0');
  out.push(`NumInputs=${engine.inputs.length}`);
  out.push(`NumOutputs=${engine.outputs.length}`);
  out.push(`NumRules=${rules.length}`);
  // A method the model does not use is still named (evalfis rejects an empty one): MATLAB's defaults for the type.
  const tn = (t: TNormName | null | undefined, fallback: string) => (t ? TNORM_FIS[t] : fallback);
  const sn = (s: SNormName | null | undefined, fallback: string) => (s ? SNORM_FIS[s] : fallback);
  out.push(`AndMethod='${tn(first?.conjunction, 'min')}'`);
  out.push(`OrMethod='${sn(first?.disjunction, 'max')}'`);
  out.push(`ImpMethod='${tn(first?.implication, sugeno ? 'prod' : 'min')}'`);
  out.push(`AggMethod='${sn(o0?.aggregation, sugeno ? 'sum' : 'max')}'`);
  out.push(`DefuzzMethod='${o0?.defuzzifier ? DEFUZZ_FIS[o0.defuzzifier.kind] : sugeno ? 'wtaver' : 'centroid'}'`);
  const variable = (header: string, v: InputVariable | OutputVariable) => {
    out.push('');
    out.push(header);
    out.push(`Name='${v.name}'`);
    if (!v.enabled && extensions) out.push('Enabled=0');
    out.push(`Range=[${formatNumber(v.min)} ${formatNumber(v.max)}]`);
    out.push(`NumMFs=${v.terms.length}`);
    v.terms.forEach((t, i) => {
      const order = FIS_ORDER[t.kind];
      const values = t.params.slice();
      if (order) order.forEach((from, to) => (values[from] = t.params[to]));
      if (t.kind !== 'Constant' && t.kind !== 'Linear' && t.height !== 1) values.push(t.height);
      const params = t.kind === 'Function' ? t.formula : values.map(formatNumber).join(' ');
      out.push(`MF${i + 1}='${t.name}':'${MF_FIS[t.kind]}',[${params}]`);
    });
    if (v instanceof OutputVariable && extensions) {
      if (!Number.isNaN(v.defaultValue)) out.push(`Default=${formatNumber(v.defaultValue)}`);
      if (v.lockPrevious) out.push('LockPrevious=1');
      if (v.lockRange) out.push('LockRange=1');
    }
  };
  engine.inputs.forEach((v, i) => variable(`[Input${i + 1}]`, v));
  engine.outputs.forEach((v, i) => variable(`[Output${i + 1}]`, v));
  out.push('');
  out.push('[Rules]');
  for (const r of rules) out.push(fisRule(r, engine));
  return out.join('\n') + '\n';
}

function fisRule(rule: Rule, engine: Engine): string {
  const parsed = parseRule(rule, engine);
  const fail = (msg: string): never => {
    throw new FuzzyModelError(`rule '${rule.text}' cannot be written to .fis: ${msg}`);
  };
  const props: Proposition[] = [];
  const ops = new Set<string>();
  const walk = (e: Expression) => {
    if (e.type === 'operator') {
      ops.add(e.op);
      walk(e.left);
      walk(e.right);
    } else props.push(e);
  };
  walk(parsed.antecedent);
  if (ops.size > 1) fail(`it mixes 'and' and 'or'`);
  const code = (v: InputVariable | OutputVariable, term: string | null, hedges: readonly HedgeName[]): string => {
    let hs = hedges.slice();
    let negate = false;
    if (hs[0] === 'not') {
      negate = true;
      hs = hs.slice(1);
    }
    const key = hs.join(' ');
    let frac = 0;
    if (key !== '') {
      const h = FRACTION_HEDGES.find(([, words]) => words.join(' ') === key);
      if (!h) fail(`no .fis code for the hedges '${hedges.join(' ')}'`);
      frac = h![0];
    }
    const index = term === null ? 0 : v.terms.findIndex((t) => t.name === term) + 1;
    const value = index + frac;
    return (negate ? '-' : '') + formatNumber(Math.round(value * 100) / 100);
  };
  const inputCodes = engine.inputs.map((v) => {
    const mine = props.filter((p) => p.variable === v.name);
    if (mine.length > 1) fail(`'${v.name}' appears more than once`);
    return mine.length ? code(v, mine[0].term, mine[0].hedges) : '0';
  });
  if (props.some((p) => p.isOutput)) fail('its antecedent reads an output variable');
  const outputCodes = engine.outputs.map((v) => {
    const mine = parsed.consequent.filter((c) => c.variable === v.name);
    if (mine.length > 1) fail(`'${v.name}' is concluded more than once`);
    return mine.length ? code(v, mine[0].term, mine[0].hedges) : '0';
  });
  if (parsed.consequent.length > 1 && parsed.consequent.some((c, i) => i > 0 && engine.outputs.findIndex((o) => o.name === c.variable) < engine.outputs.findIndex((o) => o.name === parsed.consequent[i - 1].variable))) {
    fail('its conclusions are not in output order');
  }
  const connector = ops.has('or') ? '2' : '1';
  return `${inputCodes.join(' ')}, ${outputCodes.join(' ')} (${formatNumber(parsed.weight)}) : ${connector}`;
}
