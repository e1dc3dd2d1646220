import { locatedError } from '../errors.ts';
import {
  ACTIVATIONS,
  DEFAULT_RESOLUTION,
  Engine,
  INTEGRAL_DEFUZZIFIERS,
  InputVariable,
  OutputVariable,
  Rule,
  RuleBlock,
  Term,
  WEIGHTED_DEFUZZIFIERS,
  isSNorm,
  isTNorm,
  isTermKind,
  type Defuzzifier,
  type IntegralDefuzzifierName,
  type WeightedDefuzzifierName,
  type WeightedType,
} from '../model.ts';
import { parseRule } from '../rule-parser.ts';
import { parseFormula } from '../formula.ts';
import { TERM_ARITY, TERM_PARAMETER_NAMES } from '../terms.ts';
import { formatNumber, readNumber } from './numbers.ts';

/**
 * fuzzylite's FLL text format (https://fuzzylite.com/fll-fld): `key: value` lines, `#` comments,
 * blocks opened by `InputVariable:`, `OutputVariable:` and `RuleBlock:`. Reading checks every line
 * and every rule and reports the first problem as `file:line: what was expected`.
 */
export function readFll(text: string, file = '<fll>'): Engine {
  const engine = new Engine();
  type Block = { kind: 'input'; v: InputVariable } | { kind: 'output'; v: OutputVariable } | { kind: 'rules'; b: RuleBlock } | null;
  let block: Block = null;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const fail = (msg: string): never => {
      throw locatedError(file, lineNo, msg);
    };
    const hash = lines[n].indexOf('#');
    const line = (hash >= 0 ? lines[n].slice(0, hash) : lines[n]).trim();
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    if (colon < 0) fail(`expected 'key: value', found '${line}'`);
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const num = (s: string, what: string): number => {
      const x = readNumber(s);
      if (x === undefined) fail(`expected a number for ${what}, found '${s}'`);
      return x!;
    };
    const bool = (): boolean => {
      if (value === 'true') return true;
      if (value === 'false') return false;
      return fail(`expected true or false for '${key}', found '${value}'`);
    };
    const range = (): [number, number] => {
      const parts = value.split(/\s+/);
      if (parts.length !== 2) fail(`expected 'range: min max', found '${value}'`);
      return [num(parts[0], 'the range minimum'), num(parts[1], 'the range maximum')];
    };
    const name = (): string => {
      if (!/^[A-Za-z0-9_.]+$/.test(value)) fail(`expected a name of letters, digits, '_' or '.', found '${value}'`);
      return value;
    };
    switch (key) {
      case 'Engine':
        engine.name = value;
        continue;
      case 'InputVariable': {
        const v = new InputVariable(name(), -Infinity, Infinity);
        v.line = lineNo;
        engine.addInput(v);
        block = { kind: 'input', v };
        continue;
      }
      case 'OutputVariable': {
        const v = new OutputVariable(name(), -Infinity, Infinity);
        v.line = lineNo;
        v.defuzzifier = null;
        v.aggregation = null;
        engine.addOutput(v);
        block = { kind: 'output', v };
        continue;
      }
      case 'RuleBlock': {
        const b = new RuleBlock(value);
        b.line = lineNo;
        b.conjunction = null;
        b.disjunction = null;
        b.implication = null;
        engine.addRuleBlock(b);
        block = { kind: 'rules', b };
        continue;
      }
    }
    if (key === 'description') {
      if (block === null) engine.description = value;
      else if (block.kind === 'rules') block.b.description = value;
      else block.v.description = value;
      continue;
    }
    if (block === null) fail(`'${key}' outside a block: expected Engine, description, InputVariable, OutputVariable or RuleBlock`);
    if (block!.kind === 'input' || block!.kind === 'output') {
      const v = block!.v;
      switch (key) {
        case 'enabled':
          v.enabled = bool();
          continue;
        case 'range':
          [v.min, v.max] = range();
          continue;
        case 'lock-range':
          v.lockRange = bool();
          continue;
        case 'term': {
          const t = readTerm(value, fail, num);
          t.line = lineNo;
          v.addTerm(t);
          continue;
        }
      }
      if (v instanceof OutputVariable) {
        switch (key) {
          case 'aggregation':
          case 'accumulation':
            if (value === 'none' || value === '') v.aggregation = null;
            else if (isSNorm(value)) v.aggregation = value;
            else fail(`expected an S-norm or none for '${key}', found '${value}'`);
            continue;
          case 'defuzzifier':
            v.defuzzifier = readDefuzzifier(value, fail);
            continue;
          case 'default':
            v.defaultValue = num(value, 'the default value');
            continue;
          case 'lock-previous':
          case 'lock-valid':
            v.lockPrevious = bool();
            continue;
        }
      }
      fail(`unknown key '${key}' in ${block!.kind === 'input' ? 'InputVariable' : 'OutputVariable'} '${v.name}'`);
    } else {
      const b = block!.b;
      switch (key) {
        case 'enabled':
          b.enabled = bool();
          continue;
        case 'conjunction':
        case 'implication':
          if (value === 'none' || value === '') b[key] = null;
          else if (isTNorm(value)) b[key] = value;
          else fail(`expected a T-norm or none for '${key}', found '${value}'`);
          continue;
        case 'disjunction':
          if (value === 'none' || value === '') b.disjunction = null;
          else if (isSNorm(value)) b.disjunction = value;
          else fail(`expected an S-norm or none for 'disjunction', found '${value}'`);
          continue;
        case 'activation':
          // fuzzylite 5 wrote the implication T-norm here
          if (isTNorm(value)) b.implication = value;
          else if (value === 'none' || value === '' || value === 'General') b.activation = 'General';
          else fail(`unsupported activation '${value}' (supported: ${ACTIVATIONS.join(', ')})`);
          continue;
        case 'rule': {
          const r = new Rule(value);
          r.line = lineNo;
          b.rules.push(r);
          continue;
        }
      }
      fail(`unknown key '${key}' in RuleBlock '${b.name}'`);
    }
  }
  checkRules(engine, file);
  return engine;
}

/** Parses every rule and formula against the finished engine; the first bad one is reported at its line. */
export function checkRules(engine: Engine, file: string): void {
  const names = [...engine.inputs, ...engine.outputs].map((v) => v.name);
  for (const v of [...engine.inputs, ...engine.outputs]) {
    for (const t of v.terms) {
      if (t.kind !== 'Function') continue;
      try {
        parseFormula(t.formula, names);
      } catch (e) {
        throw locatedError(file, t.line ?? 0, `term '${t.name}': ${(e as Error).message}`);
      }
    }
  }
  for (const b of engine.ruleBlocks) {
    for (const r of b.rules) {
      try {
        parseRule(r, engine);
      } catch (e) {
        throw locatedError(file, r.line ?? 0, (e as Error).message);
      }
    }
  }
}

function readTerm(value: string, fail: (m: string) => never, num: (s: string, what: string) => number): Term {
  const tokens = value.split(/\s+/);
  if (tokens.length < 2) fail(`expected 'term: name Class parameters…', found '${value}'`);
  const [name, kind, ...rest] = tokens;
  if (!/^[A-Za-z0-9_.]+$/.test(name)) fail(`expected a term name of letters, digits, '_' or '.', found '${name}'`);
  if (!isTermKind(kind)) fail(`unknown term class '${kind}'`);
  const k = kind as Term['kind'];
  if (k === 'Function') return new Term(name, k, [], 1, rest.join(' '));
  const values = rest.map((s) => num(s, `a parameter of term '${name}'`));
  return termFromValues(name, k, values, fail);
}

/** Splits fuzzylite's parameter list into shape parameters and the optional trailing height. */
export function termFromValues(name: string, kind: Term['kind'], values: number[], fail: (m: string) => never): Term {
  const expected = `${kind} ${TERM_PARAMETER_NAMES[kind]}`;
  if (kind === 'Linear') return new Term(name, kind, values);
  if (kind === 'Constant') {
    if (values.length !== 1) fail(`term '${name}': expected ${expected}, got ${values.length} values`);
    return new Term(name, kind, values);
  }
  if (kind === 'Discrete') {
    const height = values.length % 2 === 1 ? values.pop()! : 1;
    if (values.length < 2) fail(`term '${name}': expected ${expected}, got no pairs`);
    for (let i = 2; i < values.length; i += 2) {
      if (values[i] < values[i - 2]) fail(`term '${name}': Discrete x values must be ascending`);
    }
    return new Term(name, kind, values, height);
  }
  const arity = TERM_ARITY[kind];
  if (values.length !== arity && values.length !== arity + 1) fail(`term '${name}': expected ${expected}, got ${values.length} values`);
  const height = values.length > arity ? values.pop()! : 1;
  return new Term(name, kind, values, height);
}

function readDefuzzifier(value: string, fail: (m: string) => never): Defuzzifier | null {
  const [kind, param, extra] = value.split(/\s+/);
  if (kind === 'none' || kind === '') return null;
  if (extra !== undefined) fail(`unexpected '${extra}' after the defuzzifier`);
  if ((INTEGRAL_DEFUZZIFIERS as readonly string[]).includes(kind)) {
    let resolution = DEFAULT_RESOLUTION;
    if (param !== undefined) {
      const r = readNumber(param);
      if (r === undefined || !(r >= 1)) fail(`expected a positive resolution after ${kind}, found '${param}'`);
      resolution = Math.trunc(r!);
    }
    return { kind: kind as IntegralDefuzzifierName, resolution };
  }
  if ((WEIGHTED_DEFUZZIFIERS as readonly string[]).includes(kind)) {
    const type = param ?? 'Automatic';
    if (type !== 'Automatic' && type !== 'TakagiSugeno' && type !== 'Tsukamoto') {
      fail(`expected Automatic, TakagiSugeno or Tsukamoto after ${kind}, found '${type}'`);
    }
    return { kind: kind as WeightedDefuzzifierName, type: type as WeightedType };
  }
  return fail(`unknown defuzzifier '${kind}' (known: ${[...INTEGRAL_DEFUZZIFIERS, ...WEIGHTED_DEFUZZIFIERS].join(', ')}, none)`);
}

/** The engine as FLL text; numbers are written in shortest round-trip form, so nothing is lost. */
export function writeFll(engine: Engine): string {
  const out: string[] = [`Engine: ${engine.name}`];
  if (engine.description) out.push(`description: ${engine.description}`);
  const common = (v: InputVariable | OutputVariable) => {
    if (v.description) out.push(`  description: ${v.description}`);
    out.push(`  enabled: ${v.enabled}`);
    out.push(`  range: ${formatNumber(v.min)} ${formatNumber(v.max)}`);
    out.push(`  lock-range: ${v.lockRange}`);
  };
  for (const v of engine.inputs) {
    out.push(`InputVariable: ${v.name}`);
    common(v);
    for (const t of v.terms) out.push(`  term: ${termText(t)}`);
  }
  for (const v of engine.outputs) {
    out.push(`OutputVariable: ${v.name}`);
    common(v);
    out.push(`  aggregation: ${v.aggregation ?? 'none'}`);
    out.push(`  defuzzifier: ${defuzzifierText(v.defuzzifier)}`);
    out.push(`  default: ${formatNumber(v.defaultValue)}`);
    out.push(`  lock-previous: ${v.lockPrevious}`);
    for (const t of v.terms) out.push(`  term: ${termText(t)}`);
  }
  for (const b of engine.ruleBlocks) {
    out.push(`RuleBlock: ${b.name}`);
    if (b.description) out.push(`  description: ${b.description}`);
    out.push(`  enabled: ${b.enabled}`);
    out.push(`  conjunction: ${b.conjunction ?? 'none'}`);
    out.push(`  disjunction: ${b.disjunction ?? 'none'}`);
    out.push(`  implication: ${b.implication ?? 'none'}`);
    out.push(`  activation: ${b.activation}`);
    for (const r of b.rules) out.push(`  rule: ${r.text.trim()}`);
  }
  return out.join('\n') + '\n';
}

export function termText(t: Term): string {
  if (t.kind === 'Function') return `${t.name} Function ${t.formula}`;
  const values = t.params.map(formatNumber);
  const hasHeight = t.kind !== 'Constant' && t.kind !== 'Linear' && t.height !== 1;
  if (hasHeight) values.push(formatNumber(t.height));
  return [t.name, t.kind, ...values].join(' ');
}

function defuzzifierText(d: Defuzzifier | null): string {
  if (d === null) return 'none';
  return 'resolution' in d ? `${d.kind} ${d.resolution}` : `${d.kind} ${d.type}`;
}
