/**
 * Integer arithmetic shared, operation for operation, by the fixed-point controllers here and the
 * C they are generated into (boards/firmware/templates/fixed_point.h). Every value is a whole number
 * held in a double; every operation below is exact in double precision (|products| < 2^53) and
 * reproduces avr-gcc's results: arithmetic right shifts round toward −∞ (GCC's documented
 * behaviour for signed >>), products are formed in 32 or 64 bits, and results saturate instead of
 * wrapping, so overflow never happens on either side.
 */

/** Saturation bound of every Q16 accumulator: 2^29 − 1, so a sum of four terms fits in int32. */
export const FX_SAT = 536870911;

export function sat(v: number): number {
  return v > FX_SAT ? FX_SAT : v < -FX_SAT ? -FX_SAT : v;
}

export function sat16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/**
 * sat(round(a·m / 2^sh)) for int16 a and m (product exact in int32), rounding half up
 * (C: `(p + (1L << (sh − 1))) >> sh`); a negative `sh` scales up by 2^−sh. 0 ≤ sh ≤ 30.
 */
export function mul16(a: number, m: number, sh: number): number {
  const p = a * m + 0; // + 0: no −0 from 0·(negative)
  if (sh > 0) return sat((p + (1 << (sh - 1))) >> sh);
  if (sh === 0) return sat(p);
  return sat(p * 2 ** -sh);
}

/** sat(round(a·m / 2^sh)) for int32 a and int16 m: the product needs 64 bits in C. 0 ≤ sh ≤ 46. */
export function mul32(a: number, m: number, sh: number): number {
  const p = a * m + 0;
  if (sh === 0) return sat(p);
  return sat(Math.floor((p + 2 ** (sh - 1)) / 2 ** sh));
}

/** A real coefficient as an int16 mantissa and a power-of-two exponent: k ≈ m·2^−shift. */
export interface Coefficient {
  readonly m: number;
  readonly shift: number;
  /** The value the integers represent, m·2^−shift. */
  readonly value: number;
}

/**
 * The finest int16 mantissa for k: the largest shift ≤ maxShift with |round(k·2^shift)| ≤ 32767.
 * Relative error ≤ 2^−15 whenever |k|·2^maxShift ≥ 2^14.
 */
export function quantize(k: number, maxShift: number, minShift = -30): Coefficient {
  if (!Number.isFinite(k)) throw new Error(`coefficient ${k} is not finite`);
  if (k === 0) return { m: 0, shift: 0, value: 0 };
  let shift = Math.min(maxShift, 15 - Math.ceil(Math.log2(Math.abs(k))));
  while (Math.abs(Math.round(k * 2 ** shift)) > 32767) shift--;
  if (shift < minShift) throw new Error(`coefficient ${k} is too large for an int16 mantissa with shift ≥ ${minShift}`);
  const m = Math.round(k * 2 ** shift);
  return { m, shift, value: m * 2 ** -shift };
}
