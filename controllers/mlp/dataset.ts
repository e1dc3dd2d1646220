import { fitMinMax, toUnit } from './normalise.ts';
import type { Mlp } from './network.ts';

/** Training pairs in engineering units: one row per sample. */
export interface Dataset {
  readonly inputs: readonly (readonly number[])[];
  readonly targets: readonly (readonly number[])[];
}

export function checkDataset(net: Mlp, data: Dataset): void {
  if (data.inputs.length === 0 || data.inputs.length !== data.targets.length) {
    throw new Error(`dataset needs as many target rows as input rows (got ${data.inputs.length} and ${data.targets.length})`);
  }
  data.inputs.forEach((r, n) => {
    if (r.length !== net.nInputs) throw new Error(`input row ${n} has ${r.length} values, the network takes ${net.nInputs}`);
  });
  data.targets.forEach((r, n) => {
    if (r.length !== net.nOutputs) throw new Error(`target row ${n} has ${r.length} values, the network gives ${net.nOutputs}`);
  });
}

/** Sets the network's input/target scaling from a training set (mapminmax). */
export function fitScaling(net: Mlp, data: Dataset): void {
  net.inputScale = fitMinMax(data.inputs);
  net.outputScale = fitMinMax(data.targets);
}

/** The dataset in the network's normalised units, flat row-major. */
export function toUnitArrays(net: Mlp, data: Dataset): { x: Float64Array; t: Float64Array; N: number } {
  const N = data.inputs.length;
  const x = new Float64Array(N * net.nInputs);
  const t = new Float64Array(N * net.nOutputs);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < net.nInputs; j++) x[n * net.nInputs + j] = toUnit(net.inputScale, j, data.inputs[n][j]);
    for (let k = 0; k < net.nOutputs; k++) t[n * net.nOutputs + k] = toUnit(net.outputScale, k, data.targets[n][k]);
  }
  return { x, t, N };
}

/** Mean squared error in engineering units over every output of every sample. */
export function mse(net: Mlp, data: Dataset): number {
  const y = new Float64Array(net.nOutputs);
  let s = 0;
  for (let n = 0; n < data.inputs.length; n++) {
    net.predictInto(data.inputs[n], y);
    for (let k = 0; k < y.length; k++) s += (data.targets[n][k] - y[k]) ** 2;
  }
  return s / (data.inputs.length * net.nOutputs);
}
