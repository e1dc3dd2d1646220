import type { MetricSpec, StandardMetrics } from '../../firmware-sim/metrics.ts';
import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { Plant } from '../../plants/plant.ts';
import { PlantMetricsSink } from './plant-metrics-sink.ts';
import { PlotStore, type PlotStoreOptions } from './plot-store.ts';
import { OnlineStepMetrics } from './step-metrics.ts';

/** Rows a fixed-step run writes when it completes: one every `recordEvery` of round(duration/dt) steps, from step 0. */
export function expectedRows(cfg: { readonly duration: number; readonly dt: number; readonly recordEvery: number }): number {
  return Math.ceil(Math.round(cfg.duration / cfg.dt) / cfg.recordEvery);
}

export interface RunRecordOptions {
  /** The plant whose own metrics to compute; none (a board as I/O records no plant state): none. */
  readonly plant?: Plant;
  /** The scenario's judged signals (metricSpec); none: no standard metrics. */
  readonly spec?: MetricSpec;
  /** Rows of the complete run (see `expectedRows`): an exact steady-state window whatever the length. */
  readonly expectedRows?: number;
  /** The report's decimated copy; false: none (tuning evaluations write no report). */
  readonly plot?: PlotStoreOptions | false;
}

/**
 * Everything a run keeps besides run.csv, in bounded memory: standard metrics and the plant's
 * metrics computed online, and a decimated copy for the report's plots. One RowSink for the loop
 * to feed (next to the CSV writer and live sinks).
 */
export class RunRecord implements RowSink {
  readonly step: OnlineStepMetrics | undefined;
  readonly plantMetrics: PlantMetricsSink | undefined;
  readonly plot: PlotStore | undefined;
  private count = 0;
  private tLast = NaN;

  constructor(options: RunRecordOptions) {
    this.step = options.spec ? new OnlineStepMetrics(options.spec, { expectedRows: options.expectedRows }) : undefined;
    this.plantMetrics = options.plant ? new PlantMetricsSink(options.plant) : undefined;
    this.plot = options.plot === false ? undefined : new PlotStore(options.plot);
  }

  begin(columns: readonly string[]): void {
    this.step?.begin(columns);
    this.plantMetrics?.begin(columns);
    this.plot?.begin(columns);
    this.count = 0;
    this.tLast = NaN;
  }

  write(row: Float64Array): void {
    this.step?.write(row);
    this.plantMetrics?.write(row);
    this.plot?.write(row);
    this.tLast = row[0];
    this.count++;
  }

  end(): void {
    this.step?.end();
    this.plantMetrics?.end();
    this.plot?.end();
  }

  /** Rows recorded since `begin`. */
  get rows(): number {
    return this.count;
  }

  /** Time of the last row (NaN before the first). */
  get lastTime(): number {
    return this.tLast;
  }

  /** Standard metrics (if a spec was given), then the plant's, as metrics.json has them (NaN not yet nulled). */
  metrics(): Partial<StandardMetrics> & Record<string, number> {
    return { ...(this.step ? this.step.result() : {}), ...(this.plantMetrics ? this.plantMetrics.result() : {}) };
  }
}
