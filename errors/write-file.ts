import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from './user-error.ts';

/** fs error codes that are the user's to fix (disk full, permissions, read-only, wrong kind of path). */
const USER_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOTDIR', 'EFBIG', 'ENAMETOOLONG', 'ELOOP']);

/** A failed write as a one-line UserError naming the file when the cause is the user's to fix; else as it was. */
export function writeFailure(e: unknown, file: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && USER_CODES.has(code)) return Object.assign(new UserError(`cannot write ${file}: ${code} (${describe(code)})`), { cause: e });
  return e as Error;
}

function describe(code: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on the device';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EEXIST':
      return 'it exists';
    default:
      return 'file system error';
  }
}

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
    throw writeFailure(e, file);
  }
}

/**
 * Creates `dir` (and its parents) if needed and checks that files can be written in it, before any
 * long work starts: a path that is a file, a read-only file system, a missing permission or an empty
 * path is a one-line UserError naming it.
 */
export function ensureWritableDir(dir: string): void {
  if (dir.trim() === '') throw new UserError('the output directory must not be empty (give --out DIR)');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
    if (!isDir) throw new UserError(`cannot write into ${dir}: it is a file, not a directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw writeFailure(e, dir);
  }
  const probe = join(dir, `.hilbench-probe-${process.pid}`);
  try {
    if (!isDir) mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw writeFailure(e, dir);
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
    const code = (e as { cause?: NodeJS.ErrnoException }).cause?.code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw e;
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
    throw writeFailure(e, file);
  }
}
