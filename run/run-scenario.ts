import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NonFiniteError } from '../firmware-sim/errors.ts';
import { ControllerFirmware, type FirmwareLink } from '../firmware-sim/firmware-link.ts';
import { computeMetrics } from '../firmware-sim/metrics.ts';
import { metricSpec } from '../firmware-sim/scenario/metric-spec.ts';
import { ColumnStore, TeeSink, type RowSink } from '../firmware-sim/recorder.ts';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { Simulation, type RunSummary } from '../firmware-sim/simulation.ts';
import { version } from '../firmware-sim/version.ts';
import { CsvWriter } from './record/csv-writer.ts';
import { groupSpec, type PlotGroup } from '../report/plots.ts';
import { writeReport } from '../report/write-report.ts';

export interface RunOptions {
  readonly outDir: string;
  /** Defaults to the TypeScript firmware model of the scenario's controller (pure simulation). */
  readonly link?: FirmwareLink;
  /** 'sim', 'hil' or 'io': written into the metadata and metrics. */
  readonly mode?: string;
  /** Further sinks (live stream, dashboard) fed with every row. */
  readonly extraSinks?: readonly RowSink[];
  /** Extra keys for metrics.json (link counters, latency). Called after the run. */
  readonly extraMetrics?: () => Record<string, number | string | null>;
  /** Skip report.html and plot.svg (tuning loops). */
  readonly noReport?: boolean;
}

export interface RunResult {
  readonly outDir: string;
  readonly status: 'completed' | 'failed';
  /** One-line reason when failed. */
  readonly error?: string;
  readonly rows: number;
  readonly metrics: Record<string, number | string | null>;
  readonly store: ColumnStore;
  readonly summary?: RunSummary;
  /** Wall-clock time of the run loop in seconds (not written to the deterministic outputs). */
  readonly wall_s: number;
}

/**
 * Runs a built scenario and writes the standard outputs into `outDir`:
 * run.csv (streamed while running), run.meta.json (written before the first sample),
 * metrics.json, report.html and plot.svg. A run that stops on a non-finite signal still leaves
 * everything recorded up to that moment on disk, and says why in metrics.json.
 */
export async function runScenario(built: BuiltRun, options: RunOptions): Promise<RunResult> {
  const { scenario } = built;
  const outDir = options.outDir;
  mkdirSync(outDir, { recursive: true });
  const link = options.link ?? new ControllerFirmware(built.controller, built.sensors, built.actuators);
  const store = new ColumnStore();
  const csv = new CsvWriter(join(outDir, 'run.csv'));
  const sink = new TeeSink([csv, store, ...(options.extraSinks ?? [])]);
  const sim = new Simulation(built.config, link, sink);
  const mode = options.mode ?? 'sim';

  writeFileSync(
    join(outDir, 'run.meta.json'),
    JSON.stringify(
      {
        scenario: scenario.name,
        file: built.file,
        mode,
        version,
        seed: scenario.seed,
        started: new Date().toISOString(),
        host: hostname(),
        board: built.board.id,
        plant: scenario.plant,
        plantParams: built.plantParams,
        controller: scenario.controller,
        columns: sim.columns,
        units: columnUnits(built, sim.columns),
        scenarioResolved: scenario,
      },
      null,
      2,
    ) + '\n',
  );

  let summary: RunSummary | undefined;
  let error: string | undefined;
  const wallStart = performance.now();
  try {
    summary = link instanceof ControllerFirmware ? sim.run() : await sim.runAsync();
  } catch (e) {
    if (e instanceof NonFiniteError) error = `${e.message}; run stopped, ${store.rows} samples kept in ${join(outDir, 'run.csv')}`;
    else if (isLinkFault(e)) error = `${(e as Error).message}; run stopped, ${store.rows} samples kept in ${join(outDir, 'run.csv')}`;
    // run.csv (or a live sink) could not be written: a failed run with metrics.json, exit 1 for disk full/permissions.
    else if ((e as { writeFailed?: boolean }).writeFailed && (e as { userError?: boolean }).userError) error = `${(e as Error).message}; run stopped after ${store.rows} samples`;
    else throw e;
  }
  const wall_s = (performance.now() - wallStart) / 1000;

  const metrics: Record<string, number | string | null> = {
    scenario: scenario.name,
    controller: String(scenario.controller.type),
    seed: scenario.seed,
    version,
    mode,
    status: error ? 'failed' : 'completed',
    ...(error ? { error } : {}),
    duration_s: summary ? summary.t_end : store.rows ? store.t[store.rows - 1] : 0,
    samples: store.rows,
  };
  if (store.rows > 1) {
    const spec = metricSpec(built);
    if (spec) Object.assign(metrics, nullIfNaN(computeMetrics(store, spec)));
    if (built.plant.extraMetrics) Object.assign(metrics, nullIfNaN(built.plant.extraMetrics(store)));
  }
  if (options.extraMetrics) Object.assign(metrics, options.extraMetrics());
  writeFileSync(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');

  if (!options.noReport && store.rows > 1) {
    await writeReport(outDir, {
      title: `hilbench run: ${scenario.name}`,
      subtitle: `${scenario.description ?? ''} — plant ${scenario.plant}, controller ${String(scenario.controller.type)}, board ${built.board.id}, mode ${mode}, seed ${scenario.seed}, hilbench ${version}`,
      metrics,
      panels: reportPanels(built, store),
      error,
    });
  }

  return { outDir, status: error ? 'failed' : 'completed', error, rows: store.rows, metrics, store, summary, wall_s };
}

function isLinkFault(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ('disconnected' in e || 'timeout' in e || 'linkFault' in e);
}

function nullIfNaN(o: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return out;
}

function reportPanels(built: BuiltRun, store: ColumnStore): object[] {
  const { plant, scenario } = built;
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
  const panels = groups.filter((g) => g.signals.length > 0).map((g) => groupSpec(store, g));
  // The plant's own panels (a map, sun and panel angles, temperatures with the band) say the most: put them first.
  return plant.extraPlots ? [...plant.extraPlots(store), ...panels] : panels;
}

function columnUnits(built: BuiltRun, columns: readonly string[]): Record<string, string> {
  const units: Record<string, string> = { t_s: 's' };
  for (const s of [...built.plant.states, ...built.plant.inputs, ...built.plant.outputs]) units[s.name] = s.unit;
  for (const c of columns) if (c.endsWith('_counts')) units[c] = 'counts';
  return units;
}
