import { FuzzyModelError } from './errors.ts';
import type { HedgeName } from './hedges.ts';
import { isHedge, type Conclusion, type Engine, type Expression, type ParsedRule, type Rule } from './model.ts';

/**
 * fuzzylite's rule grammar: `if <antecedent> then <consequent> [with <weight>]`, text after `#` ignored.
 * In the antecedent `and` binds tighter than `or`, both associate to the left, parentheses group
 * (fuzzylite parses with a shunting-yard over the same precedences; recursive descent gives the same tree).
 * After `is` come hedges, then a term; `any` ends the proposition without a term.
 */
export function parseRule(rule: Rule | string, engine: Engine): ParsedRule {
  const text = typeof rule === 'string' ? rule : rule.text;
  const hash = text.indexOf('#');
  const tokens = (hash >= 0 ? text.slice(0, hash) : text).split(/\s+/).filter((t) => t.length > 0);
  const fail = (msg: string): never => {
    throw new FuzzyModelError(`${msg} in rule '${text.trim()}'`);
  };
  if (tokens.length === 0) fail('empty rule');
  if (tokens[0] !== 'if') fail(`expected 'if', found '${tokens[0]}'`);
  const thenAt = tokens.indexOf('then');
  if (thenAt < 0) fail(`keyword 'then' not found`);
  const withAt = tokens.indexOf('with', thenAt);
  const antecedentTokens = tokens.slice(1, thenAt);
  const consequentTokens = tokens.slice(thenAt + 1, withAt < 0 ? undefined : withAt);
  let weight = 1;
  if (withAt >= 0) {
    if (withAt + 1 >= tokens.length) fail(`expected a number after 'with'`);
    if (withAt + 2 < tokens.length) fail(`unexpected '${tokens[withAt + 2]}' after the weight`);
    weight = parseNumber(tokens[withAt + 1]);
    if (Number.isNaN(weight) && tokens[withAt + 1].toLowerCase() !== 'nan') fail(`expected a number after 'with', found '${tokens[withAt + 1]}'`);
    if (!Number.isFinite(weight)) fail(`the weight '${tokens[withAt + 1]}' is not a finite number`);
  }
  const antecedent = parseAntecedent(antecedentTokens, engine, fail);
  const consequent = parseConsequent(consequentTokens, engine, fail);
  return { antecedent, consequent, weight };
}

/** Numbers as fuzzylite writes them, including `nan`, `inf` and `-inf`. */
export function parseNumber(s: string): number {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

function spaced(tokens: string[]): string[] {
  return tokens.flatMap((t) => t.replace(/([()])/g, ' $1 ').split(/\s+/).filter((s) => s.length > 0));
}

function parseAntecedent(raw: string[], engine: Engine, fail: (m: string) => never): Expression {
  const tokens = spaced(raw);
  if (tokens.length === 0) fail('antecedent is empty');
  let i = 0;
  const peek = () => tokens[i];

  const proposition = (): Expression => {
    const name = tokens[i];
    if (name === undefined) fail('antecedent ends where a variable was expected');
    const variable = engine.variable(name);
    if (!variable) fail(`expected an input or output variable, found '${name}'`);
    i++;
    if (tokens[i] !== 'is') fail(`expected 'is' after '${name}', found '${tokens[i] ?? 'end of antecedent'}'`);
    i++;
    const hedges: HedgeName[] = [];
    for (;;) {
      const t = tokens[i];
      if (t === undefined) fail(`expected a hedge or a term of '${name}' at the end of the antecedent`);
      if (isHedge(t)) {
        hedges.push(t);
        i++;
        if (t === 'any') return { type: 'proposition', variable: name, isOutput: variable!.isOutput, hedges, term: null };
        continue;
      }
      if (variable!.term(t)) {
        i++;
        return { type: 'proposition', variable: name, isOutput: variable!.isOutput, hedges, term: t };
      }
      fail(`expected a hedge or a term of '${name}', found '${t}'`);
    }
  };
  const primary = (): Expression => {
    if (peek() === '(') {
      i++;
      const e = orExpr();
      if (peek() !== ')') fail(`expected ')', found '${peek() ?? 'end of antecedent'}'`);
      i++;
      return e;
    }
    return proposition();
  };
  const andExpr = (): Expression => {
    let left = primary();
    while (peek() === 'and') {
      i++;
      left = { type: 'operator', op: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): Expression => {
    let left = andExpr();
    while (peek() === 'or') {
      i++;
      left = { type: 'operator', op: 'or', left, right: andExpr() };
    }
    return left;
  };
  const e = orExpr();
  if (i < tokens.length) fail(`expected 'and', 'or' or 'then', found '${tokens[i]}'`);
  return e;
}

function parseConsequent(tokens: string[], engine: Engine, fail: (m: string) => never): Conclusion[] {
  if (tokens.length === 0) fail('consequent is empty');
  const out: Conclusion[] = [];
  let i = 0;
  for (;;) {
    const name = tokens[i];
    const variable = engine.output(name);
    if (!variable) fail(`consequent expected an output variable, found '${name ?? 'nothing'}'`);
    i++;
    if (tokens[i] !== 'is') fail(`expected 'is' after '${name}', found '${tokens[i] ?? 'end of consequent'}'`);
    i++;
    const hedges: HedgeName[] = [];
    let term: string | undefined;
    while (term === undefined) {
      const t = tokens[i];
      if (t === undefined) fail(`expected a hedge or a term of '${name}' at the end of the consequent`);
      if (isHedge(t)) hedges.push(t);
      else if (variable!.term(t)) term = t;
      else fail(`expected a hedge or a term of '${name}', found '${t}'`);
      i++;
    }
    out.push({ variable: name, hedges, term });
    if (i >= tokens.length) return out;
    if (tokens[i] !== 'and') fail(`expected 'and', 'with' or the end of the rule, found '${tokens[i]}'`);
    i++;
  }
}
