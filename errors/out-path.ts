import { accessSync, closeSync, constants, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileError } from './fs-error.ts';
import { UserError } from './user-error.ts';

/*
 * Output paths are checked before any long work (a tuning, a training, a log), so that a typo in
 * --out costs a second, not the minutes of work whose results could not be saved. Writing a probe
 * file is the only test that sees a read-only mount, a full disk or missing permissions alike
 * (access(2) says nothing about free space, and root passes every permission check).
 */

/** Creates `dir` (and its parents) if missing and proves it takes a file; returns the absolute path. */
export function prepareOutDir(dir: string, option = '--out'): string {
  if (dir.trim() === '') throw new UserError(`${option} '${dir}': an empty path; name a directory`);
  const abs = resolve(dir);
  makeDirs(abs, dir, option);
  probe(abs, dir);
  return abs;
}

/**
 * mkdir -p one level at a time: the recursive mkdirSync reports ENOENT for a parent on a read-only
 * file system, where the level that failed has the true cause (EROFS, EACCES, ENOSPC).
 */
function makeDirs(abs: string, shown: string, option: string): void {
  const missing: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new UserError(`${option} ${shown}: a part of the path is not a directory`);
      if (code !== 'ENOENT' || dirname(p) === p) throw fileError(p, 'read', e);
      missing.push(p);
      continue;
    }
    if (!st.isDirectory()) throw new UserError(p === abs ? `${option} ${shown}: exists and is not a directory` : `${option} ${shown}: ${p} is not a directory`);
    break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(p, 'create', e);
    }
  }
}

/** Creates the folder of `file` if missing and proves `file` can be written; returns the absolute path. */
export function prepareOutFile(file: string, option = '--out'): string {
  if (file.trim() === '') throw new UserError(`${option} '${file}': an empty path; name a file`);
  const abs = resolve(file);
  let isDir = false;
  let exists = false;
  try {
    const st = statSync(abs);
    exists = true;
    isDir = st.isDirectory();
  } catch {
    // missing: created below
  }
  if (isDir) throw new UserError(`${option} ${file}: is a directory; name a file`);
  if (dirname(abs) !== abs) makeDirs(dirname(abs), dirname(file), option);
  // A full or read-only disk is reported under the file's name: that is what the user typed.
  probe(dirname(abs), file);
  if (exists) {
    try {
      accessSync(abs, constants.W_OK);
    } catch (e) {
      throw fileError(file, 'write', e);
    }
  }
  return abs;
}

/** Writes and removes one byte in `abs`; a failure is a UserError naming `shown`. */
function probe(abs: string, shown: string): void {
  const path = join(abs, `.hilbench-probe-${process.pid}`);
  let fd = -1;
  try {
    fd = openSync(path, 'wx');
    writeSync(fd, 'x');
  } catch (e) {
    throw fileError(shown, 'write', e);
  } finally {
    if (fd >= 0) closeSync(fd);
    rmSync(path, { force: true });
  }
}
