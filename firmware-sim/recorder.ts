/**
 * Where the run loop puts its samples. A row is handed over as a reused Float64Array: a sink
 * copies what it keeps. Sinks: the in-memory `ColumnStore` (metrics, reports) and the streaming
 * file writers in hil/logging.
 */
export interface RowSink {
  /** Called once, before the first row, with the column names (first is always 't_s'). */
  begin(columns: readonly string[]): void;
  write(row: Float64Array): void;
  /** Called when the run ends, normally or not. Must persist everything written so far. */
  end(): void;
}

/**
 * Typed-array columns grown by doubling: amortised, no allocation in the common per-row path.
 * A store used for run after run with the same columns (a tuning worker) keeps its buffers:
 * fresh megabyte-sized arrays per run would serialise worker threads on the process's memory map.
 * Column views stay valid until the next `begin`.
 */
export class ColumnStore implements RowSink {
  columns: readonly string[] = [];
  private data: Float64Array[] = [];
  private length = 0;
  private index = new Map<string, number>();

  begin(columns: readonly string[]): void {
    const same = columns.length === this.columns.length && columns.every((c, i) => c === this.columns[i]);
    if (!same) {
      this.columns = [...columns];
      this.data = columns.map(() => new Float64Array(1024));
      this.index = new Map(columns.map((c, i) => [c, i]));
    }
    this.length = 0;
  }

  write(row: Float64Array): void {
    if (this.length === this.data[0].length) this.grow();
    const n = this.length;
    for (let i = 0; i < this.data.length; i++) this.data[i][n] = row[i];
    this.length = n + 1;
  }

  end(): void {}

  get rows(): number {
    return this.length;
  }

  /** A view (no copy) of a column's recorded values; undefined if no such column. */
  column(name: string): Float64Array | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.data[i].subarray(0, this.length);
  }

  get t(): Float64Array {
    return this.data[0].subarray(0, this.length);
  }

  private grow(): void {
    this.data = this.data.map((col) => {
      const bigger = new Float64Array(col.length * 2);
      bigger.set(col);
      return bigger;
    });
  }
}

/** Fans one row stream out to several sinks. */
export class TeeSink implements RowSink {
  constructor(private readonly sinks: readonly RowSink[]) {}
  begin(columns: readonly string[]): void {
    for (const s of this.sinks) s.begin(columns);
  }
  write(row: Float64Array): void {
    for (const s of this.sinks) s.write(row);
  }
  end(): void {
    for (const s of this.sinks) s.end();
  }
}
