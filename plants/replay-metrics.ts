import type { Plant, RecordedRun } from './plant.ts';

/**
 * Transitional bridge for `Plant.extraMetrics`: replays an in-memory record row by row into the
 * plant's metrics recorder (the run loop will feed the recorder directly). The record must hold the
 * columns the recorder needs; its column names are passed in recorded order.
 */
export function replayPlantMetrics(plant: Plant, run: RecordedRun & { readonly columns: readonly string[] }): Record<string, number> {
  if (!plant.metricsRecorder) return {};
  const recorder = plant.metricsRecorder(run.columns);
  const cols = run.columns.map((c) => run.column(c)!);
  const row = new Float64Array(cols.length);
  const n = run.t.length;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < cols.length; i++) row[i] = cols[i][k];
    recorder.write(row);
  }
  return recorder.result();
}
