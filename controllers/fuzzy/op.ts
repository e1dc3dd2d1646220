/**
 * fuzzylite's tolerant comparisons (fl::Operation, macheps 1e-6). Matching them exactly is what makes
 * memberships at breakpoints and the "does this rule fire" test agree with the reference engine.
 */
export const MACHEPS = 1e-6;

export function isEq(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) < MACHEPS || (a !== a && b !== b);
}
export function isLt(a: number, b: number): boolean {
  return !(a === b || Math.abs(a - b) < MACHEPS || (a !== a && b !== b)) && a < b;
}
export function isLE(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) < MACHEPS || (a !== a && b !== b) || a < b;
}
export function isGt(a: number, b: number): boolean {
  return !(a === b || Math.abs(a - b) < MACHEPS || (a !== a && b !== b)) && a > b;
}
export function isGE(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) < MACHEPS || (a !== a && b !== b) || a > b;
}
/** NaN-ignoring minimum (fl::Op::min). */
export function fmin(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return a < b ? a : b;
}
/** NaN-ignoring maximum (fl::Op::max). */
export function fmax(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return a > b ? a : b;
}
export function bound(x: number, min: number, max: number): number {
  if (x > max) return max;
  if (x < min) return min;
  return x;
}
export function scale(x: number, fromMin: number, fromMax: number, toMin: number, toMax: number): number {
  return ((toMax - toMin) / (fromMax - fromMin)) * (x - fromMin) + toMin;
}
