/**
 * Units of recorded signals and metrics keys, from the name-suffix convention of docs/formats.md
 * (`x_m`, `i_A`, `T_brain_C`, `rtt_p50_us`, `i_cmd_A_counts`): the last `_<unit>` of a name.
 * run.meta.json's `units` take precedence where a run wrote them.
 */
const SUFFIX_UNITS: Readonly<Record<string, string>> = {
  s: 's',
  ms: 'ms',
  us: 'µs',
  m: 'm',
  mm: 'mm',
  mps: 'm/s',
  mps2: 'm/s²',
  rad: 'rad',
  radps: 'rad/s',
  deg: '°',
  A: 'A',
  V: 'V',
  W: 'W',
  J: 'J',
  Wh: 'Wh',
  Wpm2: 'W/m²',
  C: '°C',
  C_per_min: '°C/min',
  kg: 'kg',
  N: 'N',
  Npm: 'N/m',
  NpA: 'N/A',
  Hz: 'Hz',
  sps: 'steps/s',
  pct: '%',
  counts: 'counts',
};

/** Spellings of run.meta.json / SignalInfo units shown in their usual typography ('1' is dimensionless). */
const PRETTY: Readonly<Record<string, string>> = { degC: '°C', deg: '°', 'W/m^2': 'W/m²', '1': '' };

export function prettyUnit(unit: string): string {
  return PRETTY[unit] ?? unit;
}

/** The unit a name's suffix declares, or undefined when the name carries none (`nav_status`, `y`). */
export function unitFromSuffix(name: string): string | undefined {
  // Longest suffix first, so `rate_C_per_min` is °C/min and not min.
  const parts = name.split('_');
  for (let i = 1; i < parts.length; i++) {
    const unit = SUFFIX_UNITS[parts.slice(i).join('_')];
    if (unit !== undefined) return unit;
  }
  return undefined;
}

/** A column's unit: the run's declared unit if any, else its suffix; '' for dimensionless. */
export function columnUnit(name: string, declared?: Readonly<Record<string, string>>): string | undefined {
  const d = declared?.[name];
  if (d !== undefined) return prettyUnit(d);
  return unitFromSuffix(name);
}

/** `u` raised to `power` (1 or 2), in parentheses when it is itself a compound (`(m/s)²`). */
function powerOf(u: string, power: number): string {
  if (power === 1) return u;
  const base = /[/·]/.test(u) ? `(${u})` : u;
  return `${base}${power === 2 ? '²' : `^${power}`}`;
}

/**
 * The unit of ∫ u^power · t^timePower dt: IAE of metres is m·s, ISE m²·s, ITAE m·s².
 * A dimensionless signal gives s, s, s².
 */
export function integralUnit(u: string, power: number, timePower = 0): string {
  const t = timePower === 0 ? 's' : `s${timePower + 1 === 2 ? '²' : `^${timePower + 1}`}`;
  return u ? `${powerOf(u, power)}·${t}` : t;
}
