/**
 * The integer primitives against an independent exact reference (BigInt, floor division by powers
 * of two), and the coefficient quantiser against its stated error bound.
 */
import { describe, expect, it } from 'vitest';
import { FX_SAT, mul16, mul32, quantize, sat, sat16 } from '../../../controllers/fixed-point/int-math.ts';
import { Xoshiro128 } from '../../../firmware-sim/rng.ts';

const SAT = BigInt(FX_SAT);
function satBig(v: bigint): number {
  return Number(v > SAT ? SAT : v < -SAT ? -SAT : v);
}
/** round(a·m / 2^sh) half up, exactly; negative sh multiplies. */
function refShift(a: number, m: number, sh: number): number {
  const p = BigInt(a) * BigInt(m);
  if (sh <= 0) return satBig(p * (1n << BigInt(-sh)));
  const d = 1n << BigInt(sh);
  const q = p + (d >> 1n);
  // BigInt division truncates toward zero: make it a floor.
  const f = q >= 0n ? q / d : -((-q + d - 1n) / d);
  return satBig(f);
}

describe('fixed-point primitives', () => {
  const rng = new Xoshiro128(5);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  const int16s = [-32768, -32767, -1, 0, 1, 32767];

  it('mul16 equals the exact rounded, saturated product for every shift it is used with', () => {
    for (let k = 0; k < 20000; k++) {
      const a = k < 36 ? int16s[k % 6] : int(-32768, 32767);
      const m = k < 36 ? int16s[Math.floor(k / 6)] : int(-32768, 32767);
      const sh = int(-30, 30);
      expect(mul16(a, m, sh)).toBe(refShift(a, m, sh));
    }
  });

  it('mul32 equals the exact rounded, saturated 64-bit product', () => {
    const int32s = [-2147483648, -FX_SAT, -1, 0, 1, FX_SAT, 2147483647];
    for (let k = 0; k < 20000; k++) {
      const a = k < 49 ? int32s[k % 7] : int(-2147483648, 2147483647);
      const m = k < 49 ? [-32768, -1, 0, 1, 32767, 19098, -21041][Math.floor(k / 7)] : int(-32768, 32767);
      const sh = int(0, 46);
      expect(mul32(a, m, sh)).toBe(refShift(a, m, sh));
    }
  });

  it('saturates at ±(2^29 − 1) and int16', () => {
    expect(sat(2 ** 31)).toBe(536870911);
    expect(sat(-(2 ** 31))).toBe(-536870911);
    expect(sat16(40000)).toBe(32767);
    expect(sat16(-40000)).toBe(-32768);
    // Four saturated Q16 terms add up inside int32, as the C relies on.
    expect(4 * FX_SAT).toBeLessThan(2 ** 31);
  });

  it('quantize keeps an int16 mantissa with relative error ≤ 2^−15', () => {
    for (const k of [1, -1, 0.5, 1.284, -5260.25, 0.0155, 7.486e-3, 123456.7, 1e-7, 0.58282]) {
      const q = quantize(k, 46, -30);
      expect(Math.abs(q.m)).toBeLessThanOrEqual(32767);
      expect(q.value).toBe(q.m * 2 ** -q.shift);
      expect(Math.abs(q.value - k) / Math.abs(k)).toBeLessThanOrEqual(2 ** -15);
    }
    expect(quantize(0, 15)).toEqual({ m: 0, shift: 0, value: 0 });
    // A cap on the shift trades precision for range, as requested.
    expect(quantize(1e-7, 15).m).toBe(0);
    expect(() => quantize(1e12, 30, 0)).toThrow(/too large/);
  });
});
