import { MF_ARITY, mfValue, type MfType } from './membership.ts';

/**
 * An ANFIS (Jang 1993): a Sugeno fuzzy model with product AND and weighted-average output, whose
 * premise (membership) and consequent parameters are trained. This is the trainer's flat form;
 * `toEngine` turns it into the fuzzy engine's model for evaluation and saving.
 */
export interface AnfisInput {
  name: string;
  range: [number, number];
  /** Membership functions of this input: name, type, offset of its parameters in `premise`. */
  mfs: { name: string; type: MfType; offset: number }[];
}

export class AnfisModel {
  constructor(
    public name: string,
    readonly inputs: AnfisInput[],
    readonly output: { name: string; range: [number, number] },
    /** Rule r uses MF `rules[r][i]` of input i. */
    readonly rules: number[][],
    /** 1: first order (linear consequents p·x + r); 0: constants. */
    readonly order: 0 | 1,
    /** All MF parameters, MATLAB order within each MF. */
    readonly premise: Float64Array,
    /** Per rule: [p1 … pn, r] (order 1) or [r] (order 0). */
    readonly consequent: Float64Array,
  ) {}

  get nInputs(): number {
    return this.inputs.length;
  }
  get nRules(): number {
    return this.rules.length;
  }
  /** Consequent parameters per rule. */
  get nCoef(): number {
    return this.order === 1 ? this.inputs.length + 1 : 1;
  }
  get nPremise(): number {
    return this.premise.length;
  }

  clone(): AnfisModel {
    return new AnfisModel(
      this.name,
      this.inputs.map((v) => ({ name: v.name, range: [v.range[0], v.range[1]], mfs: v.mfs.map((m) => ({ ...m })) })),
      { name: this.output.name, range: [this.output.range[0], this.output.range[1]] },
      this.rules.map((r) => [...r]),
      this.order,
      Float64Array.from(this.premise),
      Float64Array.from(this.consequent),
    );
  }

  /** Copies the trainable parameters of another model with the same structure. */
  copyParameters(from: AnfisModel): void {
    this.premise.set(from.premise);
    this.consequent.set(from.consequent);
  }

  /** Consequent value of rule r at input x. */
  ruleOutput(r: number, x: ArrayLike<number>): number {
    const k = this.nCoef;
    const c = this.consequent;
    const o = r * k;
    if (this.order === 0) return c[o];
    let s = 0;
    for (let i = 0; i < this.inputs.length; i++) s += c[o + i] * x[i];
    return s + c[o + this.inputs.length];
  }

  /**
   * The model's output with MATLAB's semantics (every rule contributes, however weakly): what
   * training minimises. NaN when no rule has a positive firing strength.
   */
  evaluate(x: ArrayLike<number>): number {
    return this.evaluateWith(x, 0);
  }

  /**
   * The output as the fuzzy engine and fuzzylite compute it: a rule fires only when its strength is
   * at least fuzzylite's macheps (1e-6). The difference from `evaluate` is below 1e-6 relative.
   */
  evaluateEngine(x: ArrayLike<number>): number {
    return this.evaluateWith(x, 1e-6);
  }

  private evaluateWith(x: ArrayLike<number>, threshold: number): number {
    let num = 0;
    let den = 0;
    for (let r = 0; r < this.rules.length; r++) {
      const rule = this.rules[r];
      let w = 1;
      for (let i = 0; i < this.inputs.length; i++) {
        const mf = this.inputs[i].mfs[rule[i]];
        w *= mfValue(mf.type, this.premise, mf.offset, x[i]);
      }
      if (threshold > 0 ? !(w > 0 && !(Math.abs(w) < threshold)) : !(w > 0)) continue;
      num += w * this.ruleOutput(r, x);
      den += w;
    }
    return den > 0 ? num / den : NaN;
  }
}

/** Offsets for a list of MF types, packed one after the other. */
export function packMfs(types: MfType[][]): { offsets: number[][]; size: number } {
  let size = 0;
  const offsets = types.map((row) =>
    row.map((t) => {
      const o = size;
      size += MF_ARITY[t];
      return o;
    }),
  );
  return { offsets, size };
}
