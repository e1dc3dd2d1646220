import type { Controller, ControllerFactory } from './controller.ts';
import { numberArray, stringArray } from './params.ts';

/** Constant commands, no feedback: for open-loop experiments and plant checks. */
export class OpenLoopController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[] = [];
  readonly outputs: readonly string[];
  constructor(inputs: readonly string[], outputs: readonly string[], private readonly values: readonly number[]) {
    this.inputs = inputs;
    this.outputs = outputs;
  }
  reset(): void {}
  update(_y: Float64Array, _ref: Float64Array, _t: number, u: Float64Array): void {
    for (let j = 0; j < u.length; j++) u[j] = this.values[j];
  }
}

export const openLoopFactory: ControllerFactory = {
  type: 'open-loop',
  description: 'constant commands, no feedback',
  create(p) {
    const outputs = stringArray(p, 'outputs');
    const values = numberArray(p, 'values');
    if (values.length !== outputs.length) throw new Error(`controller.values: expected ${outputs.length} values, one per output`);
    return new OpenLoopController(p.inputs === undefined ? [] : stringArray(p, 'inputs'), outputs, values);
  },
};
