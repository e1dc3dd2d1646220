import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { Plant, PlantMetricsRecorder } from '../../plants/plant.ts';

/** A plant's online metrics as a row sink: one `metricsRecorder` per run, made at `begin`. */
export class PlantMetricsSink implements RowSink {
  private recorder: PlantMetricsRecorder | undefined;

  constructor(private readonly plant: Plant) {}

  begin(columns: readonly string[]): void {
    this.recorder = this.plant.metricsRecorder?.(columns);
  }

  write(row: Float64Array): void {
    this.recorder?.write(row);
  }

  end(): void {}

  /** The plant's metrics of the rows so far; {} for a plant without metrics. */
  result(): Record<string, number> {
    return this.recorder ? this.recorder.result() : {};
  }
}
