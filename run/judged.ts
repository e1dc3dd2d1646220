import { actuatorMaxCounts, actuatorMinCounts } from '../firmware-sim/channels.ts';
import type { MetricSpec } from '../firmware-sim/metrics.ts';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';

/**
 * Which recorded signals a run's standard metrics judge — the one place this is decided, for
 * metrics.json, the report, the summary and tuning: the scenario's `metrics` section; when its
 * output is not recorded (io mode records what the board measured, not the plant's true state)
 * the first sensor; the control effort is the scenario's `command` or the first actuator's plant
 * input, and that actuator's counts give the saturation time.
 */
export function judgedSpec(built: BuiltRun, columns: readonly string[]): MetricSpec | undefined {
  const m = built.scenario.metrics;
  if (!m) return undefined;
  const has = (c: string | undefined): c is string => c !== undefined && columns.includes(c);
  const output = has(m.output) ? m.output : built.sensors[0]?.name;
  if (!has(output) || !has(m.reference)) return undefined;
  const act = built.actuators[0];
  const firstInput = act ? built.plant.inputs[act.inputIndex].name : undefined;
  const command = has(m.command) ? m.command : has(firstInput) ? firstInput : undefined;
  const counts = act ? `${act.name}_counts` : undefined;
  return {
    output,
    reference: m.reference,
    command,
    saturation: act && has(counts) ? { column: counts, minCounts: actuatorMinCounts(act), maxCounts: actuatorMaxCounts(act) } : undefined,
    band: m.band,
    bandAbs: m.bandAbs,
  };
}
