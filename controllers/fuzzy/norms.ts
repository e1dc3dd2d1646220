import { fmax, fmin, isEq, isGt, isLt } from './op.ts';

/** T-norms (conjunction, implication) and S-norms (disjunction, aggregation) by fuzzylite class name. */
export const TNORMS = [
  'Minimum',
  'AlgebraicProduct',
  'BoundedDifference',
  'DrasticProduct',
  'EinsteinProduct',
  'HamacherProduct',
  'NilpotentMinimum',
] as const;
export type TNormName = (typeof TNORMS)[number];

export const SNORMS = [
  'Maximum',
  'AlgebraicSum',
  'BoundedSum',
  'DrasticSum',
  'EinsteinSum',
  'HamacherSum',
  'NilpotentMaximum',
  'NormalizedSum',
  'UnboundedSum',
] as const;
export type SNormName = (typeof SNORMS)[number];

export function tnormCode(name: TNormName): number {
  return TNORMS.indexOf(name);
}
export function snormCode(name: SNormName): number {
  return SNORMS.indexOf(name);
}

/** T-norm by code (index in TNORMS); formulas and operation order as fuzzylite 6. */
export function tnorm(code: number, a: number, b: number): number {
  switch (code) {
    case 0:
      return fmin(a, b);
    case 1:
      return a * b;
    case 2:
      return fmax(0.0, a + b - 1.0);
    case 3:
      return isEq(fmax(a, b), 1.0) ? fmin(a, b) : 0.0;
    case 4:
      return (a * b) / (2.0 - (a + b - a * b));
    case 5:
      return isEq(a + b, 0.0) ? 0.0 : (a * b) / (a + b - a * b);
    case 6:
      return isGt(a + b, 1.0) ? fmin(a, b) : 0.0;
    default:
      return NaN;
  }
}

/** S-norm by code (index in SNORMS). */
export function snorm(code: number, a: number, b: number): number {
  switch (code) {
    case 0:
      return fmax(a, b);
    case 1:
      return a + b - a * b;
    case 2:
      return fmin(1.0, a + b);
    case 3:
      return isEq(fmin(a, b), 0.0) ? fmax(a, b) : 1.0;
    case 4:
      return (a + b) / (1.0 + a * b);
    case 5:
      return isEq(a * b, 1.0) ? 1.0 : (a + b - 2.0 * a * b) / (1.0 - a * b);
    case 6:
      return isLt(a + b, 1.0) ? fmax(a, b) : 1.0;
    case 7:
      return (a + b) / fmax(1.0, a + b);
    case 8:
      return a + b;
    default:
      return NaN;
  }
}
