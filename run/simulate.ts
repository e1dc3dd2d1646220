import type { FirmwareLink } from '../firmware-sim/firmware-link.ts';
import type { RowSink } from '../firmware-sim/recorder.ts';
import { SimulatedPlant, type SimulationConfig } from '../firmware-sim/simulation.ts';
import { RunControl } from './control.ts';
import { RunLoop, type LoopSummary } from './loop.ts';

/**
 * A whole simulated run in memory through the run loop, with a link that answers synchronously
 * (tuning evaluations, solar gains, benches, tests): no files, no await.
 */
export function simulate(config: SimulationConfig, link: FirmwareLink, sink: RowSink, control?: RunControl): LoopSummary {
  return new RunLoop(new SimulatedPlant(config, sink), link, config.references, control ?? new RunControl(config.references.map((r) => r.name))).runSync();
}
