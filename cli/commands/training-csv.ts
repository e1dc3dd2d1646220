import { UserError } from '../../errors/user-error.ts';
import { cellNumber, finiteCell, readCsvFile } from '../../formats/csv.ts';

/** A numeric table read from a training CSV: inputs first, target last (DESIGN §6). */
export interface TrainingTable {
  /** Column names from the header row, or input1 … inputN, output when there is none. */
  names: string[];
  inputs: number[][];
  targets: number[];
  /** 1-based file line of each data row, for error messages. */
  lines: number[];
}

/**
 * Reads a CSV of numbers (comma, semicolon, tab or blank separated, optional header row, `#`
 * comments) through the project's one CSV reader. Errors name the file and line:
 * `train.csv:7: 2 values, expected 3`.
 */
export function readTrainingCsv(path: string): TrainingTable {
  const first = readCsvFile(path, { delimiter: 'any', header: false });
  if (first.rows.length === 0) throw new UserError(`${path}: no data rows`);
  // A first row that is not all numbers is the header naming the variables.
  const hasHeader = first.rows[0].some((c) => cellNumber(c) === undefined);
  const table = hasHeader ? { ...first, header: first.rows[0], headerLine: first.lines[0], rows: first.rows.slice(1), lines: first.lines.slice(1) } : first;
  if (hasHeader) {
    const bad = table.header.find((f) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f));
    if (bad !== undefined) throw new UserError(`${path}:${table.headerLine}: '${bad.slice(0, 40)}' is neither a number nor a variable name (letters, digits, _)`);
  }
  if (table.rows.length === 0) throw new UserError(`${path}: no data rows${hasHeader ? ' (only a header)' : ''}`);
  const width = table.rows[0].length;
  if (width < 2) throw new UserError(`${path}: need at least one input column and the target column`);
  const rows = table.rows.map((r, k) => r.map((_, c) => finiteCell(table, k, c, hasHeader ? table.header[c] : `column ${c + 1}`)));
  return {
    names: hasHeader ? table.header : [...Array.from({ length: width - 1 }, (_, i) => `input${i + 1}`), 'output'],
    inputs: rows.map((r) => r.slice(0, -1)),
    targets: rows.map((r) => r[r.length - 1]),
    lines: table.lines,
  };
}

/**
 * What training needs beyond a well-formed table: two rows at least, and no input column that never
 * changes (its membership functions would span a range of width zero and every rule's firing
 * strength would be undefined there).
 */
export function checkTrainable(path: string, t: TrainingTable): void {
  if (t.inputs.length < 2) throw new UserError(`${path}: ${t.inputs.length} data row; training needs at least 2`);
  for (let c = 0; c < t.inputs[0].length; c++) {
    const v0 = t.inputs[0][c];
    if (t.inputs.every((r) => r[c] === v0)) throw new UserError(`${path}: input column '${t.names[c]}' is constant (${v0} on every row); drop it or vary it`);
  }
}
