import { compile } from './compile.ts';
import { FuzzyModelError, locatedError } from './errors.ts';
import type { Engine } from './model.ts';
import { formatNumber } from './formats/numbers.ts';
import { cellNumber, type CsvTable } from '../../formats/csv.ts';

/**
 * `hilbench fuzzy eval` without the I/O: a table (formats/csv.ts) whose header names the input
 * variables in; out, the input columns plus one per output variable. Columns whose name is no input
 * variable (a run.csv's time, a .fld's output column) are left out, so a recording can be fed to a
 * model as it is. Rows are evaluated in order without a reset, as fuzzylite does, so lock-previous
 * outputs carry over from row to row.
 */
export function evaluateTable(engine: Engine, table: CsvTable): string {
  const { file, header } = table;
  if (header.length === 0) throw new FuzzyModelError(`${file}: empty file, expected a header naming the input variables (${engine.inputs.map((v) => v.name).join(', ')})`);
  const at = table.headerLine;
  const column = new Int32Array(engine.inputs.length).fill(-1);
  const used: number[] = [];
  header.forEach((name, c) => {
    const i = engine.inputs.findIndex((v) => v.name === name);
    if (i < 0) return;
    if (column[i] >= 0) throw locatedError(file, at, `column '${name}' appears twice`);
    column[i] = c;
    used.push(c);
  });
  const missing = engine.inputs.filter((_, i) => column[i] < 0).map((v) => v.name);
  if (missing.length === engine.inputs.length && engine.inputs.length > 0) {
    throw locatedError(file, at, `no column names an input variable of '${engine.name}' (inputs: ${engine.inputs.map((v) => v.name).join(', ')}); the first line must be a header`);
  }
  if (missing.length) throw locatedError(file, at, `missing input column(s): ${missing.join(', ')}`);

  const fast = compile(engine);
  const inputs = new Float64Array(engine.inputs.length);
  const outputs = new Float64Array(engine.outputs.length);
  const values = new Float64Array(header.length);
  const out: string[] = [[...used.map((c) => header[c]), ...engine.outputs.map((v) => v.name)].join(',')];
  for (let k = 0; k < table.rows.length; k++) {
    const cells = table.rows[k];
    for (const c of used) {
      const v = cellNumber(cells[c]);
      if (v === undefined) throw locatedError(file, table.lines[k], `column '${header[c]}': expected a number, found '${cells[c].slice(0, 40)}'`);
      if (Math.abs(v) === Infinity && !/inf/i.test(cells[c])) throw locatedError(file, table.lines[k], `column '${header[c]}': ${cells[c].slice(0, 40)} is beyond the range of a double (±1.8e308)`);
      values[c] = v;
    }
    for (let i = 0; i < inputs.length; i++) inputs[i] = values[column[i]];
    fast.evaluate(inputs, outputs);
    out.push([...used.map((c) => formatNumber(values[c])), ...Array.from(outputs, formatNumber)].join(','));
  }
  return out.join('\n') + '\n';
}
