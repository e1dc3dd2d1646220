import { isAbsolute, resolve } from 'node:path';
import type { Controller, ControllerFactory } from '../controller.ts';
import { compile, readModelFile, type CompiledEngine } from '../fuzzy/index.ts';
import { ParamError, optionalNumber, string, stringArray } from '../params.ts';
import { FilteredDerivative, RunningIntegral } from './filtered-derivative.ts';

/**
 * One model input: a measured signal as it is, its filtered derivative (`d:<signal>`), the error
 * reference − signal (`e:<signal>`) or the running integral of that error (`i:<signal>`); the last
 * two need `reference`.
 */
export interface FeatureSpec {
  readonly kind: 'signal' | 'derivative' | 'error' | 'integral';
  /** Index into the controller's measured inputs. */
  readonly input: number;
}

export function parseFeature(text: string, inputs: readonly string[]): FeatureSpec {
  const m = /^(?:(d|e|i):)?(.+)$/.exec(text)!;
  const input = inputs.indexOf(m[2]);
  if (input < 0) throw new ParamError('features', `'${text}' names '${m[2]}', which is not one of the sensors [${inputs.join(', ')}]`);
  const kinds = { d: 'derivative', e: 'error', i: 'integral' } as const;
  return { kind: m[1] ? kinds[m[1] as keyof typeof kinds] : 'signal', input };
}

/**
 * A trained ANFIS (any Sugeno model the fuzzy engine reads) in the loop: features from the
 * sensors, one compiled inference per control period, output = gain·y + bias clamped to
 * [outMin, outMax]. A NaN model output (no rule fired) holds the previous command.
 */
export class AnfisController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[];
  readonly outputs: readonly string[];
  private readonly x: Float64Array;
  private readonly y = new Float64Array(1);
  private readonly derivs: (FilteredDerivative | undefined)[];
  private readonly integrals: (RunningIntegral | undefined)[];
  private last: number;

  constructor(
    private readonly engine: CompiledEngine,
    sensors: readonly string[],
    private readonly features: readonly FeatureSpec[],
    output: string,
    reference: string | undefined,
    private readonly opts: { gain: number; bias: number; outMin: number; outMax: number; tau_s: number },
  ) {
    this.inputs = [...sensors];
    this.references = reference ? [reference] : [];
    this.outputs = [output];
    this.x = new Float64Array(features.length);
    this.derivs = features.map((f) => (f.kind === 'derivative' ? new FilteredDerivative(opts.tau_s) : undefined));
    this.integrals = features.map((f) => (f.kind === 'integral' ? new RunningIntegral() : undefined));
    this.last = Math.min(Math.max(opts.bias, opts.outMin), opts.outMax);
  }

  reset(): void {
    for (const d of this.derivs) d?.reset();
    for (const i of this.integrals) i?.reset();
    this.last = Math.min(Math.max(this.opts.bias, this.opts.outMin), this.opts.outMax);
  }

  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void {
    for (let k = 0; k < this.features.length; k++) {
      const f = this.features[k];
      const v = y[f.input];
      this.x[k] =
        f.kind === 'signal' ? v : f.kind === 'error' ? ref[0] - v : f.kind === 'integral' ? this.integrals[k]!.step(ref[0] - v, t) : this.derivs[k]!.step(v, t);
    }
    this.engine.evaluate(this.x, this.y);
    const out = this.y[0];
    if (out === out) {
      const c = this.opts.gain * out + this.opts.bias;
      this.last = c < this.opts.outMin ? this.opts.outMin : c > this.opts.outMax ? this.opts.outMax : c;
    }
    u[0] = this.last;
  }
}

export const anfisFactory: ControllerFactory = {
  type: 'anfis',
  description: 'a trained ANFIS / Sugeno model (.fis or .fll) on sensor signals and their filtered derivatives',
  create(p, ctx) {
    const file = string(p, 'model');
    const path = isAbsolute(file) ? file : resolve(ctx.baseDir, file);
    const engine = readModelFile(path);
    const sensors = stringArray(p, 'sensors');
    const featureTexts = stringArray(p, 'features');
    if (featureTexts.length !== engine.inputs.length) {
      throw new ParamError('features', `${featureTexts.length} features for a model with ${engine.inputs.length} inputs (${engine.inputs.map((v) => v.name).join(', ')})`);
    }
    if (engine.outputs.length !== 1) throw new ParamError('model', `${file}: expected one output variable, found ${engine.outputs.length}`);
    const features = featureTexts.map((f) => parseFeature(f, sensors));
    const reference = p.reference === undefined ? undefined : string(p, 'reference');
    if (features.some((f) => f.kind === 'error' || f.kind === 'integral') && !reference) throw new ParamError('reference', 'required by e: and i: features');
    const output = string(p, 'output');
    // output limits default to the actuator's range when the scenario gives one
    const limits = ctx.outputLimits?.[output];
    return new AnfisController(compile(engine), sensors, features, output, reference, {
      gain: optionalNumber(p, 'gain') ?? 1,
      bias: optionalNumber(p, 'bias') ?? 0,
      outMin: optionalNumber(p, 'outMin') ?? limits?.[0] ?? -Infinity,
      outMax: optionalNumber(p, 'outMax') ?? limits?.[1] ?? Infinity,
      tau_s: optionalNumber(p, 'derivativeTau_s') ?? 0.002,
    });
  },
};
