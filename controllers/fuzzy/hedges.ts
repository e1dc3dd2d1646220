import { isLE } from './op.ts';

/** Linguistic hedges by fuzzylite name; `any` makes the proposition always true (µ = 1). */
export const HEDGES = ['not', 'very', 'somewhat', 'seldom', 'extremely', 'any'] as const;
export type HedgeName = (typeof HEDGES)[number];

export function hedgeCode(name: HedgeName): number {
  return HEDGES.indexOf(name);
}

/** Hedge by code (index in HEDGES), as fuzzylite 6 (`extremely` and `seldom` are piecewise there). */
export function hedge(code: number, x: number): number {
  switch (code) {
    case 0:
      return 1.0 - x;
    case 1:
      return x * x;
    case 2:
      return Math.sqrt(x);
    case 3:
      return isLE(x, 0.5) ? Math.sqrt(0.5 * x) : 1.0 - Math.sqrt(0.5 * (1.0 - x));
    case 4:
      return isLE(x, 0.5) ? 2.0 * x * x : 1.0 - 2.0 * (1.0 - x) * (1.0 - x);
    case 5:
      return 1.0;
    default:
      return NaN;
  }
}
