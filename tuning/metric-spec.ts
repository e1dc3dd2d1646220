import { actuatorMaxCounts, actuatorMinCounts } from '../firmware-sim/channels.ts';
import type { MetricSpec } from '../firmware-sim/metrics.ts';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';

/**
 * The scenario's metric specification, as hil/run-scenario.ts builds it. Repeated here because
 * importing run-scenario pulls in vega, which would add seconds to every worker's start-up.
 */
export function tuningMetricSpec(built: BuiltRun): MetricSpec | undefined {
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
