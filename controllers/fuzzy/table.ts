import { compile } from './compile.ts';
import { FuzzyModelError, locatedError } from './errors.ts';
import type { Engine } from './model.ts';
import { formatNumber } from './formats/numbers.ts';

/**
 * `hilbench fuzzy eval` without the I/O: a CSV whose header names input variables in, the same
 * columns plus one per output variable out. Rows are evaluated in order without a reset, as
 * fuzzylite does, so lock-previous outputs carry over from row to row.
 */
export function evaluateCsv(engine: Engine, csv: string, file = '<inputs>'): string {
  const lines = csv.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new FuzzyModelError(`${file}: empty file, expected a header naming the input variables`);
  const header = lines[headerAt].split(',').map((s) => s.trim());
  const column = new Int32Array(engine.inputs.length).fill(-1);
  header.forEach((name, c) => {
    const i = engine.inputs.findIndex((v) => v.name === name);
    if (i < 0) throw locatedError(file, headerAt + 1, `column '${name}' is not an input variable of '${engine.name}' (inputs: ${engine.inputs.map((v) => v.name).join(', ')})`);
    if (column[i] >= 0) throw locatedError(file, headerAt + 1, `column '${name}' appears twice`);
    column[i] = c;
  });
  const missing = engine.inputs.filter((_, i) => column[i] < 0).map((v) => v.name);
  if (missing.length) throw locatedError(file, headerAt + 1, `missing input column(s): ${missing.join(', ')}`);

  const fast = compile(engine);
  const inputs = new Float64Array(engine.inputs.length);
  const outputs = new Float64Array(engine.outputs.length);
  const out: string[] = [[...header, ...engine.outputs.map((v) => v.name)].join(',')];
  for (let n = headerAt + 1; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const cells = line.split(',').map((s) => s.trim());
    if (cells.length !== header.length) throw locatedError(file, n + 1, `expected ${header.length} values, found ${cells.length}`);
    const values = cells.map((s, c) => {
      const v = cellNumber(s);
      if (v === undefined) throw locatedError(file, n + 1, `column '${header[c]}': expected a number, found '${s}'`);
      return v;
    });
    for (let i = 0; i < inputs.length; i++) inputs[i] = values[column[i]];
    fast.evaluate(inputs, outputs);
    out.push([...values.map(formatNumber), ...Array.from(outputs, formatNumber)].join(','));
  }
  return out.join('\n') + '\n';
}

function cellNumber(s: string): number | undefined {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  return Number(s);
}
