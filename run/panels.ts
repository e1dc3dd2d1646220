import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import type { PlotRun } from '../plants/plant.ts';
import { groupSpec, type PlotGroup } from '../report/plots.ts';
import { prettyUnit } from '../report/units.ts';

/**
 * The report's panels. A simulated plant: the judged output and reference, states, sensors and
 * actuators grouped by unit, actuator counts, the plant's own panels first. A board as I/O (the
 * plant's state is not visible): sensors with references, actuators, link timing. No signal is
 * drawn twice: one a panel before already shows (the judged output among the states, the energies
 * the plant draws in Wh among the states in J) is left out of the later panels.
 */
export function reportPanels(built: BuiltRun, run: PlotRun, simulated: boolean): object[] {
  const { plant, scenario } = built;
  if (!simulated) {
    return [
      groupSpec(run, { title: 'Sensors', signals: [...built.sensors.map((s) => s.name), ...built.config.references.map((r) => r.name)] }),
      groupSpec(run, { title: 'Actuators', signals: built.actuators.map((a) => plant.inputs[a.inputIndex].name) }),
      groupSpec(run, { title: 'Link timing', signals: ['rtt_s', 'jitter_s'] }),
    ];
  }
  // The columns the plant's own panels read (through `column`; whole-row views are not counted).
  const drawn = new Set<string>();
  const extra = plant.extraPlots ? plant.extraPlots(trackColumns(run, drawn)) : [];
  const groups: PlotGroup[] = [];
  if (scenario.metrics) groups.push({ title: 'Output and reference', signals: [scenario.metrics.output, scenario.metrics.reference] });
  // Signals of one kind share a panel only when they share a unit, so scales stay readable.
  const byUnit = (title: string, signals: readonly { name: string; unit: string }[]): void => {
    const units = [...new Set(signals.map((s) => s.unit))];
    for (const unit of units) {
      groups.push({ title: `${title} [${prettyUnit(unit) || '1'}]`, signals: signals.filter((s) => s.unit === unit).map((s) => s.name) });
    }
  };
  byUnit('Plant states', plant.states);
  byUnit('Sensors (plant outputs)', plant.outputs);
  byUnit('Actuators (plant inputs)', plant.inputs);
  groups.push({ title: 'Actuator counts', signals: built.actuators.map((a) => `${a.name}_counts`) });
  const panels: object[] = [];
  for (const g of groups) {
    const signals = g.signals.filter((s) => !drawn.has(s));
    for (const s of signals) drawn.add(s);
    if (signals.length) panels.push(groupSpec(run, { ...g, signals }));
  }
  // The plant's own panels (a map, sun and panel angles, temperatures with the band) say the most: put them first.
  return [...extra, ...panels];
}

/** `run` as it is, noting in `drawn` every column read through `column`. */
function trackColumns(run: PlotRun, drawn: Set<string>): PlotRun {
  return {
    get t() {
      return run.t;
    },
    column(name: string) {
      drawn.add(name);
      return run.column(name);
    },
    get sampledRows() {
      return run.sampledRows;
    },
  };
}
