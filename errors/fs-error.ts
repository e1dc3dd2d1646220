import { rmSync, statSync, writeFileSync, type WriteFileOptions } from 'node:fs';
import { UserError } from './user-error.ts';

/**
 * File-system failures the user can fix: a full disk or quota, no permission, a read-only file
 * system, a path that is taken, is a directory, or whose folder is missing.
 */
export const USER_FS_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

const WHY: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'name too long',
};

/** A UserError naming the file, tagged like the logging writers' errors (`writeFailed`, `code`). */
export class FileError extends UserError {
  readonly writeFailed = true;
  constructor(
    readonly file: string,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FileError';
  }
}

/**
 * Turns an fs error on `file` into a one-line UserError naming the file (`out/run.csv: cannot write
 * (no space left on the device, ENOSPC)`); other errors (EIO, bugs) are returned unchanged.
 */
export function fileError(file: string, what: 'open' | 'write' | 'create' | 'read', e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !USER_FS_CODES.has(code)) return e;
  return new FileError(file, code, `${file}: cannot ${what} (${WHY[code]}, ${code})`, { cause: e });
}

/**
 * writeFileSync whose fs failures are one-line UserErrors naming the file. A regular file cut short
 * (disk full) is removed: a half-written model or report must not pass for a whole one.
 */
export function writeFileNamed(file: string, data: string | NodeJS.ArrayBufferView, options?: WriteFileOptions): void {
  try {
    writeFileSync(file, data, options);
  } catch (e) {
    try {
      if (statSync(file).isFile()) rmSync(file);
    } catch {
      // nothing written, or not ours to remove
    }
    throw fileError(file, 'write', e);
  }
}
