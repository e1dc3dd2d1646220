import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real 64 KiB tmpfs for disk-full and read-only tests (root only, as CI runs): `full` is filled
 * to the last byte, `readOnly` is remounted read-only, `empty` stays empty. `unmount` in afterAll.
 */
export interface SmallDisks {
  readonly empty: string;
  readonly full: string;
  readonly readOnly: string;
  unmount(): void;
}

function mount(dir: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
}

/** Fills the file system at `dir` until write(2) reports ENOSPC. */
function fill(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  // Smaller writes take the last partial page.
  try {
    for (;;) writeSync(fd, block, 0, 1);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

export function smallDisks(): SmallDisks {
  const root = mkdtempSync(join(tmpdir(), 'hilbench-disks-'));
  const dirs = { empty: join(root, 'empty'), full: join(root, 'full'), readOnly: join(root, 'ro') };
  const mounted: string[] = [];
  for (const d of Object.values(dirs)) {
    mkdirSync(d);
    mount(d);
    mounted.push(d);
  }
  fill(dirs.full);
  execFileSync('mount', ['-o', 'remount,ro', dirs.readOnly], { stdio: 'pipe' });
  return {
    ...dirs,
    unmount: () => {
      for (const d of mounted) execFileSync('umount', ['-l', d], { stdio: 'pipe' });
    },
  };
}
