import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunStopped, UserError } from '../errors/user-error.ts';
import { ControllerFirmware, type FirmwareLink } from '../firmware-sim/firmware-link.ts';
import type { MetricSpec } from '../firmware-sim/metrics.ts';
import type { PlantSide } from '../firmware-sim/plant-side.ts';
import { ColumnStore, TeeSink, type RowSink } from '../firmware-sim/recorder.ts';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { SimulatedPlant } from '../firmware-sim/simulation.ts';
import { version } from '../firmware-sim/version.ts';
import { writeReport } from '../report/write-report.ts';
import { RunControl } from './control.ts';
import { judgedSpec } from './judged.ts';
import { RunLoop, type LoopSummary, type Pacer } from './loop.ts';
import { reportPanels } from './panels.ts';
import { CsvWriter } from './record/csv-writer.ts';
import { expectedRows, RunRecord } from './record/run-record.ts';
import { prepareOutDir } from '../errors/out-path.ts';
import { reserveFile, writeReservedFile, writeTextFile } from '../errors/write-file.ts';

export type RunMode = 'sim' | 'hil' | 'io';

export interface RunOptions {
  readonly outDir: string;
  /** 'sim' (default), 'hil' or 'io': written into the metadata and metrics. */
  readonly mode?: RunMode;
  /** The controller side. Default: the TypeScript firmware model of the scenario's controller. */
  readonly link?: FirmwareLink;
  /** The plant side, given the row sink. Default: the simulated plant of the scenario. */
  readonly plantSide?: (sink: RowSink) => PlantSide;
  /** Stop and setpoint overrides (Ctrl-C, the dashboard). Default: a control nobody else holds. */
  readonly control?: RunControl;
  /** Wall-clock pacing (`--live`). */
  readonly pacer?: Pacer;
  /** Further sinks (live stream, dashboard) fed with every row. */
  readonly extraSinks?: readonly RowSink[];
  /** Keys put first in metrics.json after `mode` (io pacing). */
  readonly headMetrics?: Record<string, number | string | null>;
  /** Extra keys for metrics.json (link counters, latency). Called after the run. */
  readonly extraMetrics?: () => Record<string, number | string | null>;
  /** Skip report.html and plot.svg (tuning loops). */
  readonly noReport?: boolean;
  /** Keep every row in memory as `result.store` (studies that read the whole trace); default: bounded memory. */
  readonly keepRows?: boolean;
  /** Report subtitle; default names plant, controller, board, mode and seed. */
  readonly subtitle?: string;
}

export interface RunResult {
  readonly outDir: string;
  readonly status: 'completed' | 'failed';
  /** One-line reason when failed. */
  readonly error?: string;
  readonly rows: number;
  readonly metrics: Record<string, number | string | null>;
  /** Every row, with `keepRows` only. */
  readonly store?: ColumnStore;
  readonly summary?: LoopSummary;
  /** The signals the standard metrics judged (run/judged.ts). */
  readonly judged?: MetricSpec;
  /** Wall-clock time of the run loop in seconds (not written to the deterministic outputs). */
  readonly wall_s: number;
}

/**
 * Runs a built scenario through the one run loop, whatever its sides, and writes the standard
 * outputs into `outDir`: run.meta.json (before the first sample), run.csv (streamed while running),
 * metrics.json, report.html and plot.svg. A run that stops early (Ctrl-C, a link fault, a non-finite
 * signal, a full disk) still leaves everything recorded up to that moment on disk, and says why in
 * metrics.json (`status: failed`).
 */
export async function runScenario(built: BuiltRun, options: RunOptions): Promise<RunResult> {
  const { scenario } = built;
  const outDir = options.outDir;
  prepareOutDir(outDir);
  const mode = options.mode ?? 'sim';
  const link = options.link ?? new ControllerFirmware(built.controller, built.sensors, built.actuators);
  const csvPath = join(outDir, 'run.csv');
  const csv = new CsvWriter(csvPath);
  // Metrics and plots from a bounded record: memory stays flat however long the run.
  const record = new RunRecordSink();
  const store = options.keepRows ? new ColumnStore() : undefined;
  const sink = new TeeSink([csv, record, ...(store ? [store] : []), ...(options.extraSinks ?? [])]);
  const plant = options.plantSide ? options.plantSide(sink) : new SimulatedPlant(built.config, sink);
  const simulated = plant instanceof SimulatedPlant;
  const judged = judgedSpec(built, plant.columns);
  record.init(new RunRecord({ plant: simulated ? built.plant : undefined, spec: judged, expectedRows: simulated ? expectedRows(built.config) : plant.ticks }));
  const loop = new RunLoop(plant, link, built.config.references, options.control, options.pacer);

  writeTextFile(
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
        columns: plant.columns,
        units: columnUnits(built, plant.columns),
        scenarioResolved: scenario,
      },
      null,
      2,
    ) + '\n',
  );

  // metrics.json says "running" until the run ends, over space set aside now so that a disk that
  // fills up during the run still takes the final metrics.json.
  const metricsPath = join(outDir, 'metrics.json');
  reserveFile(metricsPath, JSON.stringify({ scenario: scenario.name, mode, status: 'running' }), 16 * 1024);

  let summary: LoopSummary | undefined;
  let error: string | undefined;
  const wallStart = performance.now();
  try {
    // Pure simulation never awaits: its loop stays synchronous (and allocation-free per step).
    summary = simulated && link instanceof ControllerFirmware && !options.pacer ? loop.runSync() : await loop.run();
  } catch (e) {
    if (!isRunEnding(e)) throw e;
    error = `${(e as Error).message}; run stopped at t = ${loop.control.t} s, ${csv.rowsOnDisk} samples kept in ${csvPath}`;
  }
  const wall_s = (performance.now() - wallStart) / 1000;

  const rows = record.rows;
  const metrics: Record<string, number | string | null> = {
    scenario: scenario.name,
    controller: String(scenario.controller.type),
    seed: scenario.seed,
    version,
    mode,
    ...options.headMetrics,
    status: error ? 'failed' : 'completed',
    ...(error ? { error } : {}),
    duration_s: plant.tEnd,
    samples: rows,
  };
  if (judged && judged.output !== scenario.metrics?.output) metrics.metrics_output = judged.output;
  if (rows > 1) Object.assign(metrics, nullIfNaN(record.metrics()));
  if (options.extraMetrics) Object.assign(metrics, options.extraMetrics());
  const units = columnUnits(built, plant.columns);
  try {
    writeReservedFile(metricsPath, JSON.stringify(metrics, null, 2) + '\n');
    if (!options.noReport && rows > 1) await report();
  } catch (e) {
    // A full disk fails the run's own writes first: say what stopped the run, not only the last file.
    if (error && e instanceof UserError) throw new UserError(`${error}; ${e.message}`);
    throw e;
  }
  return { outDir, status: error ? 'failed' : 'completed', error, rows, metrics, store, summary, judged, wall_s };

  async function report(): Promise<void> {
    await writeReport(outDir, {
      title: `hilbench run: ${scenario.name}`,
      subtitle:
        options.subtitle ??
        `${scenario.description ?? ''} — plant ${scenario.plant}, controller ${String(scenario.controller.type)}, board ${built.board.id}, mode ${mode}, seed ${scenario.seed}, hilbench ${version}`,
      metrics,
      panels: reportPanels(built, record.plot, simulated),
      error,
      judged,
      units,
      plant: scenario.plant,
      headline: simulated ? built.plant.headlineMetrics : undefined,
    });
  }
}

/**
 * What ends a run as a failed run with its files written, rather than as an error thrown past it:
 * RunStopped (Ctrl-C, the dashboard, a non-finite signal), a link fault, a failed write.
 */
function isRunEnding(e: unknown): boolean {
  if (e instanceof RunStopped) return true;
  if (typeof e !== 'object' || e === null) return false;
  const tags = e as { disconnected?: boolean; timeout?: boolean; linkFault?: boolean; writeFailed?: boolean; userError?: boolean };
  return tags.disconnected !== undefined || tags.timeout !== undefined || tags.linkFault === true || (tags.writeFailed === true && tags.userError === true);
}

function nullIfNaN(o: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return out;
}

function columnUnits(built: BuiltRun, columns: readonly string[]): Record<string, string> {
  const units: Record<string, string> = { t_s: 's' };
  for (const s of [...built.plant.states, ...built.plant.inputs, ...built.plant.outputs]) units[s.name] = s.unit;
  for (const c of columns) if (c.endsWith('_counts')) units[c] = 'counts';
  if (columns.includes('rtt_s')) units.rtt_s = units.jitter_s = 's';
  return units;
}

/** The run's RunRecord, made once the plant side (and so the columns) is known. */
class RunRecordSink implements RowSink {
  private inner: RunRecord | undefined;
  init(r: RunRecord): void {
    this.inner = r;
  }
  begin(columns: readonly string[]): void {
    this.inner!.begin(columns);
  }
  write(row: Float64Array): void {
    this.inner!.write(row);
  }
  end(): void {
    this.inner?.end();
  }
  get rows(): number {
    return this.inner?.rows ?? 0;
  }
  get plot() {
    return this.inner!.plot!;
  }
  metrics(): Record<string, number> {
    return this.inner!.metrics();
  }
}
