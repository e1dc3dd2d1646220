import { describe, expect, it } from 'vitest';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { ColumnStore } from '../../firmware-sim/recorder.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { simulate } from '../../run/simulate.ts';

import { getControllerFactory } from '../../firmware-sim/scenario/controller-types.ts';
import { FuzzyController, compile, readFll, readModelFile } from '../../controllers/fuzzy/index.ts';
import { repoRoot } from '../helpers/cli.ts';

/** y = e + de: a first-order Sugeno model that is exactly linear on [-100, 100]², for closed-form checks. */
const LINEAR_PD = readFll(
  `Engine: pd
InputVariable: e
  range: -100 100
  term: any Triangle -1000 0 1000
InputVariable: de
  range: -100 100
  term: any Triangle -1000 0 1000
OutputVariable: u
  range: -1000 1000
  aggregation: none
  defuzzifier: WeightedAverage TakagiSugeno
  default: nan
  term: sum Linear 1 1 0
RuleBlock: r
  conjunction: Minimum
  disjunction: Maximum
  implication: none
  rule: if e is any then u is sum
`,
  'pd.fll',
);

const step = (c: FuzzyController, y: number, ref: number, t: number) => {
  const u = new Float64Array(c.outputs.length);
  c.update(Float64Array.of(y), Float64Array.of(ref), t, u);
  return u[0];
};

describe('FuzzyController', () => {
  it('PD type: error = reference − measurement, scaled, and its derivative from the caller’s clock', () => {
    const c = new FuzzyController(LINEAR_PD, {
      inputs: { e: { signal: 'y', reference: 'r', gain: 2 }, de: { signal: 'y', reference: 'r', gain: 2, derivative: true } },
      outputs: { u: { command: 'u_cmd', gain: 0.5, offset: 1 } },
    });
    expect(c.inputs).toEqual(['y']);
    expect(c.references).toEqual(['r']);
    expect(c.outputs).toEqual(['u_cmd']);
    // t = 0: e = 2·(1 − 0.25) = 1.5, no derivative yet → u = 0.5·1.5 + 1
    expect(step(c, 0.25, 1, 0)).toBeCloseTo(1.75, 12);
    // t = 0.01: e = 2·(1 − 0.5) = 1, de = (1 − 1.5)/0.01 = −50 → u = 0.5·(1 − 50) + 1
    expect(step(c, 0.5, 1, 0.01)).toBeCloseTo(-23.5, 9);
    // an uneven sample time is taken from t: de = (1.2 − 1)/0.02 = 10
    expect(step(c, 0.4, 1, 0.03)).toBeCloseTo(0.5 * (1.2 + 10) + 1, 9);
    c.reset();
    expect(step(c, 0.25, 1, 5)).toBeCloseTo(1.75, 12);
  });

  it('derivative filter: first-order low-pass with time constant filter_s', () => {
    const c = new FuzzyController(LINEAR_PD, {
      inputs: { e: { reference: 'r', gain: 0 }, de: { signal: 'y', derivative: true, filter_s: 0.03 } },
      outputs: { u: { command: 'u_cmd' } },
    });
    step(c, 0, 0, 0);
    // a ramp y = t: raw derivative 1, filtered 1 − (τ/(τ + dt))^k
    let expected = 0;
    for (let k = 1; k <= 5; k++) {
      expected += (0.01 / (0.03 + 0.01)) * (1 - expected);
      expect(step(c, k * 0.01, 0, k * 0.01)).toBeCloseTo(expected, 12);
    }
  });

  it('PI type: the output integrated (u += gain·y·dt), clamped, NaN holds the command', () => {
    const c = new FuzzyController(LINEAR_PD, {
      inputs: { e: { signal: 'y', reference: 'r' }, de: { signal: 'y', gain: 0 } },
      outputs: { u: { command: 'u_cmd', integrate: true, gain: 2, initial: 0.5, max: 1 } },
    });
    expect(step(c, 0, 1, 0)).toBe(0.5); // first call: no dt yet
    expect(step(c, 0, 1, 0.1)).toBeCloseTo(0.7, 12); // + 2·1·0.1
    expect(step(c, 0.5, 1, 0.2)).toBeCloseTo(0.8, 12); // + 2·0.5·0.1
    expect(step(c, -10, 1, 0.3)).toBe(1); // clamped at max
    expect(step(c, NaN, 1, 0.4)).toBe(1); // the model gives NaN: hold
  });

  it('outputs naming the same command are added', () => {
    const two = readFll(
      `Engine: two
InputVariable: e
  range: -10 10
  term: any Triangle -100 0 100
OutputVariable: base
  range: -10 10
  aggregation: none
  defuzzifier: WeightedAverage TakagiSugeno
  term: c Constant 3
OutputVariable: trim
  range: -10 10
  aggregation: none
  defuzzifier: WeightedAverage TakagiSugeno
  term: c Linear 0.5 0
RuleBlock: r
  conjunction: Minimum
  implication: none
  rule: if e is any then base is c and trim is c
`,
      'two.fll',
    );
    const c = new FuzzyController(two, { inputs: { e: { signal: 'y' } }, outputs: { base: { command: 'u' }, trim: { command: 'u', gain: 2 } } });
    expect(step(c, 4, 0, 0)).toBe(3 + 2 * 2);
  });

  it("the 'fuzzy' factory resolves the model against the scenario directory and names bad parameters", () => {
    const f = getControllerFactory('fuzzy');
    const ctx = { Ts: 0.001, baseDir: `${repoRoot}/scenarios`, plantParams: {}, outputLimits: {} };
    const ok = f.create({ type: 'fuzzy', model: 'models/solar-tracker.fll', inputs: { S1: { signal: 's1' }, S2: { signal: 's2' }, S3: { signal: 's3' } }, outputs: { position: { command: 'pos', gain: 45 } } }, ctx);
    const u = new Float64Array(1);
    ok.update(Float64Array.of(4, 3.15625, 1.5), new Float64Array(0), 0, u);
    expect(u[0]).toBeCloseTo(74.53125, 12);
    expect(() => f.create({ type: 'fuzzy', model: 'models/solar-tracker.fll', inputs: { S1: { signal: 's1' } }, outputs: { position: { command: 'p' } } }, ctx)).toThrow(/no source for the model input 'S2'/);
    expect(() => f.create({ type: 'fuzzy', model: 'models/solar-tracker.fll', inputs: { S1: { signal: 's1', gian: 2 } }, outputs: {} }, ctx)).toThrow(/controller\.inputs\.S1\.gian: unknown field/);
    expect(() => f.create({ type: 'fuzzy', model: 'models/nope.fll', inputs: {}, outputs: {} }, ctx)).toThrow(/nope\.fll: cannot read the model file/);
  });

  it("a 'semantics' key chooses how the model is evaluated (default by extension) and is checked", () => {
    const f = getControllerFactory('fuzzy');
    const ctx = { Ts: 0.001, baseDir: `${repoRoot}/scenarios`, plantParams: {}, outputLimits: {} };
    const spec = { type: 'fuzzy', model: 'models/maglev-anfis-seed.fis', outputs: {} as Record<string, unknown>, inputs: {} as Record<string, unknown> };
    const engine = readModelFile(`${repoRoot}/scenarios/models/maglev-anfis-seed.fis`);
    for (const v of engine.inputs) spec.inputs[v.name] = { signal: v.name };
    spec.outputs[engine.outputs[0].name] = { command: 'u' };
    // inputs far from every MF centre: activations below fuzzylite's 1e-6 firing threshold
    const x = Float64Array.from(engine.inputs, (v) => v.max + 0.4 * (v.max - v.min));
    const run = (extra: Record<string, unknown>) => {
      const u = new Float64Array(1);
      f.create({ ...spec, ...extra }, ctx).update(x, new Float64Array(0), 0, u);
      return u[0];
    };
    const direct = (semantics: 'matlab' | 'fuzzylite') => {
      engine.semantics = semantics;
      const y = new Float64Array(1);
      compile(engine).evaluate(x, y);
      return y[0];
    };
    expect(run({})).toBe(direct('matlab'));
    expect(run({ semantics: 'fuzzylite' })).toBe(direct('fuzzylite'));
    expect(direct('matlab')).not.toBe(direct('fuzzylite'));
    expect(() => run({ semantics: 'octave' })).toThrow(/semantics.*'matlab' or 'fuzzylite'/);
  });
});

describe('scenario maglev-fuzzy: the seed’s hand-designed Sugeno controller on the maglev plant', () => {
  const simulateFuzzy = (overrides: Parameters<typeof loadScenario>[1] = {}) => {
    const built = buildRun(loadScenario('maglev-fuzzy', overrides));
    const store = new ColumnStore();
    simulate(built.config, new ControllerFirmware(built.controller, built.sensors, built.actuators), store);
    const t = store.column('t_s')!;
    const x = store.column('x_m')!;
    // settling: the time after which x stays within ±0.1 mm of 8 mm (plants.md's band)
    let last = -1;
    for (let k = 0; k < x.length; k++) if (Math.abs(x[k] - 0.008) > 1e-4) last = k;
    return { t, x, settling_s: last < 0 ? 0 : last + 1 < x.length ? t[last + 1] : NaN };
  };

  it('holds the ball within ±0.1 mm of 8 mm under the seed’s random current noise (released at 8 mm)', () => {
    for (const seed of [1, 2, 3]) {
      const r = simulateFuzzy({ seed });
      expect(r.settling_s).toBeLessThan(0.2);
      expect(Math.min(...r.x)).toBeGreaterThan(0.0078);
      expect(Math.max(...r.x)).toBeLessThan(0.0082);
    }
  });

  it('released 0.5 mm low (8.5 mm) it settles within ±0.1 mm in well under the paper’s 0.2 s', () => {
    const r = simulateFuzzy({ set: ['x0_m=0.0085'] });
    expect(r.settling_s).toBeGreaterThan(0.005);
    expect(r.settling_s).toBeLessThan(0.1);
  });

  it('without the velocity input (dlevel disabled) the same table cannot damp the ball', () => {
    const r = simulateFuzzy({ set: ['x0_m=0.0085', 'noise.enabled=false', 'controller.outputs.dlevel.gain=0'] });
    expect(Number.isNaN(r.settling_s) || r.settling_s > 1).toBe(true);
  });
});
