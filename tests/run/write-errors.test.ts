import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hilbench } from '../helpers/cli.ts';

/** A real 64 KiB tmpfs (the tests run as root, as CI does): a disk that fills up during the run. */
const mounts: string[] = [];
function smallDisk(options = 'size=64k'): string {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
});

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  return lines[0];
}

describe('hilbench run: writes that fail', () => {
  it('a disk that fills up during the run: exit 1, one line naming run.csv, whole rows only, metrics.json complete with status failed', () => {
    const out = join(smallDisk(), 'run');
    const r = hilbench(['run', 'maglev', '--out', out]);
    expect(r.code).toBe(1);
    const line = oneLine(r.stderr);
    expect(line).toContain(join(out, 'run.csv'));
    expect(line).toMatch(/ENOSPC/);
    const csv = readFileSync(join(out, 'run.csv'), 'utf8');
    expect(csv.endsWith('\n')).toBe(true);
    const rows = csv.trimEnd().split('\n');
    const width = rows[0].split(',').length;
    for (const row of rows) expect(row.split(',')).toHaveLength(width);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.error).toMatch(/ENOSPC/);
    // The line says how many rows are on disk, and that is what run.csv holds.
    expect(line).toContain(`${rows.length - 1} samples kept in`);
  }, 120_000);

  it('a read-only --out, an --out naming a file, an empty --out: exit 1, one line naming it, before the run', () => {
    const ro = smallDisk('size=64k,ro');
    let r = hilbench(['run', 'maglev', '--out', join(ro, 'x')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toContain(join(ro, 'x'));
    const file = join(mkdtempSync(join(tmpdir(), 'hilbench-file-')), 'a-file');
    writeFileSync(file, 'not a directory\n');
    r = hilbench(['run', 'maglev', '--out', file]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`hilbench: --out ${file}: exists and is not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
    r = hilbench(['run', 'maglev', '--out', '']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/--out/);
  }, 180_000);

  it('a read-only directory inside a writable disk: exit 1 naming it', () => {
    const disk = smallDisk('size=1m');
    const dir = join(disk, 'locked');
    mkdirSync(dir);
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const r = hilbench(['run', 'maglev', '--out', dir]);
    execFileSync('mount', ['-o', 'remount,rw', disk]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`${dir}.*EROFS`));
    expect(existsSync(join(dir, 'run.csv'))).toBe(false);
  }, 120_000);
});
