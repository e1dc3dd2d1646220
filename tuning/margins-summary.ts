import type { StabilityMargins } from './margins.ts';

/** Below this phase margin a loop counts as marginal in the summary (a common design floor). */
export const MIN_PHASE_MARGIN_DEG = 30;

/** Search limit of the gain interval in margins.ts (1.25^31), in dB. */
const GAIN_SEARCH_DB = 20 * Math.log10(1.25 ** 31);

function seconds(s: number): string {
  return s < 1 ? `${Number((s * 1e3).toPrecision(3))} ms` : `${Number(s.toPrecision(3))} s`;
}

/** One line: phase margin at its crossover, delay margin in s and in samples, gain interval, spectral radius. */
export function marginsLine(m: StabilityMargins, Ts_s: number): string {
  const rho = `spectral radius ${Number(m.spectralRadius.toPrecision(5))}`;
  if (!m.stable) return `UNSTABLE linear loop (${rho} ≥ 1)`;
  const pm = Number.isNaN(m.phaseMargin_deg)
    ? 'no gain crossover (phase margin unbounded)'
    : `phase margin ${m.phaseMargin_deg.toFixed(1)}° at ${Number(m.crossover_radps.toPrecision(4))} rad/s`;
  const dm = Number.isFinite(m.delayMargin_s) ? `delay margin ${seconds(m.delayMargin_s)} = ${(m.delayMargin_s / Ts_s).toFixed(2)} Ts` : 'delay margin n/a';
  const lo = Number.isNaN(m.gainMarginLower_dB) ? `< −${GAIN_SEARCH_DB.toFixed(0)}` : m.gainMarginLower_dB.toFixed(1).replace('-', '−');
  const hi = Number.isNaN(m.gainMarginUpper_dB) ? `> +${GAIN_SEARCH_DB.toFixed(0)}` : `+${m.gainMarginUpper_dB.toFixed(1)}`;
  return `${pm}, ${dm}, gain interval ${lo} … ${hi} dB, ${rho}`;
}

/**
 * The warning for a tuned loop too close to instability to take to the rig, or undefined:
 * unstable, a delay margin under one sample period, or a phase margin under 30°.
 */
export function marginsWarning(m: StabilityMargins, Ts_s: number): string | undefined {
  if (!m.stable) return `the tuned loop's linear model is unstable (spectral radius ${Number(m.spectralRadius.toPrecision(5))}): on the rig it will not hold the operating point`;
  const short = Number.isFinite(m.delayMargin_s) && m.delayMargin_s < Ts_s;
  const thin = m.phaseMargin_deg < MIN_PHASE_MARGIN_DEG;
  if (!short && !thin) return undefined;
  const why = [
    ...(short ? [`delay margin ${seconds(m.delayMargin_s)} < Ts = ${seconds(Ts_s)}`] : []),
    ...(thin ? [`phase margin ${m.phaseMargin_deg.toFixed(1)}° < ${MIN_PHASE_MARGIN_DEG}°`] : []),
  ].join(', ');
  const meaning = short
    ? 'one sample more latency on the rig than simulated (a late ADC read, a slow interrupt, a serial hop) makes it unstable'
    : 'expect ringing on the rig and little room for plant mismatch or extra latency';
  return `the tuned loop is marginal (${why}): ${meaning}`;
}

/** Summary lines for default and tuned margins; empty-handed scenarios get one line saying so. */
export function marginsLines(margins: { default?: StabilityMargins; tuned?: StabilityMargins }, Ts_s: number, labels = { default: 'default', tuned: 'tuned' }): string[] {
  const { default: d, tuned: t } = margins;
  if (!d || !t) return ['  margins: no linear PID loop for this scenario (maglev in current mode or the first-order plant, with a pid controller)'];
  const w = Math.max(labels.default.length, labels.tuned.length) + 1;
  const warning = marginsWarning(t, Ts_s);
  return [
    `  margins (${t.source}, Ts = ${seconds(Ts_s)}):`,
    `    ${`${labels.default}:`.padEnd(w)} ${marginsLine(d, Ts_s)}`,
    `    ${`${labels.tuned}:`.padEnd(w)} ${marginsLine(t, Ts_s)}`,
    ...(warning ? [`  WARNING: ${warning}`] : []),
  ];
}
