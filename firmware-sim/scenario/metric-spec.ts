import { actuatorMaxCounts, actuatorMinCounts } from '../channels.ts';
import type { MetricSpec } from '../metrics.ts';
import type { BuiltRun } from './build.ts';

/**
 * Which recorded signals a scenario's standard metrics judge: its `metrics` section, with the first
 * actuator's plant input as the control effort and its counts for saturation time.
 */
export function metricSpec(built: BuiltRun): MetricSpec | undefined {
  const m = built.scenario.metrics;
  if (!m) return undefined;
  const act = built.actuators[0];
  const command = m.command ?? (act ? built.plant.inputs[act.inputIndex].name : undefined);
  return {
    output: m.output,
    reference: m.reference,
    command,
    saturation: act ? { column: `${act.name}_counts`, minCounts: actuatorMinCounts(act), maxCounts: actuatorMaxCounts(act) } : undefined,
    band: m.band,
    bandAbs: m.bandAbs,
  };
}
