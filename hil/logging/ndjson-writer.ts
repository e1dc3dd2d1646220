import { LineFileWriter, type LineFileOptions } from '../../run/record/line-file.ts';

/**
 * Newline-delimited JSON records, one object per line, with the same crash safety as the CSV
 * writer (bounded flush interval, torn-tail recovery in 'append' mode). Non-finite numbers, which
 * JSON cannot hold, are written as the strings "nan", "inf" and "-inf" (as in the CSV files).
 */
export class NdjsonWriter {
  private readonly file: LineFileWriter;
  records = 0;

  constructor(
    readonly path: string,
    options: LineFileOptions = {},
  ) {
    this.file = new LineFileWriter(path, options);
  }

  get recovered() {
    return this.file.recovered;
  }

  /** True when 'append' mode found an existing non-empty file. */
  get continued(): boolean {
    return this.file.initialBytes > 0;
  }

  open(): void {
    this.file.open();
  }

  write(record: object, { now = false } = {}): void {
    const line = JSON.stringify(record, nonFinite) + '\n';
    if (now) this.file.appendNow(line);
    else this.file.append(line);
    this.records++;
  }

  flush(): void {
    this.file.flush();
  }

  /** Records that a write error kept off the disk. */
  notOnDisk(): Buffer {
    return this.file.notOnDisk();
  }

  close(): void {
    this.file.close();
  }
}

function nonFinite(_key: string, v: unknown): unknown {
  if (typeof v !== 'number' || Number.isFinite(v)) return v;
  return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
}
