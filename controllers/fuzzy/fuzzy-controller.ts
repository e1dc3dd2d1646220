import { isAbsolute, resolve } from 'node:path';
import type { Controller, ControllerFactory } from '../controller.ts';
import { ParamError } from '../params.ts';
import { compile, type CompiledEngine } from './compile.ts';
import { readModelFile } from './formats/model-file.ts';
import { SEMANTICS, type Engine, type Semantics } from './model.ts';

/**
 * A fuzzy engine as a `Controller`. Each model input is fed from a measured signal, a reference,
 * or their error (reference − measurement), scaled (gain·value + offset) and optionally
 * differentiated with the caller's clock (backward difference, optional first-order filter):
 * error + error-derivative inputs make a PD-type fuzzy controller. Each model output drives a
 * command, either directly (gain·y + offset) or integrated (u += gain·y·dt, the PI-type /
 * incremental form), then clamped. An output that is NaN (no rule fired, no default) holds the
 * previous command. Outputs that name the same command are added (e.g. a base level plus a
 * velocity correction); `min`/`max` clamp each output's share. `update` allocates nothing.
 */
export interface FuzzyInputSpec {
  /** Measured signal (controller input) to read. */
  signal?: string;
  /** Reference to read; with `signal`, the value is reference − signal (the error). */
  reference?: string;
  /** Scaling into the model's universe: gain·value + offset (defaults 1, 0). */
  gain?: number;
  offset?: number;
  /** Feed d/dt of the scaled value instead of the value (0 on the first sample). */
  derivative?: boolean;
  /** Time constant of a first-order low-pass on the derivative, seconds (0 = none). */
  filter_s?: number;
}

export interface FuzzyOutputSpec {
  /** Command (controller output) this model output drives. */
  command: string;
  /** u = gain·y + offset, or u += gain·y·dt when `integrate` (defaults 1, 0, false). */
  gain?: number;
  offset?: number;
  integrate?: boolean;
  /** Command before the first update and start of the integrator (default `offset`). */
  initial?: number;
  /** Clamp of the command (defaults ±∞). */
  min?: number;
  max?: number;
}

export interface FuzzyControllerOptions {
  inputs: Record<string, FuzzyInputSpec>;
  outputs: Record<string, FuzzyOutputSpec>;
}

export class FuzzyController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[];
  readonly outputs: readonly string[];
  readonly fast: CompiledEngine;

  private readonly inSignal: Int32Array;
  private readonly inRef: Int32Array;
  private readonly inGain: Float64Array;
  private readonly inOffset: Float64Array;
  private readonly inDerivative: Uint8Array;
  private readonly inTau: Float64Array;
  private readonly inPrev: Float64Array;
  private readonly inFiltered: Float64Array;
  private readonly outCommand: Int32Array;
  private readonly outGain: Float64Array;
  private readonly outOffset: Float64Array;
  private readonly outIntegrate: Uint8Array;
  private readonly outInitial: Float64Array;
  private readonly outMin: Float64Array;
  private readonly outMax: Float64Array;
  private readonly command: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private tPrev = NaN;

  constructor(engine: Engine, options: FuzzyControllerOptions) {
    this.fast = compile(engine);
    const signals: string[] = [];
    const refs: string[] = [];
    const commands: string[] = [];
    const index = (list: string[], name: string) => {
      const i = list.indexOf(name);
      if (i >= 0) return i;
      list.push(name);
      return list.length - 1;
    };
    for (const name of Object.keys(options.inputs)) {
      if (!engine.input(name)) throw new ParamError(`inputs.${name}`, `the model has no input variable '${name}' (inputs: ${engine.inputs.map((v) => v.name).join(', ')})`);
    }
    for (const name of Object.keys(options.outputs)) {
      if (!engine.output(name)) throw new ParamError(`outputs.${name}`, `the model has no output variable '${name}' (outputs: ${engine.outputs.map((v) => v.name).join(', ')})`);
    }
    const nIn = engine.inputs.length;
    this.inSignal = new Int32Array(nIn).fill(-1);
    this.inRef = new Int32Array(nIn).fill(-1);
    this.inGain = new Float64Array(nIn);
    this.inOffset = new Float64Array(nIn);
    this.inDerivative = new Uint8Array(nIn);
    this.inTau = new Float64Array(nIn);
    engine.inputs.forEach((v, i) => {
      const spec = options.inputs[v.name];
      if (!spec) throw new ParamError('inputs', `no source for the model input '${v.name}'`);
      if (spec.signal === undefined && spec.reference === undefined) throw new ParamError(`inputs.${v.name}`, `needs 'signal', 'reference' or both (error = reference − signal)`);
      if (spec.signal !== undefined) this.inSignal[i] = index(signals, spec.signal);
      if (spec.reference !== undefined) this.inRef[i] = index(refs, spec.reference);
      this.inGain[i] = spec.gain ?? 1;
      this.inOffset[i] = spec.offset ?? 0;
      this.inDerivative[i] = spec.derivative ? 1 : 0;
      this.inTau[i] = spec.filter_s ?? 0;
    });
    this.inPrev = new Float64Array(nIn);
    this.inFiltered = new Float64Array(nIn);
    const nOut = engine.outputs.length;
    this.outCommand = new Int32Array(nOut).fill(-1);
    this.outGain = new Float64Array(nOut);
    this.outOffset = new Float64Array(nOut);
    this.outIntegrate = new Uint8Array(nOut);
    this.outInitial = new Float64Array(nOut);
    this.outMin = new Float64Array(nOut);
    this.outMax = new Float64Array(nOut);
    engine.outputs.forEach((v, o) => {
      const spec = options.outputs[v.name];
      if (!spec) return; // an intermediate output (e.g. read by chained rules) drives nothing
      this.outCommand[o] = index(commands, spec.command);
      this.outGain[o] = spec.gain ?? 1;
      this.outOffset[o] = spec.offset ?? 0;
      this.outIntegrate[o] = spec.integrate ? 1 : 0;
      this.outInitial[o] = spec.initial ?? spec.offset ?? 0;
      this.outMin[o] = spec.min ?? -Infinity;
      this.outMax[o] = spec.max ?? Infinity;
    });
    if (commands.length === 0) throw new ParamError('outputs', 'no model output drives a command');
    this.inputs = signals;
    this.references = refs;
    this.outputs = commands;
    this.command = new Float64Array(nOut);
    this.x = new Float64Array(nIn);
    this.y = new Float64Array(nOut);
    this.reset();
  }

  reset(): void {
    this.fast.reset();
    this.tPrev = NaN;
    this.inPrev.fill(0);
    this.inFiltered.fill(0);
    for (let o = 0; o < this.command.length; o++) this.command[o] = this.outInitial[o];
  }

  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void {
    const dt = t - this.tPrev; // NaN on the first call
    const first = !(dt > 0);
    const x = this.x;
    for (let i = 0; i < x.length; i++) {
      const s = this.inSignal[i], r = this.inRef[i];
      let v = r >= 0 ? (s >= 0 ? ref[r] - y[s] : ref[r]) : y[s];
      v = this.inGain[i] * v + this.inOffset[i];
      if (this.inDerivative[i] === 1) {
        // first call (or a repeated t): keep the last derivative, 0 after reset
        let d = this.inFiltered[i];
        if (!first) {
          const raw = (v - this.inPrev[i]) / dt;
          const tau = this.inTau[i];
          d = tau > 0 ? d + (dt / (tau + dt)) * (raw - d) : raw;
        }
        this.inFiltered[i] = d;
        this.inPrev[i] = v;
        v = d;
      }
      x[i] = v;
    }
    this.fast.evaluate(x, this.y);
    for (let o = 0; o < this.y.length; o++) if (this.outCommand[o] >= 0) u[this.outCommand[o]] = 0;
    for (let o = 0; o < this.y.length; o++) {
      const c = this.outCommand[o];
      if (c < 0) continue;
      const out = this.y[o];
      let cmd = this.command[o];
      if (out === out) {
        if (this.outIntegrate[o] === 1) {
          if (!first) cmd += this.outGain[o] * out * dt;
        } else cmd = this.outGain[o] * out + this.outOffset[o];
      }
      if (cmd < this.outMin[o]) cmd = this.outMin[o];
      else if (cmd > this.outMax[o]) cmd = this.outMax[o];
      this.command[o] = cmd;
      u[c] += cmd;
    }
    if (t === t) this.tPrev = t;
  }
}

function objectOf(p: Record<string, unknown>, key: string): Record<string, Record<string, unknown>> {
  const v = p[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParamError(key, 'expected an object keyed by model variable name');
  for (const [k, spec] of Object.entries(v)) {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new ParamError(`${key}.${k}`, 'expected an object');
  }
  return v as Record<string, Record<string, unknown>>;
}

function check(spec: Record<string, unknown>, path: string, fields: Record<string, 'string' | 'number' | 'boolean'>): void {
  for (const [k, v] of Object.entries(spec)) {
    const type = fields[k];
    if (!type) throw new ParamError(`${path}.${k}`, `unknown field (known: ${Object.keys(fields).join(', ')})`);
    if (typeof v !== type || (type === 'number' && !Number.isFinite(v))) throw new ParamError(`${path}.${k}`, `expected a ${type === 'number' ? 'finite number' : type}, got ${JSON.stringify(v)}`);
  }
}

export const fuzzyFactory: ControllerFactory = {
  type: 'fuzzy',
  description: 'fuzzy engine (.fll/.fis model: Mamdani, Larsen, Sugeno, Tsukamoto) with scaled, error and derivative inputs',
  create(p, ctx) {
    if (typeof p.model !== 'string' || p.model === '') throw new ParamError('model', 'expected the path of a .fll or .fis model file');
    const path = isAbsolute(p.model) ? p.model : resolve(ctx.baseDir, p.model);
    const engine = readModelFile(path);
    if (p.semantics !== undefined) {
      if (typeof p.semantics !== 'string' || !(SEMANTICS as readonly string[]).includes(p.semantics)) {
        throw new ParamError('semantics', `expected ${SEMANTICS.map((s) => `'${s}'`).join(' or ')} (default: matlab for .fis, fuzzylite for .fll/.fcl), got ${JSON.stringify(p.semantics)}`);
      }
      engine.semantics = p.semantics as Semantics;
    }
    const inputs = objectOf(p, 'inputs');
    const outputs = objectOf(p, 'outputs');
    for (const [k, s] of Object.entries(inputs)) {
      check(s, `inputs.${k}`, { signal: 'string', reference: 'string', gain: 'number', offset: 'number', derivative: 'boolean', filter_s: 'number' });
    }
    for (const [k, s] of Object.entries(outputs)) {
      check(s, `outputs.${k}`, { command: 'string', gain: 'number', offset: 'number', integrate: 'boolean', initial: 'number', min: 'number', max: 'number' });
      if (typeof s.command !== 'string') throw new ParamError(`outputs.${k}.command`, 'expected the name of a command (actuator)');
    }
    return new FuzzyController(engine, { inputs: inputs as Record<string, FuzzyInputSpec>, outputs: outputs as unknown as Record<string, FuzzyOutputSpec> });
  },
};
