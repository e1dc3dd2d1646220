import { readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UserError } from '../errors/user-error.ts';

/**
 * The one reader for every table hilbench reads (fuzzy eval inputs, training data, the rat table,
 * tuning results, run.csv recordings): csv-parse underneath, so quoting, a byte-order mark and CRLF
 * line ends behave the same everywhere, and every refusal is one line naming the file and line.
 */

export interface CsvTable {
  /** File name as the user gave it, for messages. */
  readonly file: string;
  /** Cells of the first record (trimmed, quotes removed); empty when `header: false`. */
  readonly header: string[];
  /** 1-based line of the header (0 without one). */
  readonly headerLine: number;
  /** Data records, each as wide as the header (or as the first record without one). */
  readonly rows: string[][];
  /** 1-based file line of each data record. */
  readonly lines: number[];
}

export interface CsvOptions {
  /**
   * `','` (the default); `'space'` for fuzzylite's .fld (runs of blanks and tabs separate cells);
   * `'any'` for hand-made training files (comma, semicolon, tab or blanks).
   */
  readonly delimiter?: ',' | 'space' | 'any';
  /** Lines starting with `#` are skipped (default true). */
  readonly comments?: boolean;
  /** The first record is a header (default true). */
  readonly header?: boolean;
  /** Quoted cells escape a quote as `\"` (cells written with JSON.stringify) instead of CSV's `""`. */
  readonly backslashEscapes?: boolean;
}

/** `.fld` files (fuzzylite's data format) are blank-separated; everything else is comma-separated. */
export function delimiterFor(file: string): ',' | 'space' {
  return /\.fld$/i.test(file) ? 'space' : ',';
}

/** Reads and parses `file`; read failures and malformed tables are one-line UserErrors naming it. */
export function readCsvFile(file: string, options: CsvOptions = {}): CsvTable {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a regular file`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseCsv(text, file, options);
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

/** Parses CSV text; `file` names it in messages. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvTable {
  const delimiter = options.delimiter ?? ',';
  const blanks = delimiter !== ',';
  if (text.includes('\0')) throw new UserError(`${file}:${lineOf(text, text.indexOf('\0'))}: binary content (a NUL byte), expected a text table`);
  let records: Parsed[];
  try {
    records = parse(text, {
      bom: true,
      comment: options.comments === false ? undefined : '#',
      comment_no_infix: true,
      delimiter: delimiter === ',' ? ',' : delimiter === 'space' ? [' ', '\t'] : [',', ';', ' ', '\t'],
      skip_empty_lines: true,
      trim: true,
      escape: options.backslashEscapes ? '\\' : '"',
      // A quote inside an unquoted cell (`say "hi"`) is taken as a character, as spreadsheets do.
      relax_quotes: true,
      // Blank-separated files give empty cells between runs of blanks: dropped below; every width is
      // checked then, with a message saying how many values the line has.
      relax_column_count: true,
      info: true,
    }) as unknown as Parsed[];
  } catch (e) {
    throw csvError(file, e);
  }
  const cells = records.map((r) => (blanks ? r.record.filter((c) => c !== '') : r.record));
  const withHeader = options.header !== false;
  const header = withHeader && cells.length > 0 ? cells[0] : [];
  const first = withHeader ? 1 : 0;
  const width = withHeader ? header.length : (cells[0]?.length ?? 0);
  for (let k = first; k < cells.length; k++) {
    if (cells[k].length !== width) {
      throw new UserError(`${file}:${records[k].info.lines}: ${cells[k].length} value${cells[k].length === 1 ? '' : 's'}, expected ${width}${withHeader ? ' (one per header column)' : ''}`);
    }
  }
  return {
    file,
    header,
    headerLine: withHeader && records.length > 0 ? records[0].info.lines : 0,
    rows: cells.slice(first),
    lines: records.slice(first).map((r) => r.info.lines),
  };
}

/**
 * Calls `onRecord` with each record in turn and keeps none of them, for recordings of millions of
 * rows: cells trimmed and unquoted, the record's 1-based line, and how many `#` comment lines
 * (skipped) came before it in the file. Errors thrown by `onRecord` propagate unchanged.
 */
export function eachCsvRecord(text: string, file: string, onRecord: (cells: string[], line: number, commentsBefore: number) => void): void {
  if (text.includes('\0')) throw new UserError(`${file}:${lineOf(text, text.indexOf('\0'))}: binary content (a NUL byte), expected a text table`);
  try {
    parse(text, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      info: true,
      on_record: (r: { record: string[]; info: { lines: number; comment_lines: number } }) => {
        onRecord(r.record, r.info.lines, r.info.comment_lines);
        return null;
      },
    } as never);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw csvError(file, e);
  }
}

/** csv-parse's errors as `file:line: what` (its own messages repeat the line and end in prose). */
function csvError(file: string, e: unknown): UserError {
  const err = e as { code?: string; lines?: number; message?: string };
  const line = err.lines !== undefined ? `:${err.lines}` : '';
  const what: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
    CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by more text in the same cell',
    CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a different number of values than the header has columns',
    CSV_RECORD_INCONSISTENT_COLUMNS: 'a different number of values than the header has columns',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after a closing quote',
  };
  const message = (err.code && what[err.code]) ?? (err.message ?? String(e)).replace(/ at line \d+.*$/, '');
  return new UserError(`${file}${line}: not a valid CSV table: ${message}`, { cause: e });
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * A number in a cell: decimal or exponent notation, plus `nan`, `inf`, `-inf` as fuzzylite writes
 * them; `undefined` for anything else. Values beyond the double range (1e400) are refused by the
 * callers through `finiteCell`.
 */
export function cellNumber(s: string): number | undefined {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  return Number(s);
}

/** A finite number in row `k` of `table`, column `c`; otherwise a UserError naming file, line and column. */
export function finiteCell(table: CsvTable, k: number, c: number, name = table.header[c] ?? `column ${c + 1}`): number {
  const s = table.rows[k][c];
  const v = cellNumber(s);
  if (v === undefined) throw new UserError(`${table.file}:${table.lines[k]}: ${name}: expected a number, found ${shown(s)}`);
  if (!Number.isFinite(v)) {
    const why = Number.isNaN(v) ? 'not a number' : /inf/i.test(s) ? 'infinite' : 'beyond the range of a double (±1.8e308)';
    throw new UserError(`${table.file}:${table.lines[k]}: ${name}: ${shown(s)} is ${why}`);
  }
  return v;
}

/** A cell quoted for a message: at most 40 characters (the CLI shows control characters escaped). */
export function shown(s: string): string {
  return `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
}
