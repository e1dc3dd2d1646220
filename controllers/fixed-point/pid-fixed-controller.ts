import type { ChannelDescription, Controller, ControllerFactory } from '../controller.ts';
import { number, optionalNumber, optionalString, ParamError, string } from '../params.ts';
import type { AntiWindup } from '../pid/pid.ts';
import { PidFixed, pidFixedCoefficients, type PidFixedSpec, type SensorConverter } from './pid-fixed.ts';
import { MICRO_PER_UNIT } from '../../protocol/frames.ts';

/**
 * `pid-fixed` as a Controller: engineering units at the contract, counts inside. The measurement
 * is turned back into the exact sensor counts it came from, the reference into the micro-units an
 * S frame carries (Math.round(ref·10⁶)), and the actuator counts into the command that
 * `actuatorCounts` maps back onto the same counts — so `hilbench run` and the board agree bit for bit.
 */
export class PidFixedController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[];
  readonly outputs: readonly string[];
  readonly pid: PidFixed;

  constructor(
    names: { input: string; reference: string; output: string },
    readonly spec: PidFixedSpec,
  ) {
    this.inputs = [names.input];
    this.references = [names.reference];
    this.outputs = [names.output];
    this.pid = new PidFixed(pidFixedCoefficients(spec));
  }

  reset(): void {
    this.pid.reset();
  }

  update(y: Float64Array, ref: Float64Array, _t: number, u: Float64Array): void {
    const k = this.pid.k;
    let yc = Math.round((y[0] - this.spec.sensor.offset) / k.sensorLsb);
    yc = yc < 0 ? 0 : yc > k.sensorMax ? k.sensorMax : yc;
    const counts = this.pid.step(yc, Math.round(ref[0] * MICRO_PER_UNIT));
    u[0] = k.actuatorOffset + counts * k.actuatorLsb;
  }
}

/** The converter the firmware reads: `controller.sensor` if given, else the scenario's ADC channel of that name. */
function sensorConverter(p: Record<string, unknown>, channel: ChannelDescription | undefined): SensorConverter {
  const s = p.sensor;
  if (s === undefined && channel?.kind === 'adc') {
    if (!Number.isInteger(channel.bits) || channel.bits > 11) throw new ParamError('input', `the sensor channel has ${channel.bits} bits; the firmware reads 1 … 11`);
    return { kind: 'adc', bits: channel.bits, vref: channel.vref, lsb: 1, gain: channel.gain, offset: channel.offset };
  }
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    throw new ParamError('sensor', 'expected the converter the firmware reads, e.g. { "bits": 10, "vref": 5, "gain": 0.003, "offset": 0 }');
  }
  const o = s as Record<string, unknown>;
  const sub = (key: string) => ({ [key]: o[key] });
  const bits = number(sub('bits'), 'bits');
  if (!Number.isInteger(bits) || bits < 1 || bits > 11) throw new ParamError('sensor.bits', `expected a whole number 1 … 11, got ${bits}`);
  return {
    kind: 'adc',
    bits,
    vref: number(sub('vref'), 'vref'),
    lsb: 1,
    gain: number(sub('gain'), 'gain'),
    offset: o.offset === undefined ? 0 : number(sub('offset'), 'offset'),
  };
}

export const pidFixedFactory: ControllerFactory = {
  type: 'pid-fixed',
  description: 'the PID in fixed point on converter counts, exactly as the generated AVR firmware computes it',
  create(p, ctx) {
    const output = string(p, 'output');
    const limits = ctx.outputLimits[output];
    if (!limits) throw new ParamError('output', `no actuator named '${output}' in the scenario`);
    // The actuator converter: `controller.actuator` if given, else the scenario's channel of that name.
    const channel = ctx.channels?.[output];
    const act = (p.actuator as Record<string, unknown> | undefined) ?? (channel ? { kind: channel.kind, bits: channel.bits, lsb: channel.lsb } : undefined);
    const kind = (act?.kind ?? 'pwm') as 'pwm' | 'digital';
    const bits = act?.bits === undefined ? 8 : number(act, 'bits');
    const spec: PidFixedSpec = {
      kp: number(p, 'kp'),
      ki: number(p, 'ki'),
      kd: number(p, 'kd'),
      N: optionalNumber(p, 'N') ?? 10,
      Tf_s: optionalNumber(p, 'Tf_s'),
      b: optionalNumber(p, 'b') ?? 1,
      c: optionalNumber(p, 'c') ?? 0,
      bias: optionalNumber(p, 'bias') ?? 0,
      outMin: optionalNumber(p, 'outMin') ?? limits[0],
      outMax: optionalNumber(p, 'outMax') ?? limits[1],
      antiWindup: (optionalString(p, 'antiWindup', ['clamp', 'conditional', 'back-calculation', 'none']) ?? 'conditional') as AntiWindup,
      integration: (optionalString(p, 'integration', ['backward', 'forward']) ?? 'backward') as 'backward' | 'forward',
      Tt_s: optionalNumber(p, 'Tt_s'),
      direction: (optionalString(p, 'direction', ['direct', 'reverse']) ?? 'direct') as 'direct' | 'reverse',
      Ts: ctx.Ts,
      sensor: sensorConverter(p, ctx.channels?.[string(p, 'input')]),
      actuator: { kind, min: limits[0], max: limits[1], bits, lsb: act?.lsb === undefined ? 1 : number(act, 'lsb') },
    };
    for (const g of ['kp', 'ki', 'kd'] as const) {
      if (spec[g] < 0) throw new ParamError(g, `must be ≥ 0 (got ${spec[g]}); use 'direction' for the sign`);
    }
    if (!(spec.outMin < spec.outMax)) throw new ParamError('outMin', `output limits need outMin < outMax (got ${spec.outMin}, ${spec.outMax})`);
    try {
      return new PidFixedController({ input: string(p, 'input'), reference: string(p, 'reference'), output }, spec);
    } catch (e) {
      throw new ParamError('type', `pid-fixed: ${(e as Error).message}`);
    }
  },
};
