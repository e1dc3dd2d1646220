/**
 * --resume makes the CSV segments agree with log.ndjson, the record of truth: rows the CSV lacks
 * are written from log.ndjson exactly as the CSV writer wrote them, rows log.ndjson lacks are cut,
 * a missing segment is written anew and a CSV with no column set in log.ndjson is removed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveSource } from '../../hil/live/live-source.ts';
import { countRecords, cutLastRecords, forEachLine, forEachLineBackwards, isCsvRow, isSampleRecord } from '../../hil/logging/log-lines.ts';
import { LogRecorder } from '../../hil/logging/log-recorder.ts';
import { readLog } from './log-files.ts';

const meta = { port: '/dev/null', baud: 115200, host: 'test', version: 'test' };

/** A closed log of two segments: 50 rows of (a, b) with gaps and non-finite values, then 30 rows of (a, b, c). */
function makeLog(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'hilbench-reconcile-')), 'log');
  const rec = new LogRecorder({ dir, meta, now: () => Date.parse('2026-01-01T00:00:00Z') });
  const source = new LiveSource('log', 'test');
  rec.attach(source);
  source.setColumns(['t_s', 'a', 'b'], { a: 'm' });
  for (let i = 0; i < 50; i++) {
    const row = Float64Array.of(i / 100, i * 0.1, i % 9 === 0 ? NaN : -i / 3);
    source.push(i % 7 === 3 ? { row, missing: Uint8Array.of(0, 0, 1) } : { row });
  }
  source.setColumns(['t_s', 'a', 'b', 'c'], { a: 'm' });
  for (let i = 50; i < 80; i++) source.push({ row: Float64Array.of(i / 100, i * 0.1, -i / 3, i % 5 === 0 ? Infinity : i) });
  rec.close();
  return dir;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
/** `text` (whole lines) without its last `n` lines. */
const dropLastLines = (text: string, n: number) => text.split('\n').slice(0, -1 - n).join('\n') + '\n';
const resume = (dir: string) => {
  const rec = new LogRecorder({ dir, meta, resume: true });
  rec.close();
  return rec;
};

describe('--resume reconciles the CSV segments with log.ndjson', () => {
  it('writes the rows a CSV lacks, byte for byte as the CSV writer wrote them', () => {
    const dir = makeLog();
    const csv1 = read(dir, 'log.csv');
    const csv2 = read(dir, 'log.2.csv');
    writeFileSync(join(dir, 'log.csv'), dropLastLines(csv1, 10));
    writeFileSync(join(dir, 'log.2.csv'), dropLastLines(csv2, 30)); // the header only
    const rec = resume(dir);
    expect(read(dir, 'log.csv')).toBe(csv1);
    expect(read(dir, 'log.2.csv')).toBe(csv2);
    expect(rec.reconciled).toEqual([
      { file: 'log.csv', cut: 0, added: 10 },
      { file: 'log.2.csv', cut: 0, added: 30 },
    ]);
    expect(JSON.parse(read(dir, 'log.meta.json')).reconciled).toEqual(rec.reconciled);
  });

  it('cuts the rows log.ndjson does not have', () => {
    const dir = makeLog();
    const csv2 = read(dir, 'log.2.csv');
    const nd = read(dir, 'log.ndjson');
    writeFileSync(join(dir, 'log.ndjson'), dropLastLines(nd, 7)); // the last 7 samples
    const rec = resume(dir);
    expect(read(dir, 'log.2.csv')).toBe(dropLastLines(csv2, 7));
    expect(rec.reconciled).toEqual([{ file: 'log.2.csv', cut: 7, added: 0 }]);
    expect(rec.samples).toBe(73);
  });

  it('writes a missing segment anew and removes a CSV that log.ndjson has no column set for', () => {
    const dir = makeLog();
    const csv1 = read(dir, 'log.csv');
    rmSync(join(dir, 'log.csv'));
    writeFileSync(join(dir, 'log.3.csv'), '# {"segment":3}\nt_s,a\n1,2\n3,4\n');
    const rec = resume(dir);
    expect(read(dir, 'log.csv')).toBe(csv1);
    expect(rec.reconciled).toEqual([
      { file: 'log.3.csv', cut: 2, added: 0, removed: true },
      { file: 'log.csv', cut: 0, added: 50 },
    ]);
    const log = readLog(dir);
    expect([...log.csv.keys()].sort()).toEqual(['log.2.csv', 'log.csv']);
    for (const seg of log.segments) expect(log.csv.get(seg.file)).toEqual(seg.rows);
  });

  it('leaves files that agree alone', () => {
    const dir = makeLog();
    const before = [read(dir, 'log.csv'), read(dir, 'log.2.csv')];
    expect(resume(dir).reconciled).toEqual([]);
    expect([read(dir, 'log.csv'), read(dir, 'log.2.csv')]).toEqual(before);
  });
});

describe('reading the log files line by line in blocks', () => {
  it('forwards and backwards, any block size, give the lines and their offsets', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hilbench-lines-')), 'f');
    const lines = ['', 'a', 'bb', '', 'ccc é', 'dddd', '', '', 'e'];
    const text = lines.join('\n') + '\n';
    writeFileSync(path, text);
    // Offsets from the test's own reading of the text.
    const starts: number[] = [];
    for (let i = 0, at = 0; i < lines.length; at += Buffer.byteLength(lines[i] + '\n'), i++) starts.push(at);
    for (const block of [1, 2, 3, 5, 8, 1 << 20]) {
      const fwd: [string, number][] = [];
      forEachLine(path, (l, end) => void fwd.push([l, end]), block);
      expect(fwd, `block ${block}`).toEqual(lines.map((l, i) => [l, starts[i] + Buffer.byteLength(l + '\n')]));
      const back: [string, number][] = [];
      forEachLineBackwards(path, (l, start) => void back.push([l, start]), block);
      expect(back, `block ${block}`).toEqual(lines.map((l, i) => [l, starts[i]] as [string, number]).reverse());
    }
  });

  it('cutLastRecords cuts before the last n records and everything after them; countRecords counts them in a buffer', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hilbench-lines-')), 'log.ndjson');
    const sample = (i: number) => `{"type":"sample","t_s":${i},"v":{}}`;
    const lines = [sample(0), '{"type":"bad","line":"x"}', sample(1), sample(2), '{"type":"gap"}', sample(3), '{"type":"bad","line":"y"}'];
    writeFileSync(path, lines.join('\n') + '\n');
    cutLastRecords(path, 2, isSampleRecord);
    expect(readFileSync(path, 'utf8')).toBe(lines.slice(0, 3).join('\n') + '\n');
    cutLastRecords(path, 0, isSampleRecord);
    expect(readFileSync(path, 'utf8')).toBe(lines.slice(0, 3).join('\n') + '\n');
    expect(() => cutLastRecords(path, 3, isSampleRecord)).toThrow(/fewer than 3/);
    expect(countRecords(Buffer.from(lines.join('\n') + '\n'), isSampleRecord)).toBe(4);
    expect(countRecords(Buffer.from('1,2\n# gap\n3,4\n5,'), isCsvRow)).toBe(2); // an unfinished line is not a row
  });
});
