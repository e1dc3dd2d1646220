import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { linearModel } from './linear-model.ts';
import { pidLaw, stabilityMargins, type StabilityMargins } from './margins.ts';
import type { Metrics } from './objective.ts';
import { UserError } from '../errors/user-error.ts';

/**
 * Stability margins usable in `--constraint` (and `--objective`), computed per evaluation on the
 * scenario's linear model (tuning/margins.ts) next to the simulated metrics. Larger is safer for
 * every one of them, so they are meant for `name>limit`.
 */
export const marginMetricNames = ['phase_margin_deg', 'delay_margin_s', 'delay_margin_samples', 'gain_margin_up_db', 'gain_margin_down_db'] as const;

export function isMarginMetric(key: string): boolean {
  return (marginMetricNames as readonly string[]).includes(key);
}

/**
 * The margins as metric values. An unstable linear loop has no margins: every value is null, so
 * any constraint on them fails. Stable with no gain crossover (the loop gain never reaches 1) or
 * no gain limit found within the 1e-3…1e3 search: that margin is unbounded, +Infinity. A stable
 * loop whose worst crossover has a non-positive phase margin has no delay margin: null.
 */
export function marginMetrics(m: StabilityMargins, Ts_s: number): Metrics {
  if (!m.stable) return Object.fromEntries(marginMetricNames.map((k) => [k, null]));
  const noCrossover = Number.isNaN(m.phaseMargin_deg);
  const delay = noCrossover ? Infinity : Number.isFinite(m.delayMargin_s) ? m.delayMargin_s : null;
  return {
    phase_margin_deg: noCrossover ? Infinity : m.phaseMargin_deg,
    delay_margin_s: delay,
    delay_margin_samples: delay === null ? null : delay / Ts_s,
    gain_margin_up_db: Number.isNaN(m.gainMarginUpper_dB) ? Infinity : m.gainMarginUpper_dB,
    // How far the loop gain may be lowered, as a positive number of dB (the interval's lower end negated).
    gain_margin_down_db: Number.isNaN(m.gainMarginLower_dB) ? Infinity : -m.gainMarginLower_dB,
  };
}

/** Margin metrics of one built (and simulated) run; the caller has checked that a linear model exists. */
export function marginMetricsOf(built: BuiltRun): Metrics {
  const m = stabilityMargins(built);
  if (!m) throw new Error(`margin metrics requested for scenario '${built.scenario.name}', which has no linear PID loop`);
  return marginMetrics(m, built.scenario.Ts);
}

/** Why a scenario has no margins, or undefined when it has them. */
export function noMarginsReason(built: BuiltRun): string | undefined {
  if (!pidLaw(built)) return `its controller is '${built.scenario.controller.type}', margins need a pid`;
  if (!linearModel(built)) return 'its plant has no linear model (maglev in current mode with x_m as the metrics output, or the first-order plant)';
  return undefined;
}

/** Refuses margin names in the objective or constraints of a scenario without margins (exit 1, naming them). */
export function checkMarginsAvailable(built: BuiltRun, named: readonly { text: string; key: string }[]): boolean {
  const wanted = named.filter((x) => isMarginMetric(x.key));
  if (wanted.length === 0) return false;
  const reason = noMarginsReason(built);
  if (reason) throw new UserError(`${wanted.map((x) => x.text).join(', ')}: stability margins are not available for scenario '${built.scenario.name}': ${reason}`);
  return true;
}
