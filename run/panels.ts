import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import type { RecordedRun } from '../plants/plant.ts';
import { groupSpec, type PlotGroup } from '../report/plots.ts';

/**
 * The report's panels. A simulated plant: the judged output and reference, states, sensors and
 * actuators grouped by unit, actuator counts, the plant's own panels first. A board as I/O (the
 * plant's state is not visible): sensors with references, actuators, link timing.
 */
export function reportPanels(built: BuiltRun, run: RecordedRun, simulated: boolean): object[] {
  const { plant, scenario } = built;
  if (!simulated) {
    return [
      groupSpec(run, { title: 'Sensors', signals: [...built.sensors.map((s) => s.name), ...built.config.references.map((r) => r.name)] }),
      groupSpec(run, { title: 'Actuators', signals: built.actuators.map((a) => plant.inputs[a.inputIndex].name) }),
      groupSpec(run, { title: 'Link timing', signals: ['rtt_s', 'jitter_s'] }),
    ];
  }
  const groups: PlotGroup[] = [];
  if (scenario.metrics) groups.push({ title: 'Output and reference', signals: [scenario.metrics.output, scenario.metrics.reference] });
  // Signals of one kind share a panel only when they share a unit, so scales stay readable.
  const byUnit = (title: string, signals: readonly { name: string; unit: string }[]): void => {
    const units = [...new Set(signals.map((s) => s.unit))];
    for (const unit of units) {
      groups.push({ title: `${title} [${unit}]`, signals: signals.filter((s) => s.unit === unit).map((s) => s.name) });
    }
  };
  byUnit('Plant states', plant.states);
  byUnit('Sensors (plant outputs)', plant.outputs);
  byUnit('Actuators (plant inputs)', plant.inputs);
  groups.push({ title: 'Actuator counts', signals: built.actuators.map((a) => `${a.name}_counts`) });
  const panels = groups.filter((g) => g.signals.length > 0).map((g) => groupSpec(run, g));
  // The plant's own panels (a map, sun and panel angles, temperatures with the band) say the most: put them first.
  return plant.extraPlots ? [...plant.extraPlots(run), ...panels] : panels;
}
