/** Numbers in model files: shortest round-trip form, with fuzzylite's spellings of the non-finite values. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '0';
  return String(x);
}

/** Parses one number token (`nan`, `inf`, `-inf` too); undefined when it is not a number. */
export function readNumber(token: string): number | undefined {
  const l = token.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(token)) return undefined;
  return Number(token);
}
