import { UserError } from '../../errors/user-error.ts';
import { readFileSync } from 'node:fs';

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
 * Reads a CSV of numbers (comma, semicolon, tab or space separated, optional header row, `#`
 * comments). Errors name the file and line: `train.csv:7: expected 3 numbers, got 2`.
 */
export function readTrainingCsv(path: string): TrainingTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const rows: number[][] = [];
  const rowLines: number[] = [];
  let names: string[] | undefined;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/#.*/, '').trim();
    if (!line) continue;
    const fields = line.split(/[,;\t ]+/).filter((f) => f.length > 0);
    const values = fields.map(Number);
    if (values.some((v) => !Number.isFinite(v))) {
      if (rows.length === 0 && names === undefined && fields.every((f) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(f))) {
        names = fields;
        continue;
      }
      const bad = fields.find((f) => !Number.isFinite(Number(f)));
      throw new UserError(`${path}:${n + 1}: '${bad}' is not a finite number`);
    }
    const width = names?.length ?? rows[0]?.length ?? values.length;
    if (values.length !== width) throw new UserError(`${path}:${n + 1}: expected ${width} numbers, got ${values.length}`);
    rows.push(values);
    rowLines.push(n + 1);
  }
  if (rows.length === 0) throw new UserError(`${path}: no data rows`);
  const width = rows[0].length;
  if (width < 2) throw new UserError(`${path}: need at least one input column and the target column`);
  return {
    names: names ?? [...Array.from({ length: width - 1 }, (_, i) => `input${i + 1}`), 'output'],
    inputs: rows.map((r) => r.slice(0, -1)),
    targets: rows.map((r) => r[r.length - 1]),
    lines: rowLines,
  };
}
