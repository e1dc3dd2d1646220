import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvWriter } from '../../run/record/csv-writer.ts';
import { LineFileWriter, recoverLineFile } from '../../run/record/line-file.ts';
import { NdjsonWriter } from '../../hil/logging/ndjson-writer.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'hilbench-writers-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CsvWriter (the run.csv format)', () => {
  it('writes the header and one line per row in shortest round-trip form, nan/inf/-inf for non-finite', () => {
    const path = join(tmp(), 'run.csv');
    const w = new CsvWriter(path);
    w.begin(['t_s', 'x_m', 'u_V']);
    const rows = [
      [0, 0.1 + 0.2, 1e-300],
      [0.001, NaN, -Infinity],
      [0.002, Infinity, -0],
      [123456789012, 5e-324, 1.7976931348623157e308],
    ];
    for (const r of rows) w.write(Float64Array.from(r));
    w.end();
    // Independent reference: the documented format, spelled out by hand.
    expect(readFileSync(path, 'utf8')).toBe(
      't_s,x_m,u_V\n0,0.30000000000000004,1e-300\n0.001,nan,-inf\n0.002,inf,0\n123456789012,5e-324,1.7976931348623157e+308\n',
    );
  });

  it('hands rows to the OS within the flush interval even when no further row arrives', async () => {
    const path = join(tmp(), 'run.csv');
    const w = new CsvWriter(path, { flushInterval_ms: 50 });
    w.begin(['t_s', 'a']);
    w.write(Float64Array.of(0, 1));
    w.write(Float64Array.of(1, 2));
    expect(readFileSync(path, 'utf8')).toBe('t_s,a\n'); // still buffered
    // Nothing else is written: only the interval timer can flush (polled, so a loaded machine does not fail it).
    const t0 = Date.now();
    while (readFileSync(path, 'utf8') === 't_s,a\n' && Date.now() - t0 < 5000) await sleep(20);
    expect(readFileSync(path, 'utf8')).toBe('t_s,a\n0,1\n1,2\n');
    w.end();
  });

  it('flushes at once when the byte threshold is reached', () => {
    const path = join(tmp(), 'run.csv');
    const w = new CsvWriter(path, { flushInterval_ms: 60_000, flushBytes: 20 });
    w.begin(['t_s', 'a']);
    for (let i = 0; i < 10; i++) w.write(Float64Array.of(i, i * 1000));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.length).toBeGreaterThan(5);
    w.end();
  });

  it('append mode continues a file after cutting its torn tail, and refuses other columns', () => {
    const path = join(tmp(), 'log.csv');
    writeFileSync(path, '# meta\nt_s,a\n0,1\n1,2\n2,3');
    const w = new CsvWriter(path, { mode: 'append' });
    w.begin(['t_s', 'a']);
    expect(w.recovered).toEqual({ keptBytes: 21, droppedBytes: 3 });
    w.write(Float64Array.of(3, 4));
    w.end();
    expect(readFileSync(path, 'utf8')).toBe('# meta\nt_s,a\n0,1\n1,2\n3,4\n');
    const other = new CsvWriter(path, { mode: 'append' });
    expect(() => other.begin(['t_s', 'b'])).toThrow(/cannot append, its columns \(t_s,a\) differ from t_s,b/);
  });

  it('writes partial rows with empty cells and comment lines', () => {
    const path = join(tmp(), 'log.csv');
    const w = new CsvWriter(path, { preamble: ['# hello'] });
    w.begin(['t_s', 'a', 'b']);
    w.writePartial(Float64Array.of(0.5, 0, 7), [true, false, true]);
    w.comment('gap from t_s=1 to t_s=2');
    w.end();
    expect(readFileSync(path, 'utf8')).toBe('# hello\nt_s,a,b\n0.5,,7\n# gap from t_s=1 to t_s=2\n');
  });
});

describe('recoverLineFile', () => {
  it('cuts only an unterminated last line, also past a 64 KiB block', () => {
    const dir = tmp();
    const a = join(dir, 'a');
    writeFileSync(a, 'x\ny\n');
    expect(recoverLineFile(a)).toEqual({ keptBytes: 4, droppedBytes: 0 });
    const b = join(dir, 'b');
    const long = 'z'.repeat(200_000);
    writeFileSync(b, 'head\n' + long);
    expect(recoverLineFile(b)).toEqual({ keptBytes: 5, droppedBytes: 200_000 });
    expect(readFileSync(b, 'utf8')).toBe('head\n');
    const c = join(dir, 'c');
    writeFileSync(c, 'no newline at all');
    expect(recoverLineFile(c).keptBytes).toBe(0);
    expect(readFileSync(c, 'utf8')).toBe('');
  });

  it('LineFileWriter in append mode repairs then appends', () => {
    const p = join(tmp(), 'f');
    writeFileSync(p, 'one\ntw');
    const w = new LineFileWriter(p, { mode: 'append' });
    w.open();
    w.append('three\n');
    w.close();
    appendFileSync(p, '');
    expect(readFileSync(p, 'utf8')).toBe('one\nthree\n');
  });
});

describe('NdjsonWriter', () => {
  it('writes one JSON object per line, non-finite numbers as strings', () => {
    const p = join(tmp(), 'x.ndjson');
    const w = new NdjsonWriter(p);
    w.open();
    w.write({ type: 'sample', t_s: 0.25, v: { a: NaN, b: Infinity, c: -Infinity, d: 1.5 } });
    w.write({ type: 'gap', note: 'line\nbreak' });
    w.close();
    const lines = readFileSync(p, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0])).toEqual({ type: 'sample', t_s: 0.25, v: { a: 'nan', b: 'inf', c: '-inf', d: 1.5 } });
    expect(JSON.parse(lines[1]).note).toBe('line\nbreak');
  });
});
