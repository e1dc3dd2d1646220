import type { ColumnStore, RowSink } from '../../firmware-sim/recorder.ts';

/** Feeds a recorded run row by row into a sink, as the run loop would have. */
export function replay<S extends RowSink>(store: ColumnStore, sink: S): S {
  const cols = store.columns.map((c) => store.column(c)!);
  const row = new Float64Array(cols.length);
  sink.begin(store.columns);
  for (let k = 0; k < store.rows; k++) {
    for (let i = 0; i < cols.length; i++) row[i] = cols[i][k];
    sink.write(row);
  }
  sink.end();
  return sink;
}
