import { UserError } from '../../errors/user-error.ts';
import { openSync, readSync, closeSync } from 'node:fs';
import type { RowSink } from '../../firmware-sim/recorder.ts';
import { LineFileWriter, type LineFileOptions } from './line-file.ts';

export interface CsvWriterOptions extends LineFileOptions {
  /**
   * Lines written before the header row, each starting with '#' (metadata of `log` files).
   * Default none: `run` writes a plain CSV whose first line is the header.
   */
  preamble?: readonly string[];
}

/** Formats a number in shortest round-trip form; non-finite values as `nan`, `inf`, `-inf`. */
export function formatNumber(v: number): string {
  if (v === v && v !== Infinity && v !== -Infinity) return String(v);
  return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
}

/**
 * Streams rows to a CSV file: header first, then one line per row, flushed at a bounded interval
 * (see LineFileWriter). In 'append' mode an existing file with the same header is continued after
 * its torn tail (if any) is cut off; a different header is refused rather than mixed in.
 */
export class CsvWriter implements RowSink {
  private readonly file: LineFileWriter;
  private width = 0;
  rowsWritten = 0;

  constructor(
    readonly path: string,
    private readonly options: CsvWriterOptions = {},
  ) {
    this.file = new LineFileWriter(path, options);
  }

  get recovered() {
    return this.file.recovered;
  }

  /** Data rows this writer has put on disk (the header not counted). */
  get rowsOnDisk(): number {
    return Math.max(0, this.file.linesOnDisk - (this.file.initialBytes > 0 ? 0 : 1));
  }

  begin(columns: readonly string[]): void {
    const header = columns.join(',');
    this.width = columns.length;
    this.file.open();
    if (this.file.initialBytes > 0) {
      const existing = readHeader(this.path);
      if (existing !== header) {
        this.file.close();
        throw new UserError(`${this.path}: cannot append, its columns (${existing ?? 'none'}) differ from ${header}`);
      }
      return;
    }
    const pre = this.options.preamble ?? [];
    this.file.appendNow(pre.map((l) => l + '\n').join('') + header + '\n');
  }

  write(row: Float64Array): void {
    let line = formatNumber(row[0]);
    for (let i = 1; i < row.length; i++) line += ',' + formatNumber(row[i]);
    this.file.append(line + '\n');
    this.rowsWritten++;
  }

  /**
   * Writes a row where some columns have no value (a sensor line that carried only some labels):
   * those cells stay empty. `present[i]` false means column i is missing.
   */
  writePartial(row: Float64Array, present: readonly boolean[]): void {
    let line = formatNumber(row[0]);
    for (let i = 1; i < this.width; i++) line += present[i] ? ',' + formatNumber(row[i]) : ',';
    this.file.append(line + '\n');
    this.rowsWritten++;
  }

  /** A '#' comment line between rows (gaps, reconnects); readers that honour comments skip it. */
  comment(text: string): void {
    this.file.append('# ' + text.replace(/\n/g, ' ') + '\n');
  }

  flush(): void {
    this.file.flush();
  }

  /** Lines written to this CSV that a write error kept off the disk. */
  notOnDisk(): Buffer {
    return this.file.notOnDisk();
  }

  end(): void {
    this.file.close();
  }
}

/** The first line of a CSV that does not start with '#', without its newline. */
function readHeader(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    for (const line of buf.subarray(0, n).toString('utf8').split('\n')) if (!line.startsWith('#')) return line;
    return undefined;
  } finally {
    closeSync(fd);
  }
}
