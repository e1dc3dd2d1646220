import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, readFcl, readFis, readFll, readModelFile } from '../../controllers/fuzzy/index.ts';
import { hilbench } from '../helpers/cli.ts';

const GOOD_FLL = `Engine: e
InputVariable: a
  range: 0 1
  term: low Triangle 0 0 1
  term: high Triangle 0 1 1
OutputVariable: o
  range: 0 1
  aggregation: Maximum
  defuzzifier: Centroid 100
  term: small Triangle 0 0 1
RuleBlock: r
  conjunction: Minimum
  disjunction: Maximum
  implication: Minimum
  rule: if a is low then o is small
`;

function fllError(text: string): string {
  try {
    readFll(text, 'm.fll');
  } catch (e) {
    expect((e as { userError?: boolean }).userError).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

function fisError(text: string): string {
  try {
    readFis(text, 'm.fis');
  } catch (e) {
    expect((e as { userError?: boolean }).userError).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const replaceLine = (text: string, line: number, by: string) => text.split('\n').map((l, i) => (i === line - 1 ? by : l)).join('\n');

describe('malformed .fll: file:line and what was expected', () => {
  const cases: [string, number, string, RegExp][] = [
    ['missing colon', 3, '  range 0 1', /^m\.fll:3: expected 'key: value'/],
    ['bad number', 3, '  range: 0 one', /^m\.fll:3: expected a number for the range maximum, found 'one'/],
    ['bad boolean', 3, '  lock-range: yes', /^m\.fll:3: expected true or false for 'lock-range'/],
    ['unknown term class', 4, '  term: low Triangel 0 0 1', /^m\.fll:4: unknown term class 'Triangel'/],
    ['wrong parameter count', 4, '  term: low Triangle 0 1', /^m\.fll:4: term 'low': expected Triangle vertexA vertexB vertexC \[height\], got 2 values/],
    ['unknown S-norm', 8, '  aggregation: Maximal', /^m\.fll:8: expected an S-norm or none for 'aggregation', found 'Maximal'/],
    ['unknown defuzzifier', 9, '  defuzzifier: Centroyd 100', /^m\.fll:9: unknown defuzzifier 'Centroyd'/],
    ['unknown key', 9, '  defuzifier: Centroid', /^m\.fll:9: unknown key 'defuzifier' in OutputVariable 'o'/],
    ['unknown variable in a rule', 15, '  rule: if b is low then o is small', /^m\.fll:15: expected an input or output variable, found 'b'/],
    ['unknown term in a rule', 15, '  rule: if a is medium then o is small', /^m\.fll:15: expected a hedge or a term of 'a', found 'medium'/],
    ['missing then', 15, '  rule: if a is low o is small', /^m\.fll:15: keyword 'then' not found/],
    ['unbalanced parenthesis', 15, '  rule: if (a is low then o is small', /^m\.fll:15: expected '\)'/],
    ['bad weight', 15, '  rule: if a is low then o is small with heavy', /^m\.fll:15: expected a number after 'with', found 'heavy'/],
    ['output not found in consequent', 15, '  rule: if a is low then a is low', /^m\.fll:15: consequent expected an output variable, found 'a'/],
    ['key outside a block', 1, 'range: 0 1', /^m\.fll:1: 'range' outside a block/],
    ['Function term with an unknown variable', 4, '  term: low Function 1 + y', /^m\.fll:4: term 'low': formula '1 \+ y': unknown variable 'y' \(known: x, a, o\)/],
    ['Function term with an operator short of operands', 4, '  term: low Function 1 +', /^m\.fll:4: term 'low': formula '1 \+': '\+' needs 2 operands/],
  ];
  for (const [what, line, by, expected] of cases) {
    it(what, () => expect(fllError(replaceLine(GOOD_FLL, line, by))).toMatch(expected));
  }
  it('the unmodified model reads', () => expect(readFll(GOOD_FLL, 'm.fll').ruleBlocks[0].rules).toHaveLength(1));
});

const GOOD_FIS = `[System]
Name='e'
Type='mamdani'
NumInputs=1
NumOutputs=1
AndMethod='min'
OrMethod='max'
ImpMethod='min'
AggMethod='max'
DefuzzMethod='centroid'

[Input1]
Name='a'
Range=[0 1]
NumMFs=2
MF1='low':'trimf',[0 0 1]
MF2='high':'trimf',[0 1 1]

[Output1]
Name='o'
Range=[0 1]
NumMFs=1
MF1='small':'trimf',[0 0 1]

[Rules]
1, 1 (1) : 1
`;

describe('malformed .fis: file:line and what was expected', () => {
  const cases: [string, number, string, RegExp][] = [
    ['line outside a section', 1, 'Name=x', /^m\.fis:1: 'Name=x' is outside any section/],
    ['unknown MF type', 16, "MF1='low':'trianglemf',[0 0 1]", /^m\.fis:16: unknown MF type 'trianglemf'/],
    ['bad MF syntax', 16, "MF1='low' trimf 0 0 1", /^m\.fis:16: expected MF 'name':'type',\[parameters\]/],
    ['bad range', 14, 'Range=0 1', /^m\.fis:14: expected 'Range=\[min max\]'/],
    ['rule with a missing code', 26, '1 (1) : 1', /^m\.fis:26: expected a rule 'inputs, outputs \(weight\) : 1\|2'/],
    ['term code out of range', 26, '3, 1 (1) : 1', /^m\.fis:26: code 3 refers to term 3 of 'a', which has 2/],
    ['bad connector', 26, '1, 1 (1) : 3', /^m\.fis:26: expected connector 1 \(and\) or 2 \(or\)/],
    ['hedge fraction without a meaning', 26, '1.7, 1 (1) : 1', /^m\.fis:26: no hedge is coded by the fraction 0\.70/],
    ['unknown method', 6, "AndMethod='minimum'", /^m\.fis:6: unknown AndMethod 'minimum'/],
  ];
  for (const [what, line, by, expected] of cases) {
    it(what, () => expect(fisError(replaceLine(GOOD_FIS, line, by))).toMatch(expected));
  }
  it('the unmodified model reads', () => expect(readFis(GOOD_FIS, 'm.fis').ruleBlocks[0].rules[0].text).toBe('if a is low then o is small'));
});

describe('malformed .fcl: file:line and what was expected', () => {
  const GOOD = `FUNCTION_BLOCK t
VAR_INPUT
  a: REAL;
END_VAR
VAR_OUTPUT
  o: REAL;
END_VAR
FUZZIFY a
  RANGE := (0 .. 1);
  TERM low := Triangle 0 0 1;
END_FUZZIFY
DEFUZZIFY o
  RANGE := (0 .. 1);
  TERM small := (0, 1) (1, 0);
  METHOD : COG;
  ACCU : MAX;
  DEFAULT := nan | NC;
END_DEFUZZIFY
RULEBLOCK r
  AND : MIN;
  ACT : MIN;
  RULE 1 : if a is low then o is small
END_RULEBLOCK
END_FUNCTION_BLOCK
`;
  const err = (text: string) => {
    try {
      readFcl(text, 'm.fcl');
    } catch (e) {
      expect((e as { userError?: boolean }).userError).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('the unmodified model reads', () => {
    const e = readFcl(GOOD, 'm.fcl');
    expect(e.outputs[0].lockPrevious).toBe(true);
    expect(e.outputs[0].terms[0].kind).toBe('Discrete');
  });
  it('unknown METHOD', () => expect(err(replaceLine(GOOD, 15, '  METHOD : CENTER;'))).toMatch(/^m\.fcl:15: unknown METHOD 'CENTER'/));
  it('FUZZIFY of an undeclared variable', () => expect(err(replaceLine(GOOD, 8, 'FUZZIFY b'))).toMatch(/^m\.fcl:8: FUZZIFY 'b': not declared in VAR_INPUT/));
  it('bad RANGE', () => expect(err(replaceLine(GOOD, 9, '  RANGE := (0 to 1);'))).toMatch(/^m\.fcl:9: expected 'RANGE := \(min \.\. max\)'/));
  it('a block left open', () => expect(err(replaceLine(GOOD, 11, ''))).toMatch(/^m\.fcl:12: expected END_FUZZIFY before DEFUZZIFY/));
  it('a bad rule', () => expect(err(replaceLine(GOOD, 22, '  RULE 1 : if a is high then o is small'))).toMatch(/^m\.fcl:22: expected a hedge or a term of 'a', found 'high'/));
  it("a ';' typo inside a point list is an error, not a number glued to the next", () => {
    expect(err(replaceLine(GOOD, 14, '  TERM small := (0, 1) (0.5, 1) (1;0);'))).toBe(
      "m.fcl:14: unexpected ';' in 'TERM small := (0, 1) (0.5, 1) (1;0)' (only one, ending the statement, is allowed)",
    );
    expect(err(replaceLine(GOOD, 9, '  RANGE := (0 .. 1);;'))).toMatch(/^m\.fcl:9: unexpected ';'/);
  });
  it('a point list must be (x, y) pairs and nothing else', () => {
    expect(err(replaceLine(GOOD, 14, '  TERM small := (0, 1) (1);'))).toBe("m.fcl:14: term 'small': expected '(x, y)' pairs, found '(1)'");
    expect(err(replaceLine(GOOD, 14, '  TERM small := (0, 1) (1, 0) 0.5;'))).toBe("m.fcl:14: term 'small': expected '(x, y)' pairs, found '0.5'");
    expect(err(replaceLine(GOOD, 14, '  TERM small := (0, 1) (1 0);'))).toBe("m.fcl:14: term 'small': expected '(x, y)' pairs, found '(1 0)'");
    expect(err(replaceLine(GOOD, 14, '  TERM small := (0, 1), (1, 0);'))).toBe("m.fcl:14: term 'small': expected '(x, y)' pairs, found ', (1, 0)'");
    expect(err(replaceLine(GOOD, 14, '  TERM small := (0, 1) (x, 0);'))).toBe("m.fcl:14: term 'small': expected a number, found 'x'");
  });
  it('a well-formed point list reads as its pairs', () => {
    const e = readFcl(replaceLine(GOOD, 14, '  TERM small := ( 0 , 1 )(0.5,1)  (1, 0) ;'), 'm.fcl');
    expect(e.outputs[0].terms[0].params).toEqual([0, 1, 0.5, 1, 1, 0]);
    expect(e.outputs[0].terms[0].height).toBe(1);
  });
});

describe("';' in .fll is not syntax (fuzzylite: '[conversion error] from <1;0> to scalar')", () => {
  it('a parameter glued by a semicolon', () =>
    expect(fllError(replaceLine(GOOD_FLL, 4, '  term: low Discrete 0 1 0.5 1 1;0'))).toBe("m.fll:4: expected a number for a parameter of term 'low', found '1;0'"));
  it('a trailing semicolon', () => expect(fllError(replaceLine(GOOD_FLL, 4, '  term: low Triangle 0 0 1;'))).toBe("m.fll:4: expected a number for a parameter of term 'low', found '1;'"));
});

describe('a model that reads but cannot be compiled names its file and line', () => {
  const NO_ACT_ACCU = `FUNCTION_BLOCK x
VAR_INPUT
  a : REAL;
END_VAR
VAR_OUTPUT
  y : REAL;
END_VAR
FUZZIFY a
  RANGE := (0 .. 1);
  TERM lo := (0, 0) (0.5, 1) (1, 0);
END_FUZZIFY
DEFUZZIFY y
  RANGE := (0 .. 1);
  TERM z := Triangle 0 0.5 1;
  METHOD : COG;
END_DEFUZZIFY
RULEBLOCK r
  AND : MIN;
  RULE 1 : if a is lo then y is z;
END_RULEBLOCK
END_FUNCTION_BLOCK
`;
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-fz-compile-'));
  const compileError = (file: string) => {
    try {
      compile(readModelFile(file));
    } catch (e) {
      expect((e as { userError?: boolean }).userError).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('.fcl without ACCU and ACT: the DEFUZZIFY line first, the rule line after', () => {
    const file = join(dir, 'no-act.fcl');
    writeFileSync(file, NO_ACT_ACCU);
    expect(compileError(file)).toBe(
      `${file}:12: fuzzy model 'x' cannot be compiled: output 'y': Centroid needs an aggregation S-norm (aggregation: in .fll, ACCU in .fcl); ` +
        "rule 'if a is lo then y is z': output 'y' is defuzzified by Centroid, which needs an implication in rule block 'r' (implication: in .fll, ACT in .fcl) (line 19)",
    );
  });
  it('.fcl without ACT only: the rule line', () => {
    const file = join(dir, 'no-act-only.fcl');
    writeFileSync(file, NO_ACT_ACCU.replace('  METHOD : COG;', '  METHOD : COG;\n  ACCU : MAX;'));
    expect(compileError(file)).toMatch(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:20: fuzzy model 'x' cannot be compiled: rule 'if a is lo then y is z'`));
  });
  it('.fll without aggregation: the OutputVariable line', () => {
    const file = join(dir, 'no-agg.fll');
    writeFileSync(file, GOOD_FLL.replace('  aggregation: Maximum\n', ''));
    expect(compileError(file)).toBe(`${file}:6: fuzzy model 'e' cannot be compiled: output 'o': Centroid needs an aggregation S-norm (aggregation: in .fll, ACCU in .fcl)`);
  });
  it('a model read from text, not a file, has no file to name', () => {
    const e = readFll(GOOD_FLL.replace('  aggregation: Maximum\n', ''), 'm.fll');
    expect(() => compile(e)).toThrow(/^fuzzy model 'e' cannot be compiled: output 'o'/);
  });
});

describe('the CLI on bad input: exit 1, one line naming file and line, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-fz-err-'));
  const model = join(dir, 'bad.fll');
  writeFileSync(model, replaceLine(GOOD_FLL, 15, '  rule: if a is lowish then o is small'));
  const inputs = join(dir, 'in.csv');
  writeFileSync(inputs, 'a\n0.5\n');

  it('fuzzy eval of a malformed model', () => {
    const r = hilbench(['fuzzy', 'eval', model, '--inputs', inputs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`hilbench: ${model}:15: expected a hedge or a term of 'a', found 'lowish' in rule 'if a is lowish then o is small'`]);
  });

  it('fuzzy eval with an inputs CSV that names no input, or whose cell is not a number', () => {
    const good = join(dir, 'good.fll');
    writeFileSync(good, GOOD_FLL);
    const wrongColumn = join(dir, 'wrong.csv');
    writeFileSync(wrongColumn, 'b\n0.5\n');
    let r = hilbench(['fuzzy', 'eval', good, '--inputs', wrongColumn]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hilbench: .*wrong\.csv:1: no column names an input variable of 'e' \(inputs: a\); the first line must be a header\n$/);
    const garbage = join(dir, 'garbage.csv');
    writeFileSync(garbage, 'a\n0.5\nzero\n');
    r = hilbench(['fuzzy', 'eval', good, '--inputs', garbage]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hilbench: .*garbage\.csv:3: column 'a': expected a number, found 'zero'\n$/);
  });

  it('fuzzy convert to an unknown format, and a missing file', () => {
    let r = hilbench(['fuzzy', 'convert', model, join(dir, 'out.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/out\.txt: expected a \.fll, \.fis or \.fcl model file\n$/);
    r = hilbench(['fuzzy', 'eval', join(dir, 'missing.fll'), '--inputs', inputs]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.fll: cannot read the model file \(ENOENT\)\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
