import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { LiveSource } from './live-source.ts';

export interface SubjectSinkOptions {
  /** Units per column for the dashboard. */
  readonly units?: Readonly<Record<string, string>>;
  /** Running integral of |output − reference| (IAE) shown live; both names are run.csv columns. */
  readonly iae?: { readonly output: string; readonly reference: string };
}

/**
 * A RowSink that pushes every row of a run into a LiveSource, so `run --live` (and `hil run`)
 * stream to the dashboard while the CSV writer records the same rows. Rows are copied: the run
 * loop reuses its row array.
 */
export class SubjectSink implements RowSink {
  private iaeOut = -1;
  private iaeRef = -1;
  private iae = 0;
  private lastT = NaN;
  private lastErr = 0;

  constructor(
    private readonly source: LiveSource,
    private readonly options: SubjectSinkOptions = {},
  ) {}

  begin(columns: readonly string[]): void {
    this.source.setColumns(columns, this.options.units);
    if (this.options.iae) {
      this.iaeOut = columns.indexOf(this.options.iae.output);
      this.iaeRef = columns.indexOf(this.options.iae.reference);
    }
  }

  write(row: Float64Array): void {
    const copy = Float64Array.from(row);
    if (this.iaeOut >= 0 && this.iaeRef >= 0) {
      const err = Math.abs(copy[this.iaeOut] - copy[this.iaeRef]);
      if (this.lastT === this.lastT) this.iae += 0.5 * (err + this.lastErr) * (copy[0] - this.lastT);
      this.lastT = copy[0];
      this.lastErr = err;
    }
    this.source.push({ row: copy });
  }

  /** The running IAE so far (trapezoid rule), NaN when no output/reference pair was given. */
  get runningIae(): number {
    return this.iaeOut >= 0 && this.iaeRef >= 0 ? this.iae : NaN;
  }

  end(): void {}
}
