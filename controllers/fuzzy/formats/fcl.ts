import { locatedError } from '../errors.ts';
import { withoutComment } from './comments.ts';
import { DEFAULT_RESOLUTION, Engine, InputVariable, OutputVariable, Rule, RuleBlock, Term, isTermKind, type Defuzzifier } from '../model.ts';
import type { SNormName, TNormName } from '../norms.ts';
import { checkRules, termFromValues } from './fll.ts';
import { readNumber } from './numbers.ts';

/**
 * FCL (IEC 61131-7) import, as fuzzylite's FclImporter reads it: FUNCTION_BLOCK with VAR_INPUT /
 * VAR_OUTPUT, FUZZIFY and DEFUZZIFY blocks (`TERM name := Class params`, `:= (x, y) (x, y) …` for a
 * Discrete term, `:= number` for a Constant), RULEBLOCKs whose rules use fuzzylite's grammar.
 * Read only: hilbench writes .fll and .fis.
 */
const TNORM_FCL: Record<string, TNormName> = {
  MIN: 'Minimum',
  PROD: 'AlgebraicProduct',
  BDIF: 'BoundedDifference',
  DPROD: 'DrasticProduct',
  EPROD: 'EinsteinProduct',
  HPROD: 'HamacherProduct',
  NMIN: 'NilpotentMinimum',
};
const SNORM_FCL: Record<string, SNormName> = {
  MAX: 'Maximum',
  ASUM: 'AlgebraicSum',
  BSUM: 'BoundedSum',
  NSUM: 'NormalizedSum',
  DSUM: 'DrasticSum',
  ESUM: 'EinsteinSum',
  HSUM: 'HamacherSum',
  NMAX: 'NilpotentMaximum',
  SUM: 'UnboundedSum',
};
const DEFUZZ_FCL: Record<string, Defuzzifier['kind']> = {
  COG: 'Centroid',
  COA: 'Bisector',
  LM: 'SmallestOfMaximum',
  RM: 'LargestOfMaximum',
  MM: 'MeanOfMaximum',
  COGS: 'WeightedAverage',
  COGSS: 'WeightedSum',
};

const CLOSING: Record<string, string> = {
  VAR_INPUT: 'END_VAR',
  VAR_OUTPUT: 'END_VAR',
  FUZZIFY: 'END_FUZZIFY',
  DEFUZZIFY: 'END_DEFUZZIFY',
  RULEBLOCK: 'END_RULEBLOCK',
};

export function readFcl(text: string, file = '<fcl>'): Engine {
  const engine = new Engine();
  let tag = '';
  let input: InputVariable | undefined;
  let output: OutputVariable | undefined;
  let block: RuleBlock | undefined;
  const lines = text.split(/\r?\n/);
  let opened = 0;
  let ended = false;
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const fail = (msg: string): never => {
      throw locatedError(file, lineNo, msg);
    };
    // one ';' ends a statement; any other is a typo that must not vanish (fuzzylite drops them all,
    // so '(1;0)' would silently read as 10)
    let line = withoutComment(lines[n]).trim().replace(/;$/, '').trim();
    if (line === '' || line.startsWith('%')) continue;
    if (line.includes(';')) fail(`unexpected ';' in '${line}' (only one, ending the statement, is allowed)`);
    const first = line.split(/\s+/)[0];
    const rest = line.slice(first.length).trim();
    if (first === 'FUNCTION_BLOCK') {
      engine.name = rest;
      opened = lineNo;
      continue;
    }
    if (first === 'END_FUNCTION_BLOCK') {
      ended = true;
      break;
    }
    if (tag === '') {
      if (!(first in CLOSING)) fail(`expected VAR_INPUT, VAR_OUTPUT, FUZZIFY, DEFUZZIFY or RULEBLOCK, found '${first}'`);
      tag = first;
      if (first === 'FUZZIFY') {
        input = engine.input(rest);
        if (!input) fail(`FUZZIFY '${rest}': not declared in VAR_INPUT`);
        input!.line = lineNo;
      } else if (first === 'DEFUZZIFY') {
        output = engine.output(rest);
        if (!output) fail(`DEFUZZIFY '${rest}': not declared in VAR_OUTPUT`);
        output!.line = lineNo;
      } else if (first === 'RULEBLOCK') {
        block = new RuleBlock(rest);
        block.line = lineNo;
        block.conjunction = null;
        block.disjunction = null;
        block.implication = null;
        engine.addRuleBlock(block);
      }
      continue;
    }
    if (first === CLOSING[tag]) {
      tag = '';
      continue;
    }
    if (first in CLOSING) fail(`expected ${CLOSING[tag]} before ${first}`);
    const value = (sep: string) => {
      const at = line.indexOf(sep);
      if (at < 0) fail(`expected '${first} ${sep} value'`);
      return line.slice(at + sep.length).trim();
    };
    if (tag === 'VAR_INPUT' || tag === 'VAR_OUTPUT') {
      const m = /^([A-Za-z0-9_.]+)\s*:\s*\S+$/.exec(line);
      if (!m) fail(`expected 'name : REAL', found '${line}'`);
      if (tag === 'VAR_INPUT') {
        const v = new InputVariable(m![1], -Infinity, Infinity);
        v.line = lineNo;
        engine.addInput(v);
      } else {
        const o = new OutputVariable(m![1], -Infinity, Infinity);
        o.line = lineNo;
        o.aggregation = null;
        o.defuzzifier = null;
        engine.addOutput(o);
      }
      continue;
    }
    const v = tag === 'FUZZIFY' ? input! : output;
    if (tag === 'RULEBLOCK') {
      const b = block!;
      const norm = <T>(map: Record<string, T>, what: string): T | null => {
        const name = value(':');
        if (name === 'NONE') return null;
        if (!(name in map)) fail(`unknown ${what} '${name}' (known: ${Object.keys(map).join(', ')}, NONE)`);
        return map[name];
      };
      if (first === 'AND') b.conjunction = norm(TNORM_FCL, 'AND operator');
      else if (first === 'OR') b.disjunction = norm(SNORM_FCL, 'OR operator');
      else if (first === 'ACT') b.implication = norm(TNORM_FCL, 'ACT operator');
      else if (first === 'ENABLED') b.enabled = flag(value(':'), fail);
      else if (first === 'RULE') {
        const colon = line.indexOf(':');
        const r = new Rule((colon >= 0 ? line.slice(colon + 1) : line.slice(4)).trim());
        r.line = lineNo;
        b.rules.push(r);
      } else fail(`unknown keyword '${first}' in RULEBLOCK`);
      continue;
    }
    if (first === 'RANGE') {
      const m = /^\(?\s*(\S+?)\s*\.\.\s*(\S+?)\s*\)?$/.exec(value(':='));
      const lo = m ? readNumber(m[1]) : undefined;
      const hi = m ? readNumber(m[2]) : undefined;
      if (lo === undefined || hi === undefined) fail(`expected 'RANGE := (min .. max)', found '${line}'`);
      v!.min = lo!;
      v!.max = hi!;
    } else if (first === 'ENABLED') v!.enabled = flag(value(':'), fail);
    else if (first === 'TERM') {
      const t = readTerm(line, fail);
      t.line = lineNo;
      v!.addTerm(t);
    } else if (tag === 'DEFUZZIFY' && first === 'METHOD') {
      const name = value(':');
      const kind = DEFUZZ_FCL[name];
      if (name === 'NONE') output!.defuzzifier = null;
      else if (!kind) fail(`unknown METHOD '${name}' (known: ${Object.keys(DEFUZZ_FCL).join(', ')}, NONE)`);
      else output!.defuzzifier = kind === 'WeightedAverage' || kind === 'WeightedSum' ? { kind, type: 'Automatic' } : { kind, resolution: DEFAULT_RESOLUTION };
    } else if (tag === 'DEFUZZIFY' && first === 'ACCU') {
      const name = value(':');
      if (name === 'NONE') output!.aggregation = null;
      else if (!(name in SNORM_FCL)) fail(`unknown ACCU '${name}'`);
      else output!.aggregation = SNORM_FCL[name];
    } else if (tag === 'DEFUZZIFY' && first === 'DEFAULT') {
      const [d, nc] = value(':=').split('|').map((s) => s.trim());
      const x = readNumber(d);
      if (x === undefined) fail(`expected a number for DEFAULT, found '${d}'`);
      if (nc !== undefined && nc !== 'NC') fail(`expected NC after '|', found '${nc}'`);
      output!.defaultValue = x!;
      if (nc === 'NC') output!.lockPrevious = true;
    } else if (tag === 'DEFUZZIFY' && first === 'LOCK') {
      const flags = value(':').split('|').map((s) => s.trim());
      if (flags.some((f) => f !== 'PREVIOUS' && f !== 'RANGE')) fail(`expected LOCK : PREVIOUS and/or RANGE, found '${flags.join('|')}'`);
      output!.lockPrevious = flags.includes('PREVIOUS');
      output!.lockRange = flags.includes('RANGE');
    } else fail(`unknown keyword '${first}' in ${tag}`);
  }
  if (tag !== '') throw locatedError(file, lines.length, `expected ${CLOSING[tag]} before the end of the file`);
  // A file cut short after a closed block would otherwise pass for a whole model.
  if (opened && !ended) throw locatedError(file, lines.length, `expected END_FUNCTION_BLOCK (FUNCTION_BLOCK opened at line ${opened}) before the end of the file`);
  for (const b of engine.ruleBlocks) for (const r of b.rules) r.text = lowerCaseKeywords(r.text, engine);
  checkRules(engine, file);
  return engine;
}

const IEC_KEYWORDS = /(?<![\w.])(IF|IS|THEN|AND|OR|NOT|WITH)(?![\w.])/g;

/**
 * IEC 61131-7 writes rule keywords in capitals (`IF a IS lo THEN y IS z`); fuzzylite's rule grammar,
 * which the engine parses, has them in lower case. Capital keywords are lowered here (FCL only),
 * except a word that is also the name of a variable or term of the model, which stays a name.
 */
function lowerCaseKeywords(text: string, engine: Engine): string {
  const names = new Set<string>();
  for (const v of [...engine.inputs, ...engine.outputs]) {
    names.add(v.name);
    for (const t of v.terms) names.add(t.name);
  }
  return text.replace(IEC_KEYWORDS, (k: string) => (names.has(k) ? k : k.toLowerCase()));
}

function flag(s: string, fail: (m: string) => never): boolean {
  if (s === 'TRUE') return true;
  if (s === 'FALSE') return false;
  return fail(`expected TRUE or FALSE, found '${s}'`);
}

/** `TERM name := Class p1 p2 …`, `TERM name := (x, y) (x, y) …` or `TERM name := 3.5`. */
function readTerm(line: string, fail: (m: string) => never): Term {
  const m = /^TERM\s+(\S+)\s*:=\s*(.*)$/.exec(line);
  if (!m) fail(`expected 'TERM name := …', found '${line}'`);
  const name = m![1];
  const body = m![2].trim();
  const num = (s: string) => {
    const x = readNumber(s);
    if (x === undefined) fail(`term '${name}': expected a number, found '${s}'`);
    return x!;
  };
  if (body.startsWith('(')) {
    // Discrete: '(x, y)' pairs and nothing else (no height: fuzzylite's FCL exporter writes none)
    const pair = /\s*\(\s*([^\s(),]+)\s*,\s*([^\s(),]+)\s*\)\s*/y;
    const values: number[] = [];
    for (let at = 0; at < body.length; at = pair.lastIndex) {
      pair.lastIndex = at;
      const p = pair.exec(body);
      if (!p) fail(`term '${name}': expected '(x, y)' pairs, found '${body.slice(at).trim()}'`);
      values.push(num(p![1]), num(p![2]));
    }
    return termFromValues(name, 'Discrete', values, fail);
  }
  const tokens = body.split(/\s+/);
  if (readNumber(tokens[0]) !== undefined && tokens.length === 1) return new Term(name, 'Constant', [num(tokens[0])]);
  const kind = tokens[0];
  if (!isTermKind(kind)) fail(`unknown term class '${kind}'`);
  // fuzzylite joins a function's tokens without spaces
  if (kind === 'Function') return new Term(name, kind, [], 1, tokens.slice(1).join(''));
  return termFromValues(name, kind as Term['kind'], tokens.slice(1).map((t) => num(t.replace(/[(),]/g, ''))), fail);
}
