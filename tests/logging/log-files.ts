import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The test's own reading of a log directory: samples per segment from log.ndjson, rows per CSV. */
export interface LogFiles {
  /** Per segment of log.ndjson (in order): its file, columns and samples as the CSV row they must be. */
  readonly segments: { file: string; columns: string[]; rows: string[] }[];
  /** Data rows of every CSV file in the directory, by file name. */
  readonly csv: Map<string, string[]>;
  readonly ndjsonSamples: number;
}

/** Whole lines of a file (an unterminated tail is not a line). */
export function wholeLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
}

/** A sample record written as a CSV row: t_s, then each column's value or an empty cell. */
function asRow(r: { t_s: number; v: Record<string, number | string> }, columns: string[]): string {
  return [String(r.t_s), ...columns.slice(1).map((c) => (c in r.v ? String(r.v[c]) : ''))].join(',');
}

export function readLog(dir: string): LogFiles {
  const segments: LogFiles['segments'] = [];
  let ndjsonSamples = 0;
  for (const line of wholeLines(join(dir, 'log.ndjson'))) {
    const r = JSON.parse(line);
    if (r.type === 'columns') segments.push({ file: r.file, columns: r.columns, rows: [] });
    if (r.type === 'sample') {
      ndjsonSamples++;
      const seg = segments[segments.length - 1];
      seg.rows.push(asRow(r, seg.columns));
    }
  }
  const csv = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter((f) => /^log(\.\d+)?\.csv$/.test(f))) {
    const rows = wholeLines(join(dir, f)).filter((l) => !l.startsWith('#'));
    csv.set(f, rows.slice(1));
  }
  return { segments, csv, ndjsonSamples };
}

/** Samples only in log.ndjson and rows only in a CSV, counted as the fault audit counted them. */
export function disagreement(dir: string): { onlyNdjson: number; onlyCsv: number } {
  const log = readLog(dir);
  let onlyNdjson = 0;
  let onlyCsv = 0;
  for (const seg of log.segments) {
    const rows = log.csv.get(seg.file) ?? [];
    onlyNdjson += Math.max(0, seg.rows.length - rows.length);
    onlyCsv += Math.max(0, rows.length - seg.rows.length);
  }
  for (const [f, rows] of log.csv) if (!log.segments.some((s) => s.file === f)) onlyCsv += rows.length;
  return { onlyNdjson, onlyCsv };
}

