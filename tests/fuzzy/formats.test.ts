import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import {
  Engine,
  InputVariable,
  OutputVariable,
  RuleBlock,
  Term,
  compile,
  fisLosses,
  readFcl,
  readFis,
  readFll,
  writeFis,
  writeFll,
} from '../../controllers/fuzzy/index.ts';
import { hilbenchEval } from './eval-cli.ts';
import { EXAMPLES_DIR, close, exampleModels, fuzzyliteEval, probeInputs } from './fuzzylite-reference.ts';

const dir = mkdtempSync(join(tmpdir(), 'hilbench-formats-'));
const fisExamples = execFileSync('find', [EXAMPLES_DIR, '-name', '*.fis'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .sort();

function outputs(engine: Engine, rows: number[][]): number[][] {
  const fast = compile(engine);
  const y = new Float64Array(engine.outputs.length);
  return rows.map((r) => {
    fast.evaluate(Float64Array.from(r), y);
    return Array.from(y);
  });
}

/** The fuzzylite tests read .fis as fuzzylite does (a .fis means MATLAB's evalfis by default). */
function asFuzzylite(engine: Engine): Engine {
  engine.semantics = 'fuzzylite';
  return engine;
}

function sameBits(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((row, k) => row.every((v, o) => Object.is(v, b[k][o])));
}

describe('.fis read as fuzzylite reads it (--semantics fuzzylite)', () => {
  it('finds the .fis examples', () => expect(fisExamples.length).toBeGreaterThanOrEqual(29));
  for (const file of fisExamples) {
    it(file.replace(/.*examples\//, ''), async () => {
      const engine = readFis(readFileSync(file, 'utf8'), file);
      const rows = probeInputs(engine, 200);
      const ours = await hilbenchEval(file, engine.inputs.map((v) => v.name), rows, ['--semantics', 'fuzzylite']);
      expect(ours.code).toBe(0);
      const ref = fuzzyliteEval(file, rows);
      const bad = rows.flatMap((r, k) =>
        engine.outputs.map((_, o) => ours.values[k][r.length + o]).filter((v, o) => !close(v, ref[k][r.length + o])),
      );
      expect(bad).toEqual([]);
    });
  }
  it('integral defuzzifiers read from .fis sample 100 points (fuzzylite), not MATLAB’s 101', () => {
    const e = readFis(readFileSync(join(EXAMPLES_DIR, 'mamdani/SimpleDimmer.fis'), 'utf8'));
    expect(e.outputs[0].defuzzifier).toEqual({ kind: 'Centroid', resolution: 100 });
  });
});

describe('.fis → .fll → .fis round trip', () => {
  for (const file of fisExamples) {
    const original = asFuzzylite(readFis(readFileSync(file, 'utf8'), file));
    const expressible = (() => {
      try {
        writeFis(original);
        return true;
      } catch {
        return false;
      }
    })();
    it(`${file.replace(/.*examples\//, '')}: identical outputs and equivalent files`, async () => {
      const base = join(dir, file.replace(/.*examples\//, '').replace(/\//g, '_').replace(/\.fis$/, ''));
      // through the CLI, as a user converts
      expect(await main(['node', 'hilbench', 'fuzzy', 'convert', file, `${base}.fll`])).toBe(0);
      const viaFll = readFll(readFileSync(`${base}.fll`, 'utf8'), `${base}.fll`);
      const rows = probeInputs(original, 200);
      expect(sameBits(outputs(viaFll, rows), outputs(original, rows))).toBe(true);
      if (!expressible) {
        // rules reading output variables (chained engines) have no .fis form: said, not written wrong
        expect(() => writeFis(viaFll)).toThrow(/cannot be written to \.fis/);
        return;
      }
      expect(await main(['node', 'hilbench', 'fuzzy', 'convert', '--fuzzylite-extensions', `${base}.fll`, `${base}.back.fis`])).toBe(0);
      const back = asFuzzylite(readFis(readFileSync(`${base}.back.fis`, 'utf8'), `${base}.back.fis`));
      expect(sameBits(outputs(back, rows), outputs(original, rows))).toBe(true);
      // equivalent files: writing the re-read model gives the same text, and .fll the same .fll
      const extended = { fuzzyliteExtensions: true };
      expect(writeFis(back, extended)).toBe(writeFis(original, extended));
      // a .fis names every method (evalfis rejects ''), so a norm the model never uses comes back as MATLAB's default
      const methodsAside = (fll: string) => fll.replace(/^\s*(conjunction|disjunction|implication|aggregation): .*$/gm, '');
      expect(methodsAside(writeFll(back))).toBe(methodsAside(writeFll(viaFll)));
    });
  }
});

describe('fuzzylite reads what hilbench writes', () => {
  for (const file of exampleModels()) {
    it(`${file.replace(/.*examples\//, '')}: .fll written by hilbench evaluates like the original in fuzzylite`, () => {
      const engine = readFll(readFileSync(file, 'utf8'), file);
      const written = join(dir, `w-${file.replace(/.*examples\//, '').replace(/\//g, '_')}`);
      writeFileSync(written, writeFll(engine));
      const rows = probeInputs(engine, 100);
      const a = fuzzyliteEval(file, rows);
      const b = fuzzyliteEval(written, rows);
      expect(a).toEqual(b);
    });
  }

  it('a Sugeno model built in code (ANFIS-style gbellmf inputs, linear outputs) survives .fis in fuzzylite', () => {
    const e = new Engine('anfis_like');
    for (const n of ['x', 'y']) {
      const v = new InputVariable(n, -2, 2);
      v.addTerm(new Term('lo', 'Bell', [-1.5, 1.1, 2.2])).addTerm(new Term('mid', 'Bell', [0.1, 0.9, 1.7])).addTerm(new Term('hi', 'Bell', [1.4, 1.3, 2.5]));
      e.addInput(v);
    }
    const z = new OutputVariable('z', -10, 10);
    z.aggregation = null;
    z.defuzzifier = { kind: 'WeightedAverage', type: 'Automatic' };
    const block = new RuleBlock('rules');
    block.conjunction = 'AlgebraicProduct';
    block.disjunction = 'AlgebraicSum';
    block.implication = null;
    let k = 0;
    for (const a of ['lo', 'mid', 'hi']) {
      for (const b of ['lo', 'mid', 'hi']) {
        z.addTerm(new Term(`r${k}`, 'Linear', [0.3 * k - 1, 1.7 - 0.2 * k, 0.1 * k + 0.123456789]));
        block.addRule(`if x is ${a} and y is ${b} then z is r${k}`);
        k++;
      }
    }
    e.addOutput(z);
    e.addRuleBlock(block);
    expect(fisLosses(e)).toEqual([]);
    const file = join(dir, 'anfis_like.fis');
    writeFileSync(file, writeFis(e));
    const rows = probeInputs(e, 300);
    const ref = fuzzyliteEval(file, rows);
    const ours = outputs(asFuzzylite(readFis(readFileSync(file, 'utf8'), file)), rows);
    rows.forEach((r, i) => expect(close(ours[i][0], ref[i][2]), `${r}`).toBe(true));
    // and the text round trip is exact
    expect(writeFis(readFis(writeFis(e)))).toBe(writeFis(e));
  });

  it('.fis keeps term heights and hedges that fuzzylite understands', () => {
    const e = readFll(
      `Engine: h
InputVariable: a
  range: 0 1
  term: low Triangle 0 0 1 0.75
  term: high Triangle 0 1 1
OutputVariable: o
  range: 0 1
  aggregation: Maximum
  defuzzifier: Centroid 100
  default: nan
  term: small Triangle 0 0 0.5 0.8
  term: big Triangle 0.5 1 1
RuleBlock: r
  conjunction: Minimum
  disjunction: Maximum
  implication: AlgebraicProduct
  rule: if a is very low then o is small
  rule: if a is not somewhat high then o is big with 0.5
`,
      'h.fll',
    );
    const file = join(dir, 'heights.fis');
    writeFileSync(file, writeFis(e));
    const rows = probeInputs(e, 200);
    const ref = fuzzyliteEval(file, rows);
    const ours = outputs(e, rows);
    rows.forEach((r, i) => expect(close(ours[i][0], ref[i][1]), `${r}`).toBe(true));
  });
});

describe('FCL (IEC 61131-7) import, as fuzzylite reads it', () => {
  const fclExamples = execFileSync('find', [EXAMPLES_DIR, '-name', '*.fcl'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  it('finds the .fcl examples', () => expect(fclExamples.length).toBeGreaterThanOrEqual(18));
  for (const file of fclExamples) {
    it(file.replace(/.*examples\//, ''), async () => {
      const engine = readFcl(readFileSync(file, 'utf8'), file);
      const rows = probeInputs(engine, 200);
      const ours = await hilbenchEval(file, engine.inputs.map((v) => v.name), rows);
      expect(ours.code).toBe(0);
      const ref = fuzzyliteEval(file, rows);
      const bad = rows.flatMap((r, k) =>
        engine.outputs.map((_, o) => ours.values[k][r.length + o]).filter((v, o) => !close(v, ref[k][r.length + o])),
      );
      expect(bad).toEqual([]);
    });
  }
  it('converts to .fll with the same outputs; writing .fcl is refused', async () => {
    const file = join(EXAMPLES_DIR, 'hybrid/tipper.fcl');
    const out = join(dir, 'tipper-from-fcl.fll');
    expect(await main(['node', 'hilbench', 'fuzzy', 'convert', file, out])).toBe(0);
    const rows = probeInputs(readFcl(readFileSync(file, 'utf8')), 100);
    expect(sameBits(outputs(readFll(readFileSync(out, 'utf8')), rows), outputs(readFcl(readFileSync(file, 'utf8')), rows))).toBe(true);
    expect(await main(['node', 'hilbench', 'fuzzy', 'convert', out, join(dir, 'back.fcl')])).toBe(1);
  });
  // fuzzylite reads FCL rules with its own lower-case grammar (a capitalised rule never fires there),
  // so the reference is fuzzylite on the original, lower-case file
  for (const example of ['hybrid/tipper.fcl', 'mamdani/octave/investment_portfolio.fcl', 'mamdani/Laundry.fcl']) {
    it(`IEC 61131-7 capital rule keywords (IF … IS … THEN …) read as fuzzylite reads lower case: ${example}`, async () => {
      const file = join(EXAMPLES_DIR, example);
      const original = readFileSync(file, 'utf8');
      const upper = original
        .split('\n')
        .map((l) => (/^\s*RULE\b/.test(l) ? l.replace(/(?<![\w.])(if|is|then|and|or|not|with)(?![\w.])/g, (k) => k.toUpperCase()) : l))
        .join('\n');
      expect(upper).not.toBe(original);
      expect(upper).toMatch(/RULE \S+ : IF \S+ IS /);
      const capitalised = join(dir, example.replace(/.*\//, 'upper-'));
      writeFileSync(capitalised, upper);
      const engine = readFcl(upper, capitalised);
      const rows = probeInputs(engine, 100);
      const ours = await hilbenchEval(capitalised, engine.inputs.map((v) => v.name), rows);
      expect(ours.code).toBe(0);
      const ref = fuzzyliteEval(file, rows);
      const bad = rows.flatMap((r, k) => engine.outputs.map((_, o) => ours.values[k][r.length + o]).filter((v, o) => !close(v, ref[k][r.length + o])));
      expect(bad).toEqual([]);
    });
  }
  it('a capital word that names a term stays the term', () => {
    const fcl = `FUNCTION_BLOCK t
VAR_INPUT
  a: REAL;
END_VAR
VAR_OUTPUT
  o: REAL;
END_VAR
FUZZIFY a
  RANGE := (0 .. 1);
  TERM NOT := Triangle 0 0 1;
END_FUZZIFY
DEFUZZIFY o
  RANGE := (0 .. 1);
  TERM big := Triangle 0 1 1;
  METHOD : COG;
  ACCU : MAX;
END_DEFUZZIFY
RULEBLOCK r
  ACT : MIN;
  RULE 1 : IF a IS NOT THEN o IS big;
END_RULEBLOCK
END_FUNCTION_BLOCK
`;
    expect(readFcl(fcl, 't.fcl').ruleBlocks[0].rules[0].text).toBe('if a is NOT then o is big');
  });
  it('capital keywords are FCL only: .fll rules stay case-sensitive, as in fuzzylite', () => {
    const fll = readFileSync(join(EXAMPLES_DIR, 'mamdani/SimpleDimmer.fll'), 'utf8').replace('rule: if Ambient is DARK', 'rule: IF Ambient IS DARK');
    expect(() => readFll(fll, 'd.fll')).toThrow(/^d\.fll:\d+: /);
  });
});
