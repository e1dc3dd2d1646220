import { UserError } from '../../errors/user-error.ts';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { LiveColumns, LiveEvent, LiveSample, LiveSource } from '../live/live-source.ts';
import { CsvWriter } from '../../run/record/csv-writer.ts';
import { fileError, recoverLineFile, type RecoveryReport } from '../../run/record/line-file.ts';
import { NdjsonWriter } from './ndjson-writer.ts';
import { countRecords, cutLastRecords, forEachLine, forEachLineBackwards, isCsvRow, isSampleRecord } from './log-lines.ts';
import { reconcileCsv, type ReconcileReport } from './reconcile.ts';

/** The metadata header of every `log` file (first NDJSON record, first '#' line of every CSV). */
export interface LogMeta {
  readonly format: 'hilbench-log';
  readonly formatVersion: 1;
  readonly port: string;
  readonly baud: number;
  /** ISO time of the log's first start; t_s counts from here, across resumed sessions. */
  readonly started: string;
  readonly host: string;
  readonly version: string;
}

export interface SegmentInfo {
  readonly file: string;
  readonly columns: readonly string[];
  readonly units: Readonly<Record<string, string>>;
  rows: number;
}

export interface GapInfo {
  readonly closed_s: number;
  readonly reopened_s: number;
  readonly lastSample_s: number | null;
  readonly reason: string;
}

export interface LogRecorderOptions {
  readonly dir: string;
  readonly meta: Omit<LogMeta, 'format' | 'formatVersion' | 'started'>;
  /** Continue a log already in `dir` (repairing files left by a crash) instead of refusing it. */
  readonly resume?: boolean;
  readonly flushInterval_ms?: number;
  /** Wall clock (ms since epoch) for the start time; default Date.now. */
  readonly now?: () => number;
  /**
   * Called once when a file cannot be written any more (disk full, EIO …), from a subscriber or
   * the idle flush; the recorder then takes no more data and the owner should end the log.
   */
  readonly onError?: (e: Error) => void;
}

const NDJSON = 'log.ndjson';
const META = 'log.meta.json';
/**
 * Gaps kept in memory and in log.meta.json: the latest ones (every gap is in log.ndjson). A cable
 * that drops every few seconds for days would otherwise grow the list, and the metadata file
 * rewritten at each gap, without bound.
 */
export const MAX_META_GAPS = 100;
/** Labels over the limit named in log.meta.json (all are counted). */
export const OVER_LIMIT_NAMES = 20;

/**
 * Records a LiveSource to a log directory: `log.ndjson` (every sample, gap, bad line and board
 * event, one JSON record per line), one CSV per column set (`log.csv`, `log.2.csv`, … — a new
 * segment starts when a signal never seen before appears, and older sets continue in the widest
 * segment with empty cells), and `log.meta.json` (metadata, segments, gaps, counters). All files
 * are appended with a bounded flush interval and survive `kill -9` (see LineFileWriter).
 */
export class LogRecorder {
  readonly meta: LogMeta;
  /** Seconds from the log's start to this session's start (0 for a new log). */
  readonly sessionOffset_s: number;
  readonly segments: SegmentInfo[] = [];
  /** The latest MAX_META_GAPS gaps; `gapCount` counts them all. */
  readonly gaps: GapInfo[] = [];
  gapCount = 0;
  readonly recovered: { file: string; report: RecoveryReport }[] = [];
  /** What `--resume` changed in the CSV segments to make them agree with log.ndjson (the record of truth). */
  readonly reconciled: ReconcileReport[] = [];
  /** Samples received that a write error (a full disk …) kept out of the files; 0 when none. */
  samplesNotWritten = 0;
  lastSample_s: number | null = null;
  /**
   * Values not recorded because their label was over the session's label limits (LogSession), and
   * the first OVER_LIMIT_NAMES such labels; carried over from the previous log.meta.json on resume.
   */
  readonly overLimit: { values: number; labels: string[] } = { values: 0, labels: [] };
  samples = 0;
  badLines = 0;
  frames = 0;
  private sessions = 1;
  private readonly ndjson: NdjsonWriter;
  private csv: CsvWriter | undefined;
  private columns: readonly string[] = ['t_s'];
  private status = 'recording';
  /** Why the log ended when it did not end as planned (Ctrl-C, a file that could not be written …). */
  private reason: string | undefined;
  private subscriptions: Subscription[] = [];
  /** The first write error; from then on nothing more is recorded. */
  failure: Error | undefined;

  constructor(private readonly options: LogRecorderOptions) {
    const { dir } = options;
    mkdirSync(dir, { recursive: true });
    const nowMs = (options.now ?? Date.now)();
    const ndPath = join(dir, NDJSON);
    const exists = existsSync(ndPath) || existsSync(join(dir, 'log.csv'));
    if (exists && !options.resume) {
      throw new UserError(`${dir} already holds a log; pass --resume to continue it (a file left by a crash is repaired) or choose another --out`);
    }
    let started = new Date(nowMs).toISOString();
    if (exists) {
      for (const f of readdirSync(dir).filter((f) => f === NDJSON || /^log(\.\d+)?\.csv$/.test(f))) {
        const report = recoverLineFile(join(dir, f));
        if (report.droppedBytes > 0) this.recovered.push({ file: f, report });
      }
      const previous = readPrevious(dir);
      this.reconciled.push(...reconcileCsv(dir, previous.segments));
      started = previous.started ?? started;
      this.segments.push(...previous.segments);
      this.gaps.push(...previous.gaps);
      this.gapCount = previous.gapCount;
      this.sessions = previous.sessions + 1;
      this.lastSample_s = previous.lastSample_s;
      this.samples = previous.samples;
      this.badLines = previous.badLines;
      const before = previousMeta(dir)?.overLimit;
      if (before && Number.isInteger(before.values) && Array.isArray(before.labels)) {
        this.overLimit.values = before.values;
        this.overLimit.labels.push(...before.labels.slice(0, OVER_LIMIT_NAMES).map(String));
      }
    }
    this.meta = { format: 'hilbench-log', formatVersion: 1, ...options.meta, started };
    this.sessionOffset_s = Math.max(0, (nowMs - Date.parse(started)) / 1000);
    this.ndjson = new NdjsonWriter(ndPath, { mode: 'append', flushInterval_ms: options.flushInterval_ms, onError: (e) => this.fail(e) });
    this.ndjson.open();
    this.ndjson.write({ type: 'meta', ...this.meta, session: this.sessions, sessionStart_s: this.sessionOffset_s }, { now: true });
    if (exists) {
      const gap: GapInfo = {
        closed_s: this.lastSample_s ?? 0,
        reopened_s: this.sessionOffset_s,
        lastSample_s: this.lastSample_s,
        reason: `resumed after ${previousStatus(options.dir) === 'recording' ? 'a crash' : 'the logger stopped'}${this.recovered.length ? ' (torn last line repaired)' : ''}`,
      };
      this.recordGap(gap);
    }
    this.writeMeta();
  }

  /** Subscribes to a live stream: its column sets, samples and events go to disk. */
  attach(source: LiveSource): void {
    this.subscriptions.push(
      source.columns$.subscribe((c) => this.guard(() => this.onColumns(c))),
      source.samples$.subscribe((s) => this.guard(() => this.onSample(s))),
      source.events$.subscribe((e) => this.guard(() => this.onEvent(e))),
    );
  }

  /** Runs a subscriber's work; a write error must not escape into RxJS (it would be rethrown as uncaught). */
  private guard(work: () => void): void {
    if (this.failure) return;
    try {
      work();
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.options.onError?.(e);
  }

  private onColumns(c: LiveColumns): void {
    if (c.columns.length <= 1 || sameColumns(c.columns, this.columns)) return;
    this.csv?.end();
    const index = this.segments.length + 1;
    const file = index === 1 ? 'log.csv' : `log.${index}.csv`;
    const path = join(this.options.dir, file);
    const csv = new CsvWriter(path, {
      flushInterval_ms: this.options.flushInterval_ms,
      onError: (e) => this.fail(e),
      preamble: [`# ${JSON.stringify({ ...this.meta, segment: index, units: c.units })}`],
    });
    try {
      csv.begin(c.columns);
      this.ndjson.write({ type: 'columns', segment: index, file, columns: c.columns, units: c.units }, { now: true });
    } catch (e) {
      // A segment is only one once both files have it: the new CSV holds no row yet, remove it.
      try {
        csv.end();
      } catch {
        // already reported by the throw below
      }
      rmSync(path, { force: true });
      throw e;
    }
    this.segments.push({ file, columns: c.columns, units: c.units, rows: 0 });
    this.columns = c.columns;
    this.csv = csv;
    this.writeMeta();
  }

  private onSample(s: LiveSample): void {
    const { row, missing } = s;
    const v: Record<string, number> = {};
    for (let i = 1; i < row.length; i++) if (!missing || missing[i] === 0) v[this.columns[i]] = row[i];
    // Both writers get the line even when one fails, so that the count of samples handed to each
    // is the same and what did not reach the disk can be worked out at close (keepCommonSamples).
    this.segments[this.segments.length - 1].rows++;
    this.lastSample_s = row[0];
    this.samples++;
    let error: unknown;
    try {
      if (missing) this.csv!.writePartial(row, Array.from(missing, (m) => m === 0));
      else this.csv!.write(row);
    } catch (e) {
      error = e;
    }
    try {
      this.ndjson.write({ type: 'sample', t_s: row[0], v });
    } catch (e) {
      error ??= e;
    }
    if (error) throw error;
  }

  private onEvent(e: LiveEvent): void {
    switch (e.type) {
      case 'gap':
        this.recordGap(e);
        this.writeMeta();
        break;
      case 'bad':
        this.badLines++;
        this.ndjson.write(e);
        break;
      case 'frame':
        this.frames++;
        this.ndjson.write(e);
        break;
      case 'disconnected':
      case 'control':
        this.ndjson.write(e);
        this.csv?.comment(`${e.type} at t_s=${e.t_s}: ${'reason' in e ? e.reason : e.detail}`);
        break;
      case 'end':
        this.status = e.status;
        break;
    }
  }

  /** Counts one value whose label was over the limit; the first labels are named in log.meta.json. */
  noteOverLimit(label: string): void {
    this.overLimit.values++;
    if (this.overLimit.labels.length < OVER_LIMIT_NAMES && !this.overLimit.labels.includes(label)) {
      this.overLimit.labels.push(label);
      this.guard(() => this.writeMeta()); // so that a crash still tells which labels were left out
    }
  }

  private recordGap(g: GapInfo): void {
    const gap: GapInfo = { closed_s: g.closed_s, reopened_s: g.reopened_s, lastSample_s: g.lastSample_s, reason: g.reason };
    this.gaps.push(gap);
    if (this.gaps.length > MAX_META_GAPS) this.gaps.shift();
    this.gapCount++;
    this.ndjson.write({ type: 'gap', ...gap }, { now: true });
    this.csv?.comment(`gap from t_s=${gap.closed_s} to t_s=${gap.reopened_s} (${gap.reason})`);
  }

  /** Writes log.meta.json atomically (temporary file, then rename). */
  writeMeta(): void {
    const body = {
      ...this.meta,
      sessions: this.sessions,
      status: this.status,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      samples: this.samples,
      badLines: this.badLines,
      overLimit: this.overLimit,
      frames: this.frames,
      lastSample_s: this.lastSample_s,
      segments: this.segments,
      gapCount: this.gapCount,
      gaps: this.gaps,
      recovered: this.recovered,
      reconciled: this.reconciled,
      ...(this.samplesNotWritten > 0 ? { samplesNotWritten: this.samplesNotWritten } : {}),
    };
    writeMetaFile(join(this.options.dir, META), JSON.stringify(body, null, 2));
  }

  /**
   * Flushes and closes every file; `status` (and `reason`) go into log.meta.json. Safe to call
   * twice. Never throws: a write error here is reported like any other (`failure`, onError) and the
   * remaining files are still closed.
   */
  close(status?: string, reason?: string): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
    if (reason !== undefined) this.reason = reason;
    if (status) this.status = status;
    else if (this.status === 'recording') this.status = 'closed';
    const steps = [() => this.csv?.end(), () => this.ndjson.close(), () => this.failure && this.keepCommonSamples(), () => this.writeMeta()];
    for (const step of steps) {
      try {
        step();
      } catch (e) {
        this.fail(e as Error);
      }
    }
  }

  /**
   * After a write error (a full disk …), log.ndjson and the current CSV segment may each have put
   * a different number of this segment's samples on disk. Both are cut back to the samples they
   * both hold — cutting needs no space, so this works on a full disk — and the counts say so.
   */
  private keepCommonSamples(): void {
    const seg = this.segments[this.segments.length - 1];
    if (!this.csv || !seg) return;
    const ndPath = join(this.options.dir, NDJSON);
    const csvPath = join(this.options.dir, seg.file);
    // A write cut short whose file could not be cut back may leave a torn line: remove it first.
    recoverLineFile(ndPath);
    recoverLineFile(csvPath);
    const inNdjson = seg.rows - countRecords(this.ndjson.notOnDisk(), isSampleRecord);
    const inCsv = seg.rows - countRecords(this.csv.notOnDisk(), isCsvRow);
    const common = Math.min(inNdjson, inCsv);
    cutLastRecords(ndPath, inNdjson - common, isSampleRecord);
    cutLastRecords(csvPath, inCsv - common, isCsvRow);
    const lost = seg.rows - common;
    seg.rows = common;
    this.samples -= lost;
    this.samplesNotWritten += lost;
    if (lost > 0) this.lastSample_s = lastSampleTime(ndPath);
  }

  /**
   * After `close()`: removes a new log that never received anything (its port never opened), so the
   * corrected command can run with the same --out. A resumed log, or one with any line, is kept.
   */
  discardIfEmpty(): boolean {
    if (this.sessions !== 1 || this.samples > 0 || this.badLines > 0 || this.segments.length > 0) return false;
    rmSync(join(this.options.dir, NDJSON), { force: true });
    rmSync(join(this.options.dir, META), { force: true });
    try {
      rmdirSync(this.options.dir); // only if it is now empty
    } catch {
      // not empty: something else lives there
    }
    return true;
  }
}

/** What the previous session left in log.meta.json (undefined if it cannot be read). */
function previousMeta(dir: string): { status?: string; overLimit?: { values: number; labels: unknown[] } } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, META), 'utf8')) as ReturnType<typeof previousMeta>;
  } catch {
    return undefined;
  }
}

/** The status the previous session left in log.meta.json: 'recording' means it never closed (a crash). */
function previousStatus(dir: string): string | undefined {
  return previousMeta(dir)?.status;
}

/** Bytes of slack in log.meta.json for the final rewrite in place on a full disk (writeMetaFile). */
const META_SLACK = 2048;
const PAGE = 4096;

/**
 * Writes log.meta.json atomically (a temporary file, then rename), padded with spaces (JSON allows
 * trailing white space) to whole pages with at least META_SLACK bytes to spare. On a full disk the
 * temporary file cannot be written: it is removed, and the text is written over the old file in
 * place, within the pages it already holds, so the final status still reaches the disk.
 */
function writeMetaFile(path: string, json: string): void {
  const text = Buffer.from(json + '\n');
  const size = Math.ceil((text.length + META_SLACK) / PAGE) * PAGE;
  const padded = Buffer.alloc(size, ' ');
  text.copy(padded);
  padded[size - 1] = 10;
  try {
    writeFileSync(path + '.tmp', padded);
    renameSync(path + '.tmp', path);
    return;
  } catch (e) {
    rmSync(path + '.tmp', { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if ((code !== 'ENOSPC' && code !== 'EDQUOT') || !overwriteInPlace(path, text)) throw fileError(path, 'write', e);
  }
}

/** Writes `text` over the start of an existing file no shorter than it, spaces after it; false if it does not fit. */
function overwriteInPlace(path: string, text: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size < text.length) return false;
    const padded = Buffer.alloc(size, ' ');
    text.copy(padded);
    padded[size - 1] = 10;
    for (let off = 0; off < size; ) off += writeSync(fd, padded, off, size - off, off);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** t_s of the last sample in log.ndjson, or null if it holds none. */
function lastSampleTime(path: string): number | null {
  let t: number | null = null;
  forEachLineBackwards(path, (line) => {
    if (!isSampleRecord(line)) return;
    t = (JSON.parse(line) as { t_s: number }).t_s;
    return false;
  });
  return t;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

interface Previous {
  started?: string;
  segments: SegmentInfo[];
  /** The latest MAX_META_GAPS gaps, and how many there were. */
  gaps: GapInfo[];
  gapCount: number;
  sessions: number;
  lastSample_s: number | null;
  samples: number;
  badLines: number;
}

/**
 * What an earlier session left: log.meta.json when it closed cleanly, otherwise rebuilt from the
 * NDJSON records (the metadata file of a crashed session lags behind its data).
 */
function readPrevious(dir: string): Previous {
  const prev: Previous = { segments: [], gaps: [], gapCount: 0, sessions: 0, lastSample_s: null, samples: 0, badLines: 0 };
  const nd = join(dir, NDJSON);
  if (!existsSync(nd)) return prev;
  forEachLine(nd, (line) => scanRecord(line, prev));
  return prev;
}

function scanRecord(line: string, prev: Previous): void {
  if (line.startsWith('{"type":"sample"')) {
    prev.samples++;
    prev.segments[prev.segments.length - 1].rows++;
    const m = /"t_s":([^,}]+)/.exec(line);
    if (m) prev.lastSample_s = Number(m[1]);
    return;
  }
  const r = JSON.parse(line) as Record<string, unknown>;
  if (r.type === 'meta') {
    prev.sessions++;
    prev.started ??= r.started as string;
  } else if (r.type === 'columns') {
    prev.segments.push({ file: r.file as string, columns: r.columns as string[], units: r.units as Record<string, string>, rows: 0 });
  } else if (r.type === 'gap') {
    prev.gaps.push({ closed_s: r.closed_s as number, reopened_s: r.reopened_s as number, lastSample_s: r.lastSample_s as number | null, reason: r.reason as string });
    if (prev.gaps.length > MAX_META_GAPS) prev.gaps.shift();
    prev.gapCount++;
  } else if (r.type === 'bad') {
    prev.badLines++;
  }
}
