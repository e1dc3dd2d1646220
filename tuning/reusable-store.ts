import type { RecordedRun } from '../plants/plant.ts';
import type { RowSink } from '../firmware-sim/recorder.ts';

/**
 * An in-memory row sink whose column buffers survive from one run to the next. A tuning worker
 * runs thousands of simulations; with firmware-sim's ColumnStore each run allocates and grows
 * fresh typed arrays (megabytes per maglev run), and those large allocations and page faults
 * serialise the worker threads on the process-wide memory map — two workers then ran no faster
 * than one. Reusing the buffers removes that. Columns are views valid until the next `begin`.
 */
export class ReusableColumnStore implements RowSink, RecordedRun {
  private names: readonly string[] = [];
  private data: Float64Array[] = [];
  private index = new Map<string, number>();
  private length = 0;

  begin(columns: readonly string[]): void {
    if (columns.length !== this.names.length || columns.some((c, i) => c !== this.names[i])) {
      this.names = [...columns];
      this.index = new Map(columns.map((c, i) => [c, i]));
      const capacity = this.data.length ? this.data[0].length : 1024;
      this.data = columns.map(() => new Float64Array(capacity));
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

  get t(): Float64Array {
    return this.data[0].subarray(0, this.length);
  }

  column(name: string): Float64Array | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.data[i].subarray(0, this.length);
  }

  private grow(): void {
    this.data = this.data.map((col) => {
      const bigger = new Float64Array(col.length * 2);
      bigger.set(col);
      return bigger;
    });
  }
}
