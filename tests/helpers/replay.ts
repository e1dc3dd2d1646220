import type { ColumnStore } from '../../firmware-sim/recorder.ts';

/** Something fed row by row: a RowSink, or a plant's metrics recorder (no begin/end). */
interface RowConsumer {
  begin?(columns: readonly string[]): void;
  write(row: Float64Array): void;
  end?(): void;
}

/** Feeds a recorded run row by row into a sink or recorder, as the run loop would have. */
export function replay<S extends RowConsumer>(store: ColumnStore, sink: S): S {
  const cols = store.columns.map((c) => store.column(c)!);
  const row = new Float64Array(cols.length);
  sink.begin?.(store.columns);
  for (let k = 0; k < store.rows; k++) {
    for (let i = 0; i < cols.length; i++) row[i] = cols[i][k];
    sink.write(row);
  }
  sink.end?.();
  return sink;
}
