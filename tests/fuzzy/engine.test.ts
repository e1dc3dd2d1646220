import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, readFll, type CompiledEngine } from '../../controllers/fuzzy/index.ts';
import { hedge, hedgeCode } from '../../controllers/fuzzy/hedges.ts';
import { repoRoot } from '../helpers/cli.ts';

const run = (fast: CompiledEngine, ...inputs: number[]) => {
  const y = new Float64Array(fast.outputNames.length);
  fast.evaluate(Float64Array.from(inputs), y);
  return Array.from(y);
};

describe('hedges (fuzzylite 6 definitions, closed form)', () => {
  const h = (name: Parameters<typeof hedgeCode>[0], x: number) => hedge(hedgeCode(name), x);
  it('not, very, somewhat', () => {
    expect(h('not', 0.3)).toBeCloseTo(0.7, 15);
    expect(h('very', 0.5)).toBe(0.25);
    expect(h('somewhat', 0.25)).toBe(0.5);
  });
  it('extremely is 2x² up to 0.5 and 1 − 2(1 − x)² above (not MATLAB’s x³)', () => {
    expect(h('extremely', 0.3)).toBeCloseTo(0.18, 15);
    expect(h('extremely', 0.8)).toBeCloseTo(0.92, 15);
    expect(h('extremely', 0.5)).toBe(0.5);
  });
  it('seldom is √(x/2) up to 0.5 and 1 − √((1 − x)/2) above', () => {
    expect(h('seldom', 0.18)).toBeCloseTo(0.3, 15);
    expect(h('seldom', 0.82)).toBeCloseTo(0.7, 15);
  });
  it('any is 1', () => expect(h('any', 0)).toBe(1));
});

const ONE_INPUT = (rules: string, extra = '') => `Engine: t
InputVariable: a
  range: 0 1
  term: ramp Ramp 0 1
  term: low Triangle 0 0 1
  term: high Triangle 0 1 1
  term: mid Triangle 0 0.5 1
OutputVariable: o
  range: 0 10
  aggregation: none
  defuzzifier: WeightedAverage TakagiSugeno
${extra}
  term: five Constant 5
  term: seven Constant 7
RuleBlock: r
  conjunction: Minimum
  disjunction: Maximum
  implication: none
${rules}`;

describe('rule firing and no-rule-fired behaviour (as fuzzylite)', () => {
  it('a rule fires only when weight·degree ≥ 1e-6 (fl::fuzzylite::macheps)', () => {
    const fast = compile(readFll(ONE_INPUT('  rule: if a is ramp then o is five', '  default: 3'), 't.fll'));
    expect(run(fast, 0.9e-6)).toEqual([3]);
    expect(run(fast, 0.99e-6)).toEqual([3]);
    expect(run(fast, 1.01e-6)).toEqual([5]);
    const weighted = compile(readFll(ONE_INPUT('  rule: if a is ramp then o is five with 0.001', '  default: 3'), 't.fll'));
    expect(run(weighted, 0.5e-3)).toEqual([3]);
    expect(run(weighted, 2e-3)).toEqual([5]);
  });

  it('no rule fired: the default, NaN by default, or the previous value with lock-previous', () => {
    const nan = compile(readFll(ONE_INPUT('  rule: if a is ramp then o is five'), 't.fll'));
    expect(run(nan, 0)).toEqual([NaN]);
    const locked = compile(readFll(ONE_INPUT('  rule: if a is ramp then o is five\n  rule: if a is high then o is seven', '  default: 1\n  lock-previous: true'), 't.fll'));
    expect(run(locked, 0)).toEqual([1]); // nothing before: the default
    const v = run(locked, 0.5)[0];
    expect(v).toBe(6); // (0.5·5 + 0.5·7)/1
    expect(run(locked, 0)).toEqual([6]); // nothing fires: keeps 6
    locked.reset();
    expect(run(locked, 0)).toEqual([1]);
  });

  it("'and' binds tighter than 'or', left to right, and parentheses group", () => {
    // a = 0.2: low = 0.8, high = 0.2, mid = 0.4
    const model = (antecedent: string) => compile(readFll(ONE_INPUT(`  rule: if ${antecedent} then o is five with 0.5\n  rule: if a is any then o is seven`), 't.fll'));
    // output = (w·5 + 1·7)/(w + 1): w identifies the degree
    const degree = (antecedent: string) => {
      const y = run(model(antecedent), 0.2)[0];
      return (7 - y) / (y - 5) / 0.5;
    };
    expect(degree('a is high or a is low and a is mid')).toBeCloseTo(0.4, 12); // high ∨ (low ∧ mid) = max(0.2, 0.4)
    expect(degree('(a is high or a is low) and a is mid')).toBeCloseTo(0.4, 12);
    expect(degree('a is low and a is mid or a is high')).toBeCloseTo(0.4, 12);
    expect(degree('a is low and (a is mid or a is high)')).toBeCloseTo(0.4, 12);
    expect(degree('a is high and a is low or a is mid')).toBeCloseTo(0.4, 12); // (high ∧ low) ∨ mid
    expect(degree('a is high and (a is low or a is mid)')).toBeCloseTo(0.2, 12);
    expect(degree('a is very low and a is not high')).toBeCloseTo(0.64, 12);
  });
});

describe('Mamdani (min) and Larsen (product) implication, seed example (Yücebaş 2006)', () => {
  // A = (0, 2, 4), B = (3, 4, 6), e0 = 3 → α = 0.5. Mamdani clips B at 0.5 (trapezoid 3, 3.5, 5, 6),
  // Larsen scales it (triangle 3, 4, 6 at height 0.5); centroids in closed form.
  const model = (implication: string, defuzzifier: string) =>
    compile(
      readFll(
        `Engine: seed
InputVariable: e
  range: 0 4
  term: A Triangle 0 2 4
OutputVariable: g
  range: 3 6
  aggregation: Maximum
  defuzzifier: ${defuzzifier}
  term: B Triangle 3 4 6
RuleBlock: r
  conjunction: Minimum
  disjunction: Maximum
  implication: ${implication}
  rule: if e is A then g is B`,
        'seed.fll',
      ),
    );
  it('centroids', () => {
    const trapezoid = (91 - 9 - 10.5 - 12.25) / (3 * (5 + 6 - 3 - 3.5));
    expect(run(model('Minimum', 'Centroid 20000'), 3)[0]).toBeCloseTo(trapezoid, 7);
    expect(run(model('AlgebraicProduct', 'Centroid 20000'), 3)[0]).toBeCloseTo((3 + 4 + 6) / 3, 7);
  });
  it('smallest of maximum: the plateau starts at 3.5 (Mamdani), the peak stays at 4 (Larsen)', () => {
    expect(run(model('Minimum', 'SmallestOfMaximum 3000'), 3)[0]).toBeCloseTo(3.5, 2);
    expect(run(model('AlgebraicProduct', 'SmallestOfMaximum 3000'), 3)[0]).toBeCloseTo(4, 2);
  });
});

describe("the solar tracker's true value flow inference (Odabaş 2009)", () => {
  const fast = compile(readFll(readFileSync(join(repoRoot, 'scenarios/models/solar-tracker.fll'), 'utf8'), 'solar-tracker.fll'));
  it("the paper's worked example: S1 high 1; S2 normal 0.34375, high 0.65625; S3 low 1 → Σw·c/Σw", () => {
    // S2 = 3.15625 V gives exactly the paper's degrees on the 1.5/2.5/3.5 V memberships;
    // rules 22 (H N L → Konum1) and 25 (H H L → Konum2) fire with min = 0.34375 and 0.65625.
    const position = run(fast, 4, 3.15625, 1.5)[0];
    expect(position).toBe((0.34375 * 1 + 0.65625 * 2) / (0.34375 + 0.65625));
    expect(position * 45).toBeCloseTo(74.53125, 12);
  });
  it('the sun on one sensor axis picks that position; night (LLL) gives position 0', () => {
    expect(run(fast, 4, 1, 1)).toEqual([1]); // HLL → Konum1 (45°)
    expect(run(fast, 1, 4, 1)).toEqual([2]); // LHL → Konum2 (90°)
    expect(run(fast, 1, 1, 4)).toEqual([4]); // LLH → Konum4 (180°)
    expect(run(fast, 0.2, 0.2, 0.2)).toEqual([0]);
  });
});
