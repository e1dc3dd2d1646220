import { UserError } from '../../errors/user-error.ts';
import { Mlp } from './network.ts';

/** The saved form of a trained network (docs/mlp.md). */
export interface MlpJson {
  format: 'hilbench-mlp';
  version: 1;
  sizes: number[];
  hidden: 'tansig';
  output: 'purelin';
  inputScale: { min: number[]; max: number[] };
  outputScale: { min: number[]; max: number[] };
  /** Flat weight vector: per layer, the weight matrix row-major (neuron × input), then the biases. */
  weights: number[];
  inputNames?: string[];
  outputNames?: string[];
  note?: string;
}

export function mlpToJson(net: Mlp, extra: Pick<MlpJson, 'inputNames' | 'outputNames' | 'note'> = {}): MlpJson {
  return {
    format: 'hilbench-mlp',
    version: 1,
    sizes: [...net.sizes],
    hidden: 'tansig',
    output: 'purelin',
    inputScale: { min: [...net.inputScale.min], max: [...net.inputScale.max] },
    outputScale: { min: [...net.outputScale.min], max: [...net.outputScale.max] },
    weights: Array.from(net.weights),
    ...extra,
  };
}

/** Rebuilds a network from its JSON form; throws an Error naming the bad field. */
export function mlpFromJson(value: unknown, source = 'MLP JSON'): Mlp {
  const fail = (field: string, msg: string): never => {
    throw new UserError(`${source}: ${field}: ${msg}`);
  };
  if (typeof value !== 'object' || value === null) return fail('(root)', 'expected an object');
  const o = value as Record<string, unknown>;
  if (o.format !== 'hilbench-mlp') fail('format', `expected "hilbench-mlp", got ${JSON.stringify(o.format)}`);
  if (o.version !== 1) fail('version', `expected 1, got ${JSON.stringify(o.version)}`);
  const nums = (field: string, v: unknown): number[] => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(field, 'expected an array of finite numbers');
    return v as number[];
  };
  const sizes = nums('sizes', o.sizes);
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) fail('sizes', 'expected at least two positive integers');
  const scale = (field: string, v: unknown, n: number): { min: number[]; max: number[] } => {
    const s = (v ?? {}) as Record<string, unknown>;
    const min = nums(`${field}.min`, s.min);
    const max = nums(`${field}.max`, s.max);
    if (min.length !== n || max.length !== n) fail(field, `expected ${n} entries in min and max`);
    return { min, max };
  };
  const net = new Mlp(sizes, scale('inputScale', o.inputScale, sizes[0]), scale('outputScale', o.outputScale, sizes[sizes.length - 1]));
  const weights = nums('weights', o.weights);
  if (weights.length !== net.weights.length) fail('weights', `expected ${net.weights.length} numbers for sizes [${sizes.join(', ')}], got ${weights.length}`);
  net.weights.set(weights);
  return net;
}
