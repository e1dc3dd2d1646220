import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { RowSink } from '../../firmware-sim/recorder.ts';

export interface CsvWriterOptions {
  /** Flush buffered rows at least this often (ms of wall time). Default 200. */
  flushInterval_ms?: number;
  /** Flush when this many bytes are buffered. Default 64 KiB. */
  flushBytes?: number;
  /** Clock for the flush interval; injectable for tests. Default Date.now. */
  now?: () => number;
}

/** Formats a number in shortest round-trip form; non-finite values as `nan`, `inf`, `-inf`. */
export function formatNumber(v: number): string {
  if (v === v && v !== Infinity && v !== -Infinity) return String(v);
  return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
}

/**
 * Streams rows to a CSV file: header first, then one line per row. Rows are buffered as whole
 * lines and written with one `writeSync` per flush, so a crash loses at most the last flush
 * interval and never leaves half a line behind a complete one.
 */
export class CsvWriter implements RowSink {
  private fd = -1;
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private lastFlush = 0;
  private readonly flushInterval: number;
  private readonly flushBytes: number;
  private readonly now: () => number;
  rowsWritten = 0;

  constructor(
    readonly path: string,
    options: CsvWriterOptions = {},
  ) {
    this.flushInterval = options.flushInterval_ms ?? 200;
    this.flushBytes = options.flushBytes ?? 65536;
    this.now = options.now ?? Date.now;
  }

  begin(columns: readonly string[]): void {
    this.fd = openSync(this.path, 'w');
    writeSync(this.fd, columns.join(',') + '\n');
    this.lastFlush = this.now();
  }

  write(row: Float64Array): void {
    let line = formatNumber(row[0]);
    for (let i = 1; i < row.length; i++) line += ',' + formatNumber(row[i]);
    line += '\n';
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    this.rowsWritten++;
    if (this.bufferedBytes >= this.flushBytes || this.now() - this.lastFlush >= this.flushInterval) this.flush();
  }

  flush(): void {
    if (this.fd < 0) return;
    if (this.buffer.length) {
      writeSync(this.fd, this.buffer.join(''));
      this.buffer = [];
      this.bufferedBytes = 0;
    }
    this.lastFlush = this.now();
  }

  end(): void {
    if (this.fd < 0) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }
}
