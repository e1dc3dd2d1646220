import { readFileSync } from 'node:fs';

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
}

function userError(message: string): Error {
  return Object.assign(new Error(message), { userError: true });
}

/**
 * Reads a run.csv (from `run`, `hil run`) or a log CSV (from `log`, with '#' metadata and gap
 * lines). The first line that is not a comment is the header; its first column must be `t_s`.
 */
export function loadReplay(file: string): ReplayData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw userError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const tornTail = last !== '';
  let columns: string[] | undefined;
  let data: (number | null)[][] = [];
  const notes: { row: number; text: string }[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (line.startsWith('#')) {
      if (columns) notes.push({ row: data[0].length, text: line.slice(1).trim() });
      continue;
    }
    if (!columns) {
      columns = line.split(',');
      if (columns[0] !== 't_s') throw userError(`${file}:${n + 1}: expected a header starting with t_s, found '${line.slice(0, 40)}'`);
      data = columns.map(() => []);
      continue;
    }
    if (line === '') continue;
    const cells = line.split(',');
    if (cells.length !== columns.length) throw userError(`${file}:${n + 1}: ${cells.length} values, the header has ${columns.length} columns`);
    for (let c = 0; c < cells.length; c++) {
      const v = parseCell(cells[c]);
      if (v === undefined) throw userError(`${file}:${n + 1}: column ${columns[c]}: '${cells[c].slice(0, 24)}' is not a number`);
      data[c].push(v);
    }
    if (data[0][data[0].length - 1] === null) throw userError(`${file}:${n + 1}: empty t_s`);
  }
  if (!columns) throw userError(`${file}: no header row`);
  return { file, columns, data, notes, tornTail };
}

function parseCell(s: string): number | null | undefined {
  if (s === '') return null;
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const v = Number(s);
  return Number.isFinite(v) && s.trim() === s ? v : undefined;
}
