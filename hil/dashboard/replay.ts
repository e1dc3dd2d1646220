import { UserError } from '../../errors/user-error.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eachCsvRecord } from '../../formats/csv.ts';

/** A recorded run loaded for the dashboard's replay: columnar, `null` for empty cells. */
export interface ReplayData {
  readonly file: string;
  readonly columns: readonly string[];
  /** data[c][i]: value of columns[c] in row i. Non-finite values are kept (NaN, ±Infinity). */
  readonly data: readonly (number | null)[][];
  /** '#' comment lines between rows (gaps, reconnects in `log` files), with the row they precede. */
  readonly notes: readonly { readonly row: number; readonly text: string }[];
  /** True when the file ended in an unterminated line (a crash): that line was ignored. */
  readonly tornTail: boolean;
  /** Units per column, from run.meta.json next to a run.csv or the '#' header of a log CSV. */
  readonly units: Readonly<Record<string, string>>;
  /** Signals to show first (the scenario's output and reference). */
  readonly preferred: readonly string[];
  /** metrics.json next to a run.csv, shown in the metrics panel. */
  readonly metrics: Readonly<Record<string, unknown>>;
}

/**
 * Reads a run.csv (from `run`, `hil run`) or a log CSV (from `log`, with '#' metadata and gap
 * lines). The first line that is not a comment is the header; its first column must be `t_s`.
 */
export function loadReplay(file: string): ReplayData {
  let text: string;
  try {
    // A device, FIFO or directory (e.g. /dev/zero) would never end or is no recording at all.
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a regular file; --replay takes a run.csv or log CSV`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // A crash can leave the last line unterminated: it is ignored (and said so), not read half.
  const end = text.lastIndexOf('\n') + 1;
  const tornTail = end < text.length;
  const body = text.slice(0, end);
  // '#' lines (a log's metadata, gaps and reconnects) are skipped by the reader; their text, in order.
  const comments = Array.from(body.matchAll(/^#(.*)$/gm), (m) => m[1].trim());
  let columns: string[] | undefined;
  let data: (number | null)[][] = [];
  const notes: { row: number; text: string }[] = [];
  let commentsSeen = 0;
  const takeNotes = (upTo: number): void => {
    for (; commentsSeen < upTo && commentsSeen < comments.length; commentsSeen++) if (columns) notes.push({ row: data[0].length, text: comments[commentsSeen] });
  };
  eachCsvRecord(body, file, (cells, line, commentsBefore) => {
    takeNotes(commentsBefore);
    if (!columns) {
      columns = cells;
      if (columns[0] !== 't_s') throw new UserError(`${file}:${line}: expected a header starting with t_s, found ${describeHeader(columns[0])}`);
      data = columns.map(() => []);
      return;
    }
    if (cells.length !== columns.length) throw new UserError(`${file}:${line}: ${cells.length} values, the header has ${columns.length} columns`);
    for (let c = 0; c < cells.length; c++) {
      const v = parseCell(cells[c]);
      if (v === undefined) throw new UserError(`${file}:${line}: column ${printable(columns[c])}: not a number`);
      data[c].push(v);
    }
    if (data[0][data[0].length - 1] === null) throw new UserError(`${file}:${line}: empty t_s`);
  });
  takeNotes(comments.length);
  if (!columns) throw new UserError(`${file}: no header row`);
  return { file, columns, data, notes, tornTail, ...sidecars(file, text.split('\n', 1)[0]) };
}

/** What the files written next to a run.csv (or a log CSV's first line) say about it; all optional. */
function sidecars(file: string, firstLine: string): Pick<ReplayData, 'units' | 'preferred' | 'metrics'> {
  const readJson = (p: string): Record<string, unknown> | undefined => {
    try {
      return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // a damaged side file only costs the labels, never the replay
    }
  };
  const dir = dirname(file);
  const meta = readJson(join(dir, 'run.meta.json'));
  const metrics = readJson(join(dir, 'metrics.json')) ?? {};
  let units = (meta?.units as Record<string, string> | undefined) ?? {};
  if (firstLine?.startsWith('# {')) {
    try {
      units = (JSON.parse(firstLine.slice(2)) as { units?: Record<string, string> }).units ?? units;
    } catch {
      // not a hilbench log header: no units
    }
  }
  const m = (meta?.scenarioResolved as { metrics?: { output?: string; reference?: string } } | undefined)?.metrics;
  const preferred = m ? [m.output, m.reference].filter((x): x is string => typeof x === 'string') : [];
  return { units, preferred, metrics };
}

/** Names what the first header cell looks like without echoing file content (which may be binary or secret). */
function describeHeader(first: string): string {
  if (first === '') return 'an empty first column';
  return /^[A-Za-z_][A-Za-z0-9_.]{0,39}$/.test(first) ? `a first column named ${first}` : 'text that is not a CSV header';
}

/** A column name for a message: only when it is a plain identifier, never raw bytes. */
function printable(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]{0,39}$/.test(name) ? name : '(unprintable name)';
}

function parseCell(s: string): number | null | undefined {
  if (s === '') return null;
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const v = Number(s);
  return Number.isFinite(v) && s.trim() === s ? v : undefined;
}
