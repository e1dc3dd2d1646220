import { hostname } from 'node:os';
import { interval, type Subscription } from 'rxjs';
import { version } from '../../firmware-sim/version.ts';
import { LiveSource } from '../live/live-source.ts';
import { LogRecorder } from './log-recorder.ts';
import { MAX_PLOTTER_LINE, parseLogLine, unitFromName } from './plotter-line.ts';
import { serialLines, type SerialLineEvent } from '../transport/serial-lines.ts';

export interface LogSessionOptions {
  readonly port: string;
  /** Default 115200. */
  readonly baud?: number;
  readonly outDir: string;
  /** Reattach after the board is unplugged and plugged back; the gap is recorded. Default false. */
  readonly reconnect?: boolean;
  /** Continue a log already in outDir (repairing it after a crash). Default false. */
  readonly resume?: boolean;
  /** Default 200 ms. */
  readonly flushInterval_ms?: number;
  /** Reopen attempts while the board is away. Default 250 ms. */
  readonly retry_ms?: number;
  /** End the log with status 'closed' this many seconds after `run()` starts. Default: until stopped. */
  readonly duration_s?: number;
}

/**
 * The label sets one session (one run of `hilbench log`) records: at most MAX_SIGNALS signals in
 * at most MAX_COLUMN_SETS column sets (CSV segments). A board printing ever new labels would
 * otherwise open a file per line; values of labels over either limit are counted, not recorded.
 */
export const MAX_SIGNALS = 64;
export const MAX_COLUMN_SETS = 32;

export interface LogCounters {
  samples: number;
  badLines: number;
  blankLines: number;
  comments: number;
  frames: number;
  reconnects: number;
}

/**
 * `hilbench log`: serial lines → parser → one LiveSource, to which the recorder (always), the
 * dashboard and the status line subscribe. Each sample is timestamped on arrival (t_s: seconds
 * since the log started, µs resolution). A line that brings a signal not seen before widens the
 * column set (the recorder starts a new CSV segment); a line with fewer signals is recorded with
 * empty cells, so no value is dropped.
 */
export class LogSession {
  readonly source: LiveSource;
  readonly recorder: LogRecorder;
  readonly counters: LogCounters = { samples: 0, badLines: 0, blankLines: 0, comments: 0, frames: 0, reconnects: 0 };
  private readonly perf0 = performance.now();
  private names: string[] = [];
  private index = new Map<string, number>();
  /** Column sets this session opened. */
  private columnSets = 0;
  private closedAt_s: number | null = null;
  private serial: Subscription | undefined;
  private ticker: Subscription | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private done!: Promise<void>;
  private finish: ((error?: Error) => void) | undefined;
  private rateWindow = { t: 0, samples: 0 };
  private ended = false;
  private everOpened = false;
  /** True when the port never opened and the new log's files were removed again. */
  discarded = false;

  constructor(private readonly options: LogSessionOptions) {
    this.recorder = new LogRecorder({
      dir: options.outDir,
      resume: options.resume,
      flushInterval_ms: options.flushInterval_ms,
      // A file that cannot be written (disk full …) ends the log as failed, with the error's one line.
      onError: (e) => this.end('failed', e),
      meta: { port: options.port, baud: options.baud ?? 115200, host: hostname(), version },
    });
    this.counters.samples = this.recorder.samples;
    this.counters.badLines = this.recorder.badLines;
    this.source = new LiveSource('log', `log ${options.port}`);
    this.recorder.attach(this.source);
  }

  /** Seconds since the log started. */
  now_s(): number {
    return Math.round((this.recorder.sessionOffset_s + (performance.now() - this.perf0) / 1000) * 1e6) / 1e6;
  }

  /** Opens the port and records until `stop()` or until the port fails (rejects with a user error). */
  run(): Promise<void> {
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = (error) => (error ? reject(error) : resolve());
    });
    this.ticker = interval(500).subscribe(() => this.publishMetrics());
    if (this.options.duration_s !== undefined) this.armDeadline(performance.now() + this.options.duration_s * 1000);
    this.serial = serialLines({
      path: this.options.port,
      baud: this.options.baud,
      reconnect: this.options.reconnect,
      retry_ms: this.options.retry_ms,
      maxLine: MAX_PLOTTER_LINE,
    }).subscribe({
      next: (e) => this.onSerial(e),
      error: (e: Error) => this.end('failed', e),
    });
    return this.done;
  }

  /**
   * Ends the log between two samples with `status` ('failed' with the reason for Ctrl-C, 'stopped
   * from the dashboard', …); `run()` then resolves. A new log whose port never opened is removed,
   * so --out stays usable.
   */
  stop(status: string, reason?: string): void {
    this.end(status, undefined, reason);
  }

  /** A timer can wait at most 2^31−1 ms (≈ 24.8 days); a longer --duration waits in steps. */
  private armDeadline(end_ms: number): void {
    const left = end_ms - performance.now();
    if (left <= 0) return this.end('closed');
    this.deadline = setTimeout(() => this.armDeadline(end_ms), Math.min(left, 2 ** 31 - 1));
  }

  private end(status: string, error?: Error, reason = error?.message): void {
    if (this.ended) return;
    this.ended = true;
    this.serial?.unsubscribe();
    this.ticker?.unsubscribe();
    clearTimeout(this.deadline);
    this.publishMetrics();
    this.source.complete(status, reason);
    this.recorder.close(status, reason);
    this.counters.samples = this.recorder.samples; // less the samples a write error kept off the disk
    if (!this.everOpened) this.discarded = this.recorder.discardIfEmpty();
    this.finish?.(error);
  }

  private onSerial(e: SerialLineEvent): void {
    const t = this.now_s();
    switch (e.type) {
      case 'open':
        this.everOpened = true;
        if (e.reopened) {
          this.counters.reconnects++;
          this.source.event({ type: 'gap', closed_s: this.closedAt_s ?? t, reopened_s: t, lastSample_s: this.recorder.lastSample_s, reason: 'port reopened after a disconnect' });
        }
        break;
      case 'closed':
        this.closedAt_s = t;
        this.source.event({ type: 'disconnected', t_s: t, reason: e.reason });
        break;
      case 'fragment':
        this.counters.badLines++;
        this.source.event({ type: 'bad', t_s: t, line: e.text, reason: e.reason });
        break;
      case 'line':
        this.onLine(t, e.line);
        break;
    }
  }

  private onLine(t: number, line: string): void {
    const p = parseLogLine(line);
    switch (p.kind) {
      case 'blank':
        this.counters.blankLines++;
        return;
      case 'comment':
        this.counters.comments++;
        return;
      case 'bad':
        this.counters.badLines++;
        this.source.event({ type: 'bad', t_s: t, line: line.length > 200 ? line.slice(0, 200) + '…' : line, reason: p.reason });
        return;
      case 'event':
        this.counters.frames++;
        this.source.event({ type: 'frame', t_s: t, text: p.text });
        return;
      case 'sample':
        this.onSample(t, p.names, p.values);
    }
  }

  private onSample(t: number, names: readonly string[], values: readonly number[]): void {
    let widened = false;
    let kept = 0;
    const mayWiden = this.columnSets < MAX_COLUMN_SETS;
    for (const n of names) {
      if (this.index.has(n)) {
        kept++;
      } else if (mayWiden && this.names.length < MAX_SIGNALS) {
        this.index.set(n, this.names.length + 1);
        this.names.push(n);
        widened = true;
        kept++;
      } else {
        this.recorder.noteOverLimit(n);
      }
    }
    if (kept === 0) return; // every label of the line is over the limit: nothing to record
    if (widened) {
      this.columnSets++;
      const units: Record<string, string> = {};
      for (const n of this.names) {
        const u = unitFromName(n);
        if (u) units[n] = u;
      }
      this.source.setColumns(['t_s', ...this.names], units);
    }
    const row = new Float64Array(this.names.length + 1);
    row[0] = t;
    let missing: Uint8Array | undefined;
    if (kept !== this.names.length) {
      missing = new Uint8Array(row.length).fill(1);
      missing[0] = 0;
    }
    for (let i = 0; i < names.length; i++) {
      const c = this.index.get(names[i]);
      if (c === undefined) continue;
      row[c] = values[i];
      if (missing) missing[c] = 0;
    }
    this.counters.samples++;
    this.source.push(missing ? { row, missing } : { row });
  }

  private publishMetrics(): void {
    const now = performance.now();
    const dt = (now - this.rateWindow.t) / 1000;
    const rate = this.rateWindow.t > 0 && dt > 0 ? (this.counters.samples - this.rateWindow.samples) / dt : 0;
    this.rateWindow = { t: now, samples: this.counters.samples };
    this.source.updateMetrics({
      t_s: this.now_s(),
      samples: this.counters.samples,
      samples_per_s: Math.round(rate * 10) / 10,
      bad_lines: this.counters.badLines,
      reconnects: this.counters.reconnects,
      frames: this.counters.frames,
      segments: this.recorder.segments.length,
    });
  }
}
