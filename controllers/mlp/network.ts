import { fromUnit, toUnit, type MinMax } from './normalise.ts';

/**
 * A multilayer perceptron: tansig hidden layers, a linear output layer (MATLAB's `feedforwardnet`
 * shape). Inputs and targets are mapped onto [−1, 1] (`mapminmax`) before the network sees them.
 *
 * All weights live in one flat vector so that Levenberg–Marquardt can treat them as one parameter
 * vector: layer l stores its weight matrix row-major (neuron × input) followed by its biases.
 */
export class Mlp {
  /** Layer sizes, inputs first, e.g. [1, 8, 8, 1]. */
  readonly sizes: readonly number[];
  readonly weights: Float64Array;
  /** Offset of layer l's weight matrix (l = 1 … L) in `weights`; index 0 unused. */
  readonly wOffset: readonly number[];
  /** Offset of layer l's bias vector. */
  readonly bOffset: readonly number[];
  inputScale: MinMax;
  outputScale: MinMax;
  /** Activations per layer (0 = normalised input), reused by every forward pass. */
  readonly activations: Float64Array[];

  constructor(sizes: readonly number[], inputScale?: MinMax, outputScale?: MinMax) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new Error(`layer sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
    }
    this.sizes = [...sizes];
    const wOffset = [0];
    const bOffset = [0];
    let p = 0;
    for (let l = 1; l < sizes.length; l++) {
      wOffset.push(p);
      p += sizes[l] * sizes[l - 1];
      bOffset.push(p);
      p += sizes[l];
    }
    this.wOffset = wOffset;
    this.bOffset = bOffset;
    this.weights = new Float64Array(p);
    this.activations = sizes.map((s) => new Float64Array(s));
    const unit = (n: number): MinMax => ({ min: new Array(n).fill(-1), max: new Array(n).fill(1) });
    this.inputScale = inputScale ?? unit(sizes[0]);
    this.outputScale = outputScale ?? unit(sizes[sizes.length - 1]);
  }

  get nInputs(): number {
    return this.sizes[0];
  }

  get nOutputs(): number {
    return this.sizes[this.sizes.length - 1];
  }

  get nLayers(): number {
    return this.sizes.length - 1;
  }

  /**
   * Forward pass in normalised units with the given weight vector: reads `activations[0]`, fills
   * every later layer. Allocates nothing.
   */
  forwardUnit(w: Float64Array = this.weights): Float64Array {
    const L = this.sizes.length - 1;
    for (let l = 1; l <= L; l++) {
      const a = this.activations[l - 1];
      const z = this.activations[l];
      const nIn = this.sizes[l - 1];
      const nOut = this.sizes[l];
      const wo = this.wOffset[l];
      const bo = this.bOffset[l];
      for (let i = 0; i < nOut; i++) {
        let s = w[bo + i];
        const row = wo + i * nIn;
        for (let j = 0; j < nIn; j++) s += w[row + j] * a[j];
        // tansig(n) = 2/(1 + e^−2n) − 1 is tanh(n); the output layer is linear.
        z[i] = l < L ? Math.tanh(s) : s;
      }
    }
    return this.activations[L];
  }

  /** Prediction in engineering units; writes `y` (length nOutputs). Allocates nothing. */
  predictInto(x: ArrayLike<number>, y: Float64Array): Float64Array {
    const a0 = this.activations[0];
    for (let j = 0; j < a0.length; j++) a0[j] = toUnit(this.inputScale, j, x[j]);
    const out = this.forwardUnit();
    for (let k = 0; k < out.length; k++) y[k] = fromUnit(this.outputScale, k, out[k]);
    return y;
  }

  /** Convenience form of `predictInto` that returns a new array. */
  predict(x: ArrayLike<number>): number[] {
    return Array.from(this.predictInto(x, new Float64Array(this.nOutputs)));
  }

  clone(): Mlp {
    const m = new Mlp(this.sizes, structuredClone(this.inputScale), structuredClone(this.outputScale));
    m.weights.set(this.weights);
    return m;
  }
}
