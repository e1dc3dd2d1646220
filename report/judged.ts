import { columnUnit } from './units.ts';

/** Which recorded signals the standard metrics judged, with their units, for the report and the summary. */
export interface JudgedSignals {
  readonly output: string;
  readonly reference?: string;
  /** The control-effort signal u. */
  readonly command?: string;
  readonly outputUnit: string;
  readonly commandUnit: string;
  /** How the settling band was set: a fixed half-width, or a fraction of the step. */
  readonly band?: { readonly abs?: number; readonly fraction?: number };
}

/** The `metrics` section of a scenario and its first actuator's plant input, as far as they are known. */
export interface JudgedSpec {
  readonly output: string;
  readonly reference?: string;
  readonly command?: string;
  readonly band?: number;
  readonly bandAbs?: number;
}

/**
 * The judged signals of a run with their units, for the report and the summary: `spec` is the
 * run's judged spec (run/judged.ts), `units` the recorded columns' units.
 */
export function judgedSignals(metrics: Record<string, unknown>, spec: JudgedSpec | undefined, units: Record<string, string> | undefined): JudgedSignals | undefined {
  if (!('iae' in metrics) || !spec) return undefined;
  const output = typeof metrics.metrics_output === 'string' ? metrics.metrics_output : spec.output;
  return {
    output,
    reference: spec.reference,
    command: spec.command,
    outputUnit: columnUnit(output, units) ?? (spec.reference ? columnUnit(spec.reference, units) : undefined) ?? '',
    commandUnit: spec.command ? (columnUnit(spec.command, units) ?? '') : '',
    band: { abs: spec.bandAbs, fraction: spec.bandAbs === undefined ? spec.band : undefined },
  };
}
