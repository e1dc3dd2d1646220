import { buildRun, type BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { runInMemory } from '../helpers/scenario.ts';
import type { ColumnStore } from '../../firmware-sim/recorder.ts';
import { PlantMetricsSink } from '../../run/record/plant-metrics-sink.ts';
import { replay } from '../helpers/replay.ts';

export interface NavRun {
  built: BuiltRun;
  store: ColumnStore;
  metrics: Record<string, number>;
}

/** Runs a built-in robot scenario in memory and returns the plant's navigation metrics. */
export function runRobot(name: string, opts: { controller?: string; set?: string[] } = {}): NavRun {
  const built = buildRun(loadScenario(name, { controller: opts.controller, set: opts.set }));
  const store = runInMemory(built);
  return { built, store, metrics: replay(store, new PlantMetricsSink(built.plant)).result() };
}
