import { closeSync, fstatSync, ftruncateSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { FileError, fileError } from './fs-error.ts';

/**
 * Writes a whole file so that it is either complete or absent: into `<file>.tmp`, then renamed over
 * `file` (a full disk never leaves a 0-byte or cut metrics.json behind).
 */
export function writeTextFile(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw fileError(file, 'write', e);
  }
}

/**
 * Writes a small file whole (as `writeTextFile`), and when the disk is full falls back to writing
 * over the space `reserveFile` set aside for it at the start of the run: a full disk then still
 * leaves a complete metrics.json.
 */
export function writeReservedFile(file: string, text: string): void {
  try {
    writeTextFile(file, text);
  } catch (e) {
    if (!(e instanceof FileError) || (e.code !== 'ENOSPC' && e.code !== 'EDQUOT')) throw e;
    const bytes = Buffer.from(text);
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r+');
      if (fstatSync(fd).size < bytes.length) throw e;
      writeSync(fd, bytes, 0, bytes.length, 0);
      ftruncateSync(fd, bytes.length);
    } catch {
      throw e;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** Sets `bytes` aside for `file`, holding `text` padded with spaces (still valid JSON, for a placeholder). */
export function reserveFile(file: string, text: string, bytes: number): void {
  const body = Buffer.alloc(Math.max(bytes, Buffer.byteLength(text) + 1), ' ');
  body.write(text);
  body[body.length - 1] = 10;
  try {
    writeFileSync(file, body);
  } catch (e) {
    throw fileError(file, 'write', e);
  }
}
