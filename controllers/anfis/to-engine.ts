import { UserError } from '../../errors/user-error.ts';
import { Engine, InputVariable, OutputVariable, RuleBlock, Term, parseRule, type Expression } from '../fuzzy/index.ts';
import { MF_ARITY, type MfType } from './membership.ts';
import { AnfisModel, packMfs, type AnfisInput } from './model.ts';

/** MATLAB MF name ↔ fuzzy engine term kind, and the parameter order of each (MATLAB → engine). */
const KIND: Readonly<Record<MfType, 'Bell' | 'Gaussian' | 'Triangle'>> = { gbellmf: 'Bell', gaussmf: 'Gaussian', trimf: 'Triangle' };
// engine Bell(center, width, slope) = gbellmf [a b c] as [c a b]; Gaussian(mean, sd) = gaussmf [σ c] as [c σ]
const TO_ENGINE: Readonly<Record<MfType, number[]>> = { gbellmf: [2, 0, 1], gaussmf: [1, 0], trimf: [0, 1, 2] };

/**
 * The ANFIS as a fuzzy-engine model: Sugeno, product AND, probabilistic OR, weighted average,
 * one Linear (or Constant) output term per rule, as MATLAB's `anfis` leaves a FIS. Saved with the
 * engine's own `.fis`/`.fll` writers.
 */
export function toEngine(model: AnfisModel): Engine {
  const engine = new Engine(model.name);
  // evaluated as the trainer evaluates (MATLAB: every rule counts); a .fis read back has the same semantics
  engine.semantics = 'matlab';
  for (const v of model.inputs) {
    const iv = new InputVariable(v.name, v.range[0], v.range[1]);
    for (const mf of v.mfs) {
      const params = TO_ENGINE[mf.type].map((k) => model.premise[mf.offset + k]);
      iv.addTerm(new Term(mf.name, KIND[mf.type], params));
    }
    engine.addInput(iv);
  }
  const out = new OutputVariable(model.output.name, model.output.range[0], model.output.range[1]);
  out.aggregation = 'Maximum';
  out.defuzzifier = { kind: 'WeightedAverage', type: 'Automatic' };
  const K = model.nCoef;
  for (let r = 0; r < model.nRules; r++) {
    const c = Array.from(model.consequent.subarray(r * K, (r + 1) * K));
    out.addTerm(new Term(`out1mf${r + 1}`, model.order === 1 ? 'Linear' : 'Constant', c));
  }
  engine.addOutput(out);
  const block = new RuleBlock('');
  block.conjunction = 'AlgebraicProduct';
  block.disjunction = 'AlgebraicSum';
  block.implication = 'AlgebraicProduct';
  model.rules.forEach((rule, r) => {
    const ante = rule.map((m, i) => `${model.inputs[i].name} is ${model.inputs[i].mfs[m].name}`).join(' and ');
    block.addRule(`if ${ante} then ${model.output.name} is out1mf${r + 1}`);
  });
  engine.addRuleBlock(block);
  return engine;
}

/**
 * Reads an engine back as an ANFIS, to continue training or to check a saved model. It must be
 * an ANFIS-shaped Sugeno model: one output, Bell/Gaussian/Triangle input terms, and rules that AND
 * one term of every input and conclude a distinct Linear/Constant term.
 */
export function fromEngine(engine: Engine, source = 'model'): AnfisModel {
  const fail = (msg: string): never => {
    throw new UserError(`${source}: not an ANFIS model: ${msg}`);
  };
  if (engine.outputs.length !== 1) fail(`expected one output variable, found ${engine.outputs.length}`);
  const out = engine.outputs[0];
  const fromKind = (k: string): MfType | undefined => (Object.keys(KIND) as MfType[]).find((t) => KIND[t] === k);
  const types = engine.inputs.map((v) =>
    v.terms.map((t) => fromKind(t.kind) ?? fail(`input '${v.name}' term '${t.name}' is ${t.kind}; ANFIS trains Bell, Gaussian and Triangle terms`)),
  );
  const { offsets, size } = packMfs(types);
  const premise = new Float64Array(size);
  const inputs: AnfisInput[] = engine.inputs.map((v, i) => ({
    name: v.name,
    range: [v.min, v.max],
    mfs: v.terms.map((t, k) => {
      const type = types[i][k];
      TO_ENGINE[type].forEach((from, to) => (premise[offsets[i][k] + from] = t.params[to]));
      if (t.params.length !== MF_ARITY[type]) fail(`term '${t.name}' has ${t.params.length} parameters`);
      return { name: t.name, type, offset: offsets[i][k] };
    }),
  }));
  const kinds = new Set(out.terms.map((t) => t.kind));
  if (kinds.size !== 1 || !(kinds.has('Linear') || kinds.has('Constant'))) fail('output terms must all be Linear or all Constant');
  const order: 0 | 1 = kinds.has('Linear') ? 1 : 0;
  const K = order === 1 ? inputs.length + 1 : 1;
  const rules: number[][] = [];
  const consequent: number[] = [];
  for (const block of engine.ruleBlocks) {
    for (const rule of block.rules) {
      const parsed = parseRule(rule, engine);
      const props: { variable: string; term: string | null; hedges: readonly string[] }[] = [];
      const walk = (e: Expression): void => {
        if (e.type === 'operator') {
          if (e.op !== 'and') fail(`rule '${rule.text}' uses 'or'`);
          walk(e.left);
          walk(e.right);
        } else props.push(e);
      };
      walk(parsed.antecedent);
      const idx = inputs.map((v) => {
        const p = props.find((q) => q.variable === v.name);
        if (!p || p.term === null || p.hedges.length) return fail(`rule '${rule.text}' must use one plain term of every input`);
        return v.mfs.findIndex((m) => m.name === p.term);
      });
      if (props.length !== inputs.length || parsed.consequent.length !== 1 || parsed.weight !== 1) fail(`rule '${rule.text}' is not an ANFIS rule`);
      const term = out.term(parsed.consequent[0].term)!;
      const c = order === 1 && term.params.length === inputs.length ? [...term.params, 0] : term.params;
      if (c.length !== K) fail(`output term '${term.name}' needs ${K} coefficients`);
      rules.push(idx);
      consequent.push(...c);
    }
  }
  return new AnfisModel(engine.name || 'anfis', inputs, { name: out.name, range: [out.min, out.max] }, rules, order, premise, Float64Array.from(consequent));
}
