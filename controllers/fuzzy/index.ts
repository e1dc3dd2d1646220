/**
 * Public API of the fuzzy engine (controllers/fuzzy). Build or read a model, compile it once,
 * evaluate it in the hot loop:
 *
 *   const engine = readFll(text, 'model.fll');        // or readFis / new Engine() …
 *   const fast = compile(engine);
 *   fast.evaluate(inputs, outputs);                   // Float64Arrays in engine order, no allocation
 */
export {
  Engine,
  InputVariable,
  OutputVariable,
  RuleBlock,
  Rule,
  Term,
  DEFAULT_RESOLUTION,
  INTEGRAL_DEFUZZIFIERS,
  WEIGHTED_DEFUZZIFIERS,
  ACTIVATIONS,
  SEMANTICS,
  type Semantics,
  type Defuzzifier,
  type IntegralDefuzzifierName,
  type WeightedDefuzzifierName,
  type WeightedType,
  type ActivationName,
  type Expression,
  type Proposition,
  type OperatorNode,
  type Conclusion,
  type ParsedRule,
} from './model.ts';
export { TERM_KINDS, TERM_ARITY, TERM_PARAMETER_NAMES, type TermKind } from './terms.ts';
export { TNORMS, SNORMS, type TNormName, type SNormName } from './norms.ts';
export { HEDGES, type HedgeName } from './hedges.ts';
export { parseRule } from './rule-parser.ts';
export { assertReady, compile, interpret, validate, type CompiledEngine } from './compile.ts';
export { FuzzyModelError } from './errors.ts';
export { readFll, writeFll } from './formats/fll.ts';
export { readFis, writeFis, fisLosses, type FisWriteOptions } from './formats/fis.ts';
export { readFcl } from './formats/fcl.ts';
export { readModelFile, writeModelFile, readModelText, writeModelText, formatOf, type ModelFormat } from './formats/model-file.ts';
export { FuzzyController, fuzzyFactory, type FuzzyControllerOptions, type FuzzyInputSpec, type FuzzyOutputSpec } from './fuzzy-controller.ts';
export { evaluateTable } from './table.ts';
