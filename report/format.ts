/**
 * One number format for the terminal summary and report.html: 4 significant digits, plain decimals
 * from 0.001 up to 10000, engineering notation (exponent a multiple of 3, so it reads as m/µ/n or
 * k/M) outside; integers as they are. Trailing zeros are dropped (0.021, not 0.02100).
 */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) {
    const plain = v.toPrecision(digits);
    if (!plain.includes('e')) return trimZeros(plain); // 9999.96 rounds to 1.000e+4: engineering below
  }
  let exp = Math.floor(Math.log10(a) / 3) * 3;
  let mant = v / 10 ** exp;
  // Rounding can carry the mantissa to 1000 (999.96e-6 → 1000e-6): move to the next exponent.
  if (Math.abs(Number(mant.toPrecision(digits))) >= 1000) {
    exp += 3;
    mant = v / 10 ** exp;
  }
  return `${trimZeros(mant.toPrecision(digits))}e${exp}`;
}

function trimZeros(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/** A value with its unit, `—` for null/undefined; strings pass through. */
export function formatWithUnit(v: number | string | null | undefined, unit?: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  const n = formatNumber(v);
  return unit ? `${n} ${unit}` : n;
}
