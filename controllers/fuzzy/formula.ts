import { FuzzyModelError } from './errors.ts';
import { readNumber } from './formats/numbers.ts';
import { isEq, isGE, isGt, isLE, isLt, fmax, fmin } from './op.ts';

/**
 * fuzzylite's `Function` term: a formula over the input and output variables' values and `x`,
 * parsed as fl::Function does (operators spaced out, shunting-yard, the same precedences:
 * `! ~` 100, `^` 90 right-associative, `* / %` 80, `+ -` 70, `and` 60, `or` 50; negation is `~`),
 * evaluated with the same functions (comparisons and logic with fuzzylite's 1e-6 tolerance).
 */
export type FormulaNode =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'variable'; readonly name: string }
  | { readonly type: 'call'; readonly fn: string; readonly args: readonly FormulaNode[] };

interface Op {
  readonly precedence: number;
  readonly associativity: number; // < 0 left, > 0 right
  readonly arity: number;
  readonly isFunction: boolean;
}

const operator = (precedence: number, arity: number, associativity = -1): Op => ({ precedence, arity, associativity, isFunction: false });
const fn = (arity: number): Op => ({ precedence: 0, arity, associativity: -1, isFunction: true });

const ELEMENTS: Readonly<Record<string, Op>> = {
  '!': operator(100, 1, 1),
  '~': operator(100, 1, 1),
  '^': operator(90, 2, 1),
  '*': operator(80, 2),
  '/': operator(80, 2),
  '%': operator(80, 2),
  '+': operator(70, 2),
  '-': operator(70, 2),
  and: operator(60, 2),
  or: operator(50, 2),
  ...Object.fromEntries(['gt', 'ge', 'eq', 'neq', 'le', 'lt', 'min', 'max', 'pow', 'atan2', 'fmod'].map((n) => [n, fn(2)])),
  ...Object.fromEntries(
    ['acos', 'asin', 'atan', 'ceil', 'cos', 'cosh', 'exp', 'abs', 'fabs', 'floor', 'log', 'log10', 'round', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'log1p', 'acosh', 'asinh', 'atanh'].map((n) => [n, fn(1)]),
  ),
};

/** The functions a formula may call, as fuzzylite defines them. */
export const FORMULA_FUNCTIONS: Readonly<Record<string, (...a: number[]) => number>> = {
  '!': (a) => (isEq(a, 1.0) ? 0.0 : 1.0),
  '~': (a) => -a,
  '^': (a, b) => Math.pow(a, b),
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b, // C fmod: the sign of the dividend, like JS %
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  and: (a, b) => (isEq(a, 1.0) && isEq(b, 1.0) ? 1.0 : 0.0),
  or: (a, b) => (isEq(a, 1.0) || isEq(b, 1.0) ? 1.0 : 0.0),
  gt: (a, b) => (isGt(a, b) ? 1 : 0),
  ge: (a, b) => (isGE(a, b) ? 1 : 0),
  eq: (a, b) => (isEq(a, b) ? 1 : 0),
  neq: (a, b) => (isEq(a, b) ? 0 : 1),
  le: (a, b) => (isLE(a, b) ? 1 : 0),
  lt: (a, b) => (isLt(a, b) ? 1 : 0),
  min: fmin,
  max: fmax,
  pow: Math.pow,
  atan2: Math.atan2,
  fmod: (a, b) => a % b,
  acos: Math.acos,
  asin: Math.asin,
  atan: Math.atan,
  ceil: Math.ceil,
  cos: Math.cos,
  cosh: Math.cosh,
  exp: Math.exp,
  abs: Math.abs,
  fabs: Math.abs,
  floor: Math.floor,
  log: Math.log,
  log10: Math.log10,
  round: (x) => (x > 0.0 ? Math.floor(x + 0.5) : Math.ceil(x - 0.5)),
  sin: Math.sin,
  sinh: Math.sinh,
  sqrt: Math.sqrt,
  tan: Math.tan,
  tanh: Math.tanh,
  log1p: Math.log1p,
  acosh: Math.acosh,
  asinh: Math.asinh,
  atanh: Math.atanh,
};


/** Parses a formula; `variables` are the names it may read besides `x` (null: any name). */
export function parseFormula(formula: string, variables: readonly string[] | null): FormulaNode {
  const fail = (msg: string): never => {
    throw new FuzzyModelError(`formula '${formula}': ${msg}`);
  };
  if (formula.trim() === '') fail('empty formula');
  let spaced = formula;
  for (const c of ['(', ')', ',', '!', '~', '^', '*', '/', '%', '+', '-']) spaced = spaced.split(c).join(` ${c} `);
  const tokens = spaced.split(/\s+/).filter(Boolean);
  // shunting-yard (fl::Function::toPostfix)
  const queue: string[] = [];
  const stack: string[] = [];
  for (const token of tokens) {
    const element = ELEMENTS[token];
    if (!element && token !== '(' && token !== ')' && token !== ',') queue.push(token);
    else if (element?.isFunction) stack.push(token);
    else if (token === ',') {
      while (stack.length && stack[stack.length - 1] !== '(') queue.push(stack.pop()!);
      if (!stack.length) fail('mismatching parentheses');
    } else if (element) {
      for (;;) {
        const top = stack.length ? ELEMENTS[stack[stack.length - 1]] : undefined;
        if (!top) break;
        if ((element.associativity < 0 && element.precedence === top.precedence) || element.precedence < top.precedence) queue.push(stack.pop()!);
        else break;
      }
      stack.push(token);
    } else if (token === '(') stack.push(token);
    else {
      while (stack.length && stack[stack.length - 1] !== '(') queue.push(stack.pop()!);
      if (!stack.length) fail('mismatching parentheses');
      stack.pop();
      const top = stack.length ? ELEMENTS[stack[stack.length - 1]] : undefined;
      if (top?.isFunction) queue.push(stack.pop()!);
    }
  }
  while (stack.length) {
    const t = stack.pop()!;
    if (t === '(' || t === ')') fail('mismatching parentheses');
    queue.push(t);
  }
  // postfix → tree (fl::Function::parse)
  const nodes: FormulaNode[] = [];
  for (const token of queue) {
    const element = ELEMENTS[token];
    if (element) {
      if (element.arity > nodes.length) fail(`'${token}' needs ${element.arity} operand${element.arity > 1 ? 's' : ''}`);
      const second = nodes.pop()!;
      const args = element.arity === 2 ? [nodes.pop()!, second] : [second];
      nodes.push({ type: 'call', fn: token, args });
    } else {
      const value = readNumber(token);
      if (value !== undefined) nodes.push({ type: 'number', value });
      else if (token === 'x' || variables === null || variables.includes(token)) nodes.push({ type: 'variable', name: token });
      else fail(`unknown variable '${token}' (known: x, ${variables.join(', ')})`);
    }
  }
  if (nodes.length !== 1) fail('ill-formed formula');
  return nodes[0];
}

/** Evaluates a parsed formula; `value(name)` gives a variable's value. */
export function evaluateFormula(node: FormulaNode, value: (name: string) => number): number {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'variable':
      return value(node.name);
    case 'call':
      return node.args.length === 1
        ? FORMULA_FUNCTIONS[node.fn](evaluateFormula(node.args[0], value))
        : FORMULA_FUNCTIONS[node.fn](evaluateFormula(node.args[0], value), evaluateFormula(node.args[1], value));
  }
}
