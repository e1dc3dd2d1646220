import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';

/*
 * Line-level reading of the log files, in blocks so that memory stays flat whatever their size.
 * Every file has been through recoverLineFile first, so it ends with '\n' (or is empty).
 */

const BLOCK = 1 << 20;

/** Samples in log.ndjson are the lines that start like this (NdjsonWriter writes `type` first). */
export const isSampleRecord = (line: string): boolean => line.startsWith('{"type":"sample"');
/** A CSV line that is not a '#' comment: the header or a data row. */
export const isCsvRow = (line: string): boolean => !line.startsWith('#');

/**
 * Calls `visit` for every whole line of `path` in order, with the byte offset just past its '\n';
 * `visit` returns false to stop early.
 */
export function forEachLine(path: string, visit: (line: string, end: number) => boolean | void, blockSize = BLOCK): void {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.allocUnsafe(blockSize);
    let carry = Buffer.alloc(0);
    let carryAt = 0; // file offset of carry[0]
    for (;;) {
      const n = readSync(fd, block, 0, block.length, null);
      if (n === 0) return;
      const buf = carry.length > 0 ? Buffer.concat([carry, block.subarray(0, n)]) : block.subarray(0, n);
      let start = 0;
      for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, start)) {
        if (visit(buf.toString('utf8', start, i), carryAt + i + 1) === false) return;
        start = i + 1;
      }
      carryAt += start;
      carry = Buffer.from(buf.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Visits the whole lines of `path` from the last to the first, with the byte offset where each
 * starts; `visit` returns false to stop. Reads only as far back as it has to.
 */
export function forEachLineBackwards(path: string, visit: (line: string, start: number) => boolean | void, blockSize = BLOCK): void {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.allocUnsafe(blockSize);
    let pos = fstatSync(fd).size;
    let tail = Buffer.alloc(0); // the part of a line (without its '\n') that lies after the next block to read
    let first = true;
    while (pos > 0) {
      const from = Math.max(0, pos - block.length);
      const n = readSync(fd, block, 0, pos - from, from);
      const buf = tail.length > 0 ? Buffer.concat([block.subarray(0, n), tail]) : block.subarray(0, n);
      let lineEnd = buf.length; // the end of the current line's text (its '\n' excluded)
      if (first && buf[lineEnd - 1] === 10) lineEnd--; // the file's final '\n'
      first = false;
      for (;;) {
        const nl = lineEnd > 0 ? buf.lastIndexOf(10, lineEnd - 1) : -1;
        if (nl < 0 && from > 0) {
          tail = Buffer.from(buf.subarray(0, lineEnd));
          break;
        }
        if (visit(buf.toString('utf8', nl + 1, lineEnd), from + nl + 1) === false) return;
        if (nl < 0) return;
        lineEnd = nl;
      }
      pos = from;
    }
  } finally {
    closeSync(fd);
  }
}

/** Cuts `path` just before the last `n` lines that `isRecord` accepts (and every line after them). */
export function cutLastRecords(path: string, n: number, isRecord: (line: string) => boolean): void {
  if (n <= 0) return;
  let found = 0;
  let cutAt = -1;
  forEachLineBackwards(path, (line, start) => {
    if (!isRecord(line)) return;
    if (++found === n) {
      cutAt = start;
      return false;
    }
  });
  if (cutAt < 0) throw new Error(`${path}: fewer than ${n} records to cut`);
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, cutAt);
  } finally {
    closeSync(fd);
  }
}

/** The lines of `text` (whole lines, as a writer keeps them) that `isRecord` accepts. */
export function countRecords(text: Buffer, isRecord: (line: string) => boolean): number {
  let count = 0;
  let start = 0;
  for (let i = text.indexOf(10); i >= 0; i = text.indexOf(10, start)) {
    if (isRecord(text.toString('utf8', start, i))) count++;
    start = i + 1;
  }
  return count;
}
