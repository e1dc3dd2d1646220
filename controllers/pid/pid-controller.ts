import type { Controller, ControllerFactory } from '../controller.ts';
import { Pid, type PidOptions } from './pid.ts';
import { number, optionalNumber, optionalString, string } from '../params.ts';

/** A single-loop PID as a `Controller`: one measurement, one reference, one command. */
export class PidController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[];
  readonly outputs: readonly string[];
  readonly pid: Pid;

  constructor(names: { input: string; reference: string; output: string }, options: PidOptions) {
    this.inputs = [names.input];
    this.references = [names.reference];
    this.outputs = [names.output];
    this.pid = new Pid(options);
  }

  reset(): void {
    this.pid.reset();
  }

  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void {
    u[0] = this.pid.update(ref[0], y[0], t);
  }
}

export const pidFactory: ControllerFactory = {
  type: 'pid',
  description: 'discrete PID: filtered derivative, setpoint weights, anti-windup, bumpless transfer',
  create(p, ctx) {
    const antiWindup = optionalString(p, 'antiWindup', ['clamp', 'conditional', 'back-calculation', 'none']);
    const integration = optionalString(p, 'integration', ['backward', 'forward']);
    const direction = optionalString(p, 'direction', ['direct', 'reverse']);
    const output = string(p, 'output');
    // Output limits default to the actuator's range, so anti-windup knows when the actuator saturates.
    const limits = ctx.outputLimits[output];
    return new PidController(
      { input: string(p, 'input'), reference: string(p, 'reference'), output },
      {
        kp: number(p, 'kp'),
        ki: number(p, 'ki'),
        kd: number(p, 'kd'),
        N: optionalNumber(p, 'N'),
        Tf_s: optionalNumber(p, 'Tf_s'),
        b: optionalNumber(p, 'b'),
        c: optionalNumber(p, 'c'),
        outMin: optionalNumber(p, 'outMin') ?? limits?.[0],
        outMax: optionalNumber(p, 'outMax') ?? limits?.[1],
        antiWindup: antiWindup as PidOptions['antiWindup'],
        integration: integration as PidOptions['integration'],
        Tt_s: optionalNumber(p, 'Tt_s'),
        direction: direction as PidOptions['direction'],
        bias: optionalNumber(p, 'bias'),
        Ts_s: ctx.Ts,
      },
    );
  },
};
