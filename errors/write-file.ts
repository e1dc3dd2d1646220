import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { UserError } from './user-error.ts';

/** fs error codes that are the user's to fix (disk full, permissions, read-only, wrong kind of path). */
const USER_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOTDIR', 'EFBIG', 'ENAMETOOLONG', 'ELOOP']);

/** A failed write as a one-line UserError naming the file when the cause is the user's to fix; else as it was. */
export function writeFailure(e: unknown, file: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && USER_CODES.has(code)) return new UserError(`cannot write ${file}: ${code} (${describe(code)})`);
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
