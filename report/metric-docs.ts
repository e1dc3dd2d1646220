import { integralUnit } from './units.ts';

/**
 * Units and one-line definitions of the standard metrics (firmware-sim/metrics.ts), as docs/formats.md
 * states them; `tests/hil/report-html.test.ts` checks every definition appears there word for word.
 * `y` is the judged output's unit, `u` the control-effort signal's.
 */
export interface MetricDoc {
  readonly unit: (y: string, u: string) => string;
  readonly definition: string;
}

export const STEP_CONVENTION =
  'e = reference − output. The step-response figures judge the last change of the reference (or t = 0) to the end, from the output\'s value at that moment to the final reference value.';

export const STANDARD_METRICS: Readonly<Record<string, MetricDoc>> = {
  iae: { unit: (y) => integralUnit(y, 1), definition: '∫|e|dt over the whole run' },
  ise: { unit: (y) => integralUnit(y, 2), definition: '∫e²dt over the whole run' },
  itae: { unit: (y) => integralUnit(y, 1, 1), definition: '∫t·|e|dt over the whole run, t being the time since the run started (t = 0)' },
  rms_error: { unit: (y) => y, definition: '√(ISE / duration)' },
  overshoot_pct: { unit: () => '%', definition: 'the peak beyond the final reference, in % of the step' },
  rise_time_s: { unit: () => 's', definition: 'time from 10 % to 90 % of the step' },
  settling_time_s: {
    unit: () => 's',
    definition:
      'from the reference change to the first sample after which the output stays in the band; the output must be seen staying there for at least the last 10 % of the judged window (else null: did not settle)',
  },
  settling_band: {
    unit: (y) => y,
    definition: "half-width of the band: band · |step| (2 % of the step, as MATLAB's stepinfo; for a run without a step, band · |final reference|) unless bandAbs is given",
  },
  steady_state_error: { unit: (y) => y, definition: 'the mean error over the last 10 % of the run, never from before the judged step' },
  control_effort: { unit: (_y, u) => integralUnit(u, 1), definition: "∫|u|dt of the command u (metrics.command, else the first actuator's plant input)" },
  control_energy: { unit: (_y, u) => integralUnit(u, 2), definition: '∫u²dt of the command u' },
  saturation_time_s: { unit: () => 's', definition: "time the first actuator's counts sit at either end of their range" },
};

/** Keys every run writes, and the link figures of hil/io runs (docs/hil.md). */
export const RUN_KEYS: Readonly<Record<string, string>> = {
  scenario: 'scenario name',
  controller: 'controller type',
  seed: 'seed of every random stream',
  version: 'hilbench version',
  mode: 'sim (run), hil (controller in the board) or io (board as I/O)',
  status: 'completed, or failed with the reason below',
  error: 'why the run stopped',
  duration_s: 'time covered by the run',
  samples: 'rows in run.csv',
  metrics_output: 'io mode: the measured signal judged (the plant state is not visible)',
  io_pacing: 'io mode: who keeps the control period (board clock or host)',
};

/** Definitions of link keys by pattern (hil and io modes). */
export function linkKeyDefinition(key: string, pacing?: string): string | undefined {
  const m = /_(count|mean|p50|p99|max)(_us)?$/.exec(key);
  const stat = !m ? '' : m[1] === 'count' ? ': number of measurements' : `: ${m[1]}`;
  if (key.startsWith('rtt_')) return `per-tick round trip measured on the host${stat}`;
  if (key.startsWith('tick_jitter_')) {
    return pacing === 'board'
      ? `board-paced: interval between two M lines minus Ts, on the host's clock (see above)${stat}`
      : `tick start behind its slot on the host's wall clock${stat}`;
  }
  if (key.startsWith('host_turnaround_')) return `time from an M to the next X (the host's slack)${stat}`;
  if (key === 'io_overruns') return pacing === 'board' ? 'intervals over 1.5·Ts between two M lines (board-paced, host clock)' : 'ticks that did not finish within Ts';
  if (key === 'link_ticks') return 'control periods exchanged with the board';
  if (key === 'Ts_s') return 'control period';
  if (key === 'wall_s') return 'wall-clock time of the run';
  if (key.startsWith('link_')) return 'link counter or identity (docs/hil.md)';
  return undefined;
}
