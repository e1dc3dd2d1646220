import { isAbsolute, resolve } from 'node:path';
import type { Controller, ControllerFactory } from '../controller.ts';
import { readModelFile, type Engine } from '../fuzzy/index.ts';
import { ParamError } from '../params.ts';
import { FX_SAT, quantize, type Coefficient } from './int-math.ts';
import { sensorLsb, type ActuatorConverter, type SensorConverter } from './pid-fixed.ts';
import {
  MU_ONE,
  SugenoFixed,
  conjunctionOf,
  parseRule,
  termInX,
  type SugenoConsequent,
  type SugenoFixedModel,
  type SugenoInputMap,
  type SugenoOutputMap,
  type SugenoRule,
} from './sugeno-fixed.ts';
import { MICRO_PER_UNIT } from '../../protocol/frames.ts';

/** Where each model input comes from, as for the float `fuzzy` controller (no integrating outputs). */
export interface SugenoInputSpec {
  signal: string;
  reference?: string;
  gain?: number;
  offset?: number;
  derivative?: boolean;
  filter_s?: number;
}
export interface SugenoOutputSpec {
  command: string;
  gain?: number;
  offset?: number;
  initial?: number;
  min?: number;
  max?: number;
}
export interface SugenoFixedSpec {
  readonly engine: Engine;
  readonly inputs: Record<string, SugenoInputSpec>;
  readonly outputs: Record<string, SugenoOutputSpec>;
  /** Converter of every signal the model reads (what the firmware receives as counts). */
  readonly sensors: Record<string, SensorConverter>;
  readonly actuators: Record<string, ActuatorConverter>;
  readonly Ts: number;
}

function actuatorScale(a: ActuatorConverter): { U: number; U0: number; lo: number; hi: number } {
  if (a.kind === 'digital') return { U: a.lsb, U0: 0, lo: Math.round(a.min / a.lsb), hi: Math.round(a.max / a.lsb) };
  const top = 2 ** a.bits - 1;
  return { U: (a.max - a.min) / top, U0: a.min, lo: 0, hi: top };
}

const q16 = (v: number) => Math.max(-FX_SAT, Math.min(FX_SAT, Math.round(v * 65536)));

/** Compiles the model and its wiring into the integer tables SugenoFixed and the C generator share. */
export function compileSugenoFixed(spec: SugenoFixedSpec): { model: SugenoFixedModel; signals: string[]; refs: string[]; commands: string[] } {
  const { engine } = spec;
  const signals: string[] = [];
  const refs: string[] = [];
  const commands: string[] = [];
  const index = (list: string[], name: string) => (list.includes(name) ? list.indexOf(name) : list.push(name) - 1);
  const inputs: SugenoInputMap[] = [];
  const kr: Coefficient[] = [];
  const refOffset_u: number[] = [];
  for (const v of engine.inputs) {
    const s = spec.inputs[v.name];
    if (!s) throw new ParamError('inputs', `no source for the model input '${v.name}'`);
    const conv = spec.sensors[s.signal];
    if (!conv) throw new ParamError('sensors', `no converter for signal '${s.signal}' (give { "bits", "vref", "gain", "offset" })`);
    if ((s.filter_s ?? 0) !== 0 && !s.derivative) throw new ParamError(`inputs.${v.name}.filter_s`, 'only derivative inputs are filtered');
    const G = sensorLsb(conv);
    const gain = s.gain ?? 1;
    const offset = s.offset ?? 0;
    const sensor = index(signals, s.signal);
    const ref = s.reference === undefined ? -1 : index(refs, s.reference);
    let A: number;
    let B: number;
    if (s.derivative) {
      // x is Q8 counts per control period of the signal or the error; the offsets drop out.
      A = (gain * G) / (256 * spec.Ts);
      B = 0;
    } else {
      A = (gain * G) / 16;
      B = ref >= 0 ? offset : gain * conv.offset + offset;
    }
    const tau = s.filter_s ?? 0;
    inputs.push({
      name: v.name,
      kind: s.derivative ? 'derivative' : ref >= 0 ? 'error' : 'signal',
      sensor,
      ref,
      A,
      B,
      beta: quantize(spec.Ts / (tau + spec.Ts), 15, 0),
    });
    kr.push(ref >= 0 ? quantize(16 / (G * MICRO_PER_UNIT), 40, 0) : { m: 0, shift: 0, value: 0 });
    refOffset_u.push(ref >= 0 ? Math.round(conv.offset * MICRO_PER_UNIT) : 0);
  }
  const terms = engine.inputs.map((v, i) =>
    v.terms.map((t) => termInX(t.kind, t.params, t.height, inputs[i].A, inputs[i].B, `input '${v.name}', term '${t.name}'`)),
  );

  const outputs: SugenoOutputMap[] = [];
  const consequentIndex: Map<string, number>[] = [];
  engine.outputs.forEach((v) => {
    const s = spec.outputs[v.name];
    if (!s) throw new ParamError('outputs', `the model output '${v.name}' drives no command`);
    const d = v.defuzzifier;
    if (!d || (d.kind !== 'WeightedAverage' && d.kind !== 'WeightedSum') || d.type === 'Tsukamoto') {
      throw new ParamError('model', `output '${v.name}': fixed point needs a Takagi-Sugeno WeightedAverage or WeightedSum defuzzifier`);
    }
    const conv = spec.actuators[s.command];
    if (!conv) throw new ParamError('actuators', `no converter for command '${s.command}'`);
    const { U, U0, lo, hi } = actuatorScale(conv);
    const gain = s.gain ?? 1;
    const offset = s.offset ?? 0;
    const names = new Map<string, number>();
    const consequents: SugenoConsequent[] = v.terms.map((t, ci) => {
      names.set(t.name, ci);
      if (t.kind === 'Constant') return { k: inputs.map(() => ({ m: 0, shift: 0, value: 0 })), k0: q16((gain * t.params[0] + offset - U0) / U) };
      if (t.kind === 'Linear') {
        const n = inputs.length;
        if (t.params.length !== n && t.params.length !== n + 1) throw new ParamError('model', `output '${v.name}', term '${t.name}': Linear needs ${n} or ${n + 1} coefficients`);
        const c0 = t.params.length > n ? t.params[n] : 0;
        let constant = c0;
        const k = inputs.map((inp, j) => {
          constant += t.params[j] * inp.B;
          return quantize(((gain * t.params[j] * inp.A) / U) * 65536, 30, -30);
        });
        return { k, k0: q16((gain * constant + offset - U0) / U) };
      }
      throw new ParamError('model', `output '${v.name}', term '${t.name}': ${t.kind} consequents are not Takagi-Sugeno (Constant or Linear)`);
    });
    consequentIndex.push(names);
    const cmin = s.min ?? -Infinity;
    const cmax = s.max ?? Infinity;
    const initial = s.initial ?? offset;
    const initialCounts = Math.min(hi, Math.max(lo, Math.round((Math.min(cmax, Math.max(cmin, initial)) - U0) / U)));
    outputs.push({
      name: v.name,
      actuator: index(commands, s.command),
      weightedSum: d.kind === 'WeightedSum',
      consequents,
      min_q16: Number.isFinite(cmin) ? q16((cmin - U0) / U) : -FX_SAT,
      max_q16: Number.isFinite(cmax) ? q16((cmax - U0) / U) : FX_SAT,
      actMin: lo,
      actMax: hi,
      initialCounts,
    });
  });

  const rules: SugenoRule[] = [];
  for (const block of engine.ruleBlocks) {
    if (!block.enabled) continue;
    if (block.conjunction !== null && block.conjunction !== 'Minimum' && block.conjunction !== 'AlgebraicProduct') {
      throw new ParamError('model', `rule block '${block.name}': conjunction ${block.conjunction} is not supported in fixed point (Minimum, AlgebraicProduct)`);
    }
    for (const r of block.rules) {
      const parsed = parseRule(r, engine);
      const props = conjunctionOf(parsed.antecedent, r.text).map((p) => {
        const input = engine.inputs.findIndex((v) => v.name === p.variable);
        if (input < 0) throw new ParamError('model', `rule '${r.text}': '${p.variable}' is not an input`);
        return { input, term: engine.inputs[input].terms.findIndex((t) => t.name === p.term), not: p.not };
      });
      const conclusion = engine.outputs.map((o, oi) => {
        const c = parsed.consequent.find((x) => x.variable === o.name);
        if (!c) return -1;
        if (c.hedges.length) throw new ParamError('model', `rule '${r.text}': hedges in the consequent are not supported in fixed point`);
        return consequentIndex[oi].get(c.term)!;
      });
      if (!(parsed.weight >= 0 && parsed.weight <= 1)) throw new ParamError('model', `rule '${r.text}': weight must be within 0 … 1`);
      rules.push({ props, product: block.conjunction === 'AlgebraicProduct', weight: Math.round(parsed.weight * MU_ONE), conclusion });
    }
  }
  if (rules.length > 128) throw new ParamError('model', `${rules.length} rules: fixed point supports at most 128`);
  return { model: { inputs, terms, rules, outputs, kr, refOffset_u }, signals, refs, commands };
}

/** `sugeno-fixed` as a Controller: engineering units at the contract, counts inside (like pid-fixed). */
export class SugenoFixedController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[];
  readonly outputs: readonly string[];
  readonly fixed: SugenoFixed;
  private readonly counts: Int32Array;
  private readonly refs_u: Int32Array;
  private readonly act: Int32Array;
  private readonly lsb: Float64Array;
  private readonly off: Float64Array;
  private readonly max: Int32Array;
  private readonly U: Float64Array;
  private readonly U0: Float64Array;

  constructor(readonly spec: SugenoFixedSpec) {
    const { model, signals, refs, commands } = compileSugenoFixed(spec);
    this.inputs = signals;
    this.references = refs;
    this.outputs = commands;
    this.fixed = new SugenoFixed(model);
    this.counts = new Int32Array(signals.length);
    this.refs_u = new Int32Array(refs.length);
    this.act = new Int32Array(commands.length);
    this.lsb = Float64Array.from(signals, (s) => sensorLsb(spec.sensors[s]));
    this.off = Float64Array.from(signals, (s) => spec.sensors[s].offset);
    this.max = Int32Array.from(signals, (s) => 2 ** spec.sensors[s].bits - 1);
    this.U = Float64Array.from(commands, (c) => actuatorScale(spec.actuators[c]).U);
    this.U0 = Float64Array.from(commands, (c) => actuatorScale(spec.actuators[c]).U0);
  }

  reset(): void {
    this.fixed.reset();
  }

  update(y: Float64Array, ref: Float64Array, _t: number, u: Float64Array): void {
    for (let i = 0; i < this.counts.length; i++) {
      const c = Math.round((y[i] - this.off[i]) / this.lsb[i]);
      this.counts[i] = c < 0 ? 0 : c > this.max[i] ? this.max[i] : c;
    }
    for (let j = 0; j < this.refs_u.length; j++) this.refs_u[j] = Math.round(ref[j] * MICRO_PER_UNIT);
    this.fixed.step(this.counts, this.refs_u, this.act);
    for (let k = 0; k < this.act.length; k++) u[k] = this.U0[k] + this.act[k] * this.U[k];
  }
}

function record(p: Record<string, unknown>, key: string): Record<string, Record<string, unknown>> {
  const v = p[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParamError(key, 'expected an object keyed by name');
  return v as Record<string, Record<string, unknown>>;
}

export const sugenoFixedFactory: ControllerFactory = {
  type: 'sugeno-fixed',
  description: 'Takagi-Sugeno fuzzy model (.fll/.fis) in fixed point on converter counts, as the generated AVR firmware runs it',
  create(p, ctx) {
    if (typeof p.model !== 'string' || p.model === '') throw new ParamError('model', 'expected the path of a .fll or .fis model file');
    const engine = readModelFile(isAbsolute(p.model) ? p.model : resolve(ctx.baseDir, p.model));
    const sensors: Record<string, SensorConverter> = {};
    const inputs = record(p, 'inputs') as unknown as Record<string, SugenoInputSpec>;
    // Converters the firmware reads: `controller.sensors` where given, else the scenario's ADC channels.
    for (const { signal } of Object.values(inputs)) {
      const ch = ctx.channels?.[signal];
      if (ch?.kind === 'adc' && Number.isInteger(ch.bits) && ch.bits <= 11) {
        sensors[signal] = { kind: 'adc', bits: ch.bits, vref: ch.vref, lsb: 1, gain: ch.gain, offset: ch.offset };
      }
    }
    for (const [name, s] of Object.entries(p.sensors === undefined ? {} : record(p, 'sensors'))) {
      const bits = s.bits;
      if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 1 || bits > 11) throw new ParamError(`sensors.${name}.bits`, 'expected a whole number 1 … 11');
      if (typeof s.vref !== 'number' || typeof s.gain !== 'number' || s.gain <= 0) throw new ParamError(`sensors.${name}`, 'expected numbers vref and gain > 0');
      sensors[name] = { kind: 'adc', bits, vref: s.vref, lsb: 1, gain: s.gain, offset: typeof s.offset === 'number' ? s.offset : 0 };
    }
    const outputs = record(p, 'outputs') as unknown as Record<string, SugenoOutputSpec>;
    const actuators: Record<string, ActuatorConverter> = {};
    const acts = p.actuators === undefined ? {} : record(p, 'actuators');
    for (const o of Object.values(outputs)) {
      const limits = ctx.outputLimits[o.command];
      if (!limits) throw new ParamError('outputs', `no actuator named '${o.command}' in the scenario`);
      const ch = ctx.channels?.[o.command];
      const a = acts[o.command] ?? (ch ? { kind: ch.kind, bits: ch.bits, lsb: ch.lsb } : {});
      actuators[o.command] = {
        kind: (a.kind as 'pwm' | 'digital' | undefined) ?? 'pwm',
        min: limits[0],
        max: limits[1],
        bits: typeof a.bits === 'number' ? a.bits : 8,
        lsb: typeof a.lsb === 'number' ? a.lsb : 1,
      };
    }
    return new SugenoFixedController({ engine, inputs, outputs, sensors, actuators, Ts: ctx.Ts });
  },
};
