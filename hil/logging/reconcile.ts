import { existsSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { formatNumber } from '../../run/record/csv-writer.ts';
import { LineFileWriter } from '../../run/record/line-file.ts';
import { forEachLine, isCsvRow, isSampleRecord } from './log-lines.ts';

/*
 * log.ndjson is the record of truth of a log: it holds every sample, gap, bad line and column set.
 * The CSV segments are a view of its samples, written by a second writer with its own flushes, so
 * after a kill -9 or a full disk one file can hold samples the other lacks. `--resume` makes every
 * CSV segment hold exactly the samples log.ndjson gives it, in order: rows past them are cut, rows
 * missing are written from log.ndjson, a segment file that is missing or has no header is written
 * anew, and a CSV with no column record in log.ndjson (a kill between the two) is removed. Only
 * regular files are touched (a segment linked to a device is left as it is), and nothing at all
 * without a log.ndjson.
 */

const isRegularFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** One segment as log.ndjson records it: its file, columns and number of samples. */
export interface NdjsonSegment {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: number;
}

/** What reconciling did to one CSV file. */
export interface ReconcileReport {
  readonly file: string;
  /** Data rows removed because log.ndjson does not have them. */
  readonly cut: number;
  /** Data rows written from log.ndjson. */
  readonly added: number;
  /** The file had no column record in log.ndjson and was removed. */
  readonly removed?: boolean;
}

const SEGMENT_FILE = /^log(\.\d+)?\.csv$/;

interface CsvState {
  /** The header matches the segment's columns. */
  readonly header: boolean;
  readonly rows: number;
  /** Byte offset just past the header and the first `keep` data rows. */
  readonly cutAt: number;
}

/** Counts the data rows of a segment CSV and finds where its first `keep` rows end. */
function csvState(path: string, columns: readonly string[], keep: number): CsvState {
  const header = columns.join(',');
  let seenHeader = false;
  let goodHeader = false;
  let rows = 0;
  let cutAt = 0;
  forEachLine(path, (line, end) => {
    if (!isCsvRow(line)) return;
    if (!seenHeader) {
      seenHeader = true;
      goodHeader = line === header;
      cutAt = end;
      return goodHeader;
    }
    rows++;
    if (rows <= keep) cutAt = end;
  });
  return { header: goodHeader, rows, cutAt };
}

/** The CSV row of a sample record, as CsvWriter writes it (empty cells for missing signals). */
function csvRow(record: { t_s: number; v: Record<string, number | string> }, columns: readonly string[]): string {
  const cell = (x: number | string): string => (typeof x === 'number' ? formatNumber(x) : x);
  let line = cell(record.t_s);
  for (let i = 1; i < columns.length; i++) {
    const x = record.v[columns[i]];
    line += x === undefined ? ',' : ',' + cell(x);
  }
  return line + '\n';
}

/**
 * Makes the CSV segments in `dir` agree with log.ndjson, whose segments (in order) are given.
 * Every file must already end with a whole line (recoverLineFile). Memory stays flat: files are
 * streamed, and rows to write go out through a LineFileWriter.
 */
export function reconcileCsv(dir: string, segments: readonly NdjsonSegment[]): ReconcileReport[] {
  const reports: ReconcileReport[] = [];
  if (!existsSync(join(dir, 'log.ndjson'))) return reports;
  /** Segment position → data rows the CSV already holds (-1: write the file anew). */
  const missing = new Map<number, number>();
  segments.forEach((seg, k) => {
    const path = join(dir, seg.file);
    if (existsSync(path) && !isRegularFile(path)) return;
    const state = existsSync(path) ? csvState(path, seg.columns, seg.rows) : undefined;
    if (!state?.header) {
      missing.set(k, -1);
    } else if (state.rows > seg.rows) {
      truncateSync(path, state.cutAt);
      reports.push({ file: seg.file, cut: state.rows - seg.rows, added: 0 });
    } else if (state.rows < seg.rows) {
      missing.set(k, state.rows);
    }
  });
  const known = new Set(segments.map((s) => s.file));
  for (const f of readdirSync(dir)) {
    if (!SEGMENT_FILE.test(f) || known.has(f) || !isRegularFile(join(dir, f))) continue;
    let rows = 0;
    forEachLine(join(dir, f), (line) => void (isCsvRow(line) && rows++));
    rmSync(join(dir, f));
    reports.push({ file: f, cut: Math.max(0, rows - 1), added: 0, removed: true });
  }
  if (missing.size > 0) reports.push(...writeMissingRows(dir, segments, missing));
  return reports;
}

/** Second pass over log.ndjson: writes the rows the CSV segments in `missing` lack. */
function writeMissingRows(dir: string, segments: readonly NdjsonSegment[], missing: ReadonlyMap<number, number>): ReconcileReport[] {
  const reports: ReconcileReport[] = [];
  let k = -1;
  let sample = 0;
  let from = 0;
  let added = 0;
  let cut = 0;
  let meta: Record<string, unknown> = {};
  let writer: LineFileWriter | undefined;
  const finish = (): void => {
    if (!writer) return;
    writer.close();
    reports.push({ file: segments[k].file, cut, added });
    writer = undefined;
  };
  try {
    forEachLine(join(dir, 'log.ndjson'), (line) => {
      if (isSampleRecord(line)) {
        if (writer && sample++ >= from) {
          writer.append(csvRow(JSON.parse(line), segments[k].columns));
          added++;
        }
        return;
      }
      if (line.startsWith('{"type":"meta"')) {
        const { type: _type, session: _session, sessionStart_s: _start, ...rest } = JSON.parse(line) as Record<string, unknown>;
        meta = rest;
      } else if (line.startsWith('{"type":"columns"')) {
        finish();
        k++;
        sample = 0;
        added = 0;
        cut = 0;
        const have = missing.get(k);
        if (have === undefined || k >= segments.length) return;
        const seg = segments[k];
        const path = join(dir, seg.file);
        const r = JSON.parse(line) as { segment: number; units: Record<string, string> };
        if (have < 0) {
          // No usable header: the file is written anew (what it held, if anything, is counted as cut).
          if (existsSync(path)) forEachLine(path, (l) => void (isCsvRow(l) && cut++));
          cut = Math.max(0, cut - 1);
          writer = new LineFileWriter(path);
          writer.open();
          writer.append(`# ${JSON.stringify({ ...meta, segment: r.segment, units: r.units })}\n${seg.columns.join(',')}\n`);
          from = 0;
        } else {
          writer = new LineFileWriter(path, { mode: 'append' });
          writer.open();
          from = have;
        }
      }
    });
    finish();
  } finally {
    writer?.close();
  }
  return reports;
}
