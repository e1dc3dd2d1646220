export interface MetricSpec {
  /** Column judged against the reference (usually a true plant state, not the measurement). */
  readonly output: string;
  readonly reference: string;
  /** Column whose magnitude is the control effort (usually the plant input). */
  readonly command?: string;
  /** Actuator counts column and its top value, for saturation time. */
  readonly saturation?: { readonly column: string; readonly minCounts: number; readonly maxCounts: number };
  /** Settling band as a fraction of the judged step |final reference − output at the step| (of |final reference| if that step is 0). */
  readonly band: number;
  readonly bandAbs?: number;
}

/**
 * Standard step-response and error metrics of a recorded run (rectangle rule over the samples).
 * IAE, ISE, ITAE and RMS cover the whole run, ITAE weighting by time since t = 0. The step-response
 * figures judge the last reference change (or t = 0): from the output's value there to the final
 * reference value. Overshoot is measured beyond the final reference (what a limit or a contact cares
 * about), not beyond the output's own final value. Values that do not exist (never settled, no rise)
 * are NaN, written as null in metrics.json.
 */
export interface StandardMetrics {
  iae: number;
  ise: number;
  itae: number;
  rms_error: number;
  overshoot_pct: number;
  rise_time_s: number;
  settling_time_s: number;
  settling_band: number;
  steady_state_error: number;
  control_effort: number;
  control_energy: number;
  saturation_time_s: number;
}
