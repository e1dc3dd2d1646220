import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hilbench as run, repoRoot, type CliResult } from '../helpers/cli.ts';
import { smallDisks, type SmallDisks } from '../helpers/tmpfs.ts';

// Disk full, read-only file system and an --out that names the wrong kind of path, on real 64 KiB
// tmpfs mounts: every command that writes files ends with exit 1 and one line naming the path.

const model = join(repoRoot, 'scenarios/models/solar-tracker.fll');
const work = mkdtempSync(join(tmpdir(), 'hilbench-write-errors-'));
let disks: SmallDisks;
/** A regular file inside the writable tmpfs, given where a directory is expected. */
let aFile: string;

beforeAll(() => {
  disks = smallDisks();
  aFile = join(disks.empty, 'a-file');
  writeFileSync(aFile, 'x');
});
afterAll(() => disks?.unmount());

function expectOneLine(r: CliResult, path: string, why?: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^hilbench: /);
  expect(lines[0]).not.toMatch(/internal error/);
  expect(lines[0]).toContain(path);
  if (why) expect(lines[0]).toMatch(why);
}

/** Each case spawns the CLI; a loaded machine takes seconds per start, so tests get generous limits. */
const hilbench = (args: readonly string[], o: { timeout?: number } = {}): CliResult => run(args, { timeout: o.timeout ?? 180_000 });
const LONG = 600_000;

const NOSPC = /no space left on the device, ENOSPC/;
const ROFS = /read-only file system, EROFS/;

describe('fuzzy convert and fuzzy eval --out', () => {
  const inputs = join(work, 'inputs.csv');
  beforeAll(() => {
    // About 300 kB of output: more than the 64 KiB disk holds once the probe has passed.
    const rows = ['S1,S2,S3'];
    for (let i = 0; i < 6000; i++) rows.push(`${(i % 100) / 100},0.5,${(i % 7) / 7}`);
    writeFileSync(inputs, rows.join('\n') + '\n');
  }, LONG);

  it('convert into a full disk, a read-only one, or below a file: exit 1 naming the path', () => {
    expectOneLine(hilbench(['fuzzy', 'convert', model, join(disks.full, 'm.fis')]), join(disks.full, 'm.fis'), NOSPC);
    expectOneLine(hilbench(['fuzzy', 'convert', model, join(disks.readOnly, 'm.fis')]), join(disks.readOnly, 'm.fis'), ROFS);
    expectOneLine(hilbench(['fuzzy', 'convert', model, join(disks.readOnly, 'new', 'm.fis')]), join(disks.readOnly, 'new'), ROFS);
    expectOneLine(hilbench(['fuzzy', 'convert', model, join(aFile, 'm.fis')]), aFile, /not a directory/);
  }, LONG);

  it('convert into missing folders creates them', () => {
    const out = join(work, 'new', 'deeper', 'm.fis');
    const r = hilbench(['fuzzy', 'convert', model, out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\[System\]/);
  }, LONG);

  it('eval --out: a disk that fills during the write → exit 1 naming the file, no half file left', () => {
    const out = join(disks.empty, 'out.csv');
    expectOneLine(hilbench(['fuzzy', 'eval', model, '--inputs', inputs, '--out', out]), out, NOSPC);
    expect(existsSync(out)).toBe(false);
  }, LONG);

  it('eval --out on a full or read-only disk, naming a directory, or empty → exit 1 naming it', () => {
    expectOneLine(hilbench(['fuzzy', 'eval', model, '--inputs', inputs, '--out', join(disks.full, 'o.csv')]), join(disks.full, 'o.csv'), NOSPC);
    expectOneLine(hilbench(['fuzzy', 'eval', model, '--inputs', inputs, '--out', join(disks.readOnly, 'o.csv')]), join(disks.readOnly, 'o.csv'), ROFS);
    expectOneLine(hilbench(['fuzzy', 'eval', model, '--inputs', inputs, '--out', disks.empty]), disks.empty, /is a directory/);
    expectOneLine(hilbench(['fuzzy', 'eval', model, '--inputs', inputs, '--out', '']), "--out ''", /empty path/);
  }, LONG);

  it('eval to a standard output redirected to a full disk → exit 1, one line', () => {
    const fd = openSync(join(disks.full, 'filler'), 'a');
    try {
      const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url)), 'fuzzy', 'eval', model, '--inputs', inputs], {
        cwd: repoRoot,
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      expectOneLine({ code: r.status ?? -1, stdout: '', stderr: r.stderr }, 'standard output', NOSPC);
    } finally {
      closeSync(fd);
    }
  }, LONG);
});

describe('anfis train and estimator rat: the output is checked before training', () => {
  const train = join(work, 'train.csv');
  beforeAll(() => {
    const rows = ['x,y'];
    for (let i = 0; i <= 40; i++) rows.push(`${i / 4 - 5},${Math.sin(i / 4 - 5)}`);
    writeFileSync(train, rows.join('\n') + '\n');
  }, LONG);

  it('anfis train --out on a full or read-only disk, or below a file → exit 1 naming it, nothing trained', () => {
    const args = ['anfis', 'train', '--train', train, '--mfs', '3', '--epochs', '100000', '--no-progress', '--out'];
    for (const [out, why] of [
      [join(disks.full, 'm.fis'), NOSPC],
      [join(disks.readOnly, 'm.fis'), ROFS],
      [join(aFile, 'm.fis'), /not a directory/],
    ] as const) {
      const r = hilbench([...args, out]);
      expectOneLine(r, out.endsWith('a-file/m.fis') ? aFile : out, why);
      expect(r.stdout).toBe('');
    }
  }, LONG);

  it('anfis train --curve on a read-only disk → exit 1 naming it, before training', () => {
    const curve = join(disks.readOnly, 'c.csv');
    const r = hilbench(['anfis', 'train', '--train', train, '--mfs', '3', '--epochs', '100000', '--no-progress', '--out', join(work, 'm.fis'), '--curve', curve]);
    expectOneLine(r, curve, ROFS);
  }, LONG);

  it('estimator rat --save on a full or read-only disk → exit 1 naming it, before training', () => {
    expectOneLine(hilbench(['estimator', 'rat', '--save', join(disks.full, 'mlp.json')]), join(disks.full, 'mlp.json'), NOSPC);
    expectOneLine(hilbench(['estimator', 'rat', '--save', join(disks.readOnly, 'mlp.json')]), join(disks.readOnly, 'mlp.json'), ROFS);
  }, LONG);
});

describe('tune, firmware generate, log: --out folders', () => {
  it('tune --out on a full or read-only disk, or naming a file → exit 1 naming it, before tuning', () => {
    const args = ['tune', 'maglev', '--budget', '4', '--workers', '0', '--no-robustness', '--no-progress', '--out'];
    expectOneLine(hilbench([...args, disks.full]), disks.full, NOSPC);
    expectOneLine(hilbench([...args, join(disks.readOnly, 'tune')]), join(disks.readOnly, 'tune'), ROFS);
    expectOneLine(hilbench([...args, aFile]), aFile, /exists and is not a directory/);
  }, LONG);

  it('tune: a disk that fills while the files are written → exit 1 naming the file', () => {
    const out = join(disks.empty, 'tune');
    try {
      // evaluations.csv and tuned.json fit; the report (about 190 kB) does not.
      const r = hilbench(['tune', 'maglev', '--budget', '4', '--workers', '0', '--no-robustness', '--no-progress', '--out', out], { timeout: 300_000 });
      expectOneLine(r, join(out, 'report.html'), NOSPC);
      expect(readFileSync(join(out, 'evaluations.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, LONG);

  it('firmware generate --out on a full or read-only disk, or naming a file → exit 1 naming it', () => {
    const args = ['firmware', 'generate', 'maglev-fixed', '--out'];
    expectOneLine(hilbench([...args, join(disks.full, 'sketch')]), join(disks.full, 'sketch'), NOSPC);
    expectOneLine(hilbench([...args, join(disks.readOnly, 'sketch')]), join(disks.readOnly, 'sketch'), ROFS);
    expectOneLine(hilbench([...args, aFile]), aFile, /exists and is not a directory/);
  }, LONG);

  it('log --out on a full or read-only disk, or naming a file → exit 1 naming it, before the port is opened', () => {
    const port = join(work, 'no-such-port');
    expectOneLine(hilbench(['log', '--port', port, '--out', disks.full]), disks.full, NOSPC);
    expectOneLine(hilbench(['log', '--port', port, '--out', join(disks.readOnly, 'log')]), join(disks.readOnly, 'log'), ROFS);
    expectOneLine(hilbench(['log', '--port', port, '--out', aFile]), aFile, /exists and is not a directory/);
  }, LONG);

  it('solar gains to a standard output on a full disk → exit 1, one line', () => {
    mkdirSync(work, { recursive: true });
    const fd = openSync(join(disks.full, 'filler'), 'a');
    try {
      const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url)), 'solar', 'gains', '--set', 'duration=600', '--json'], {
        cwd: repoRoot,
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
        timeout: 120_000,
      });
      expectOneLine({ code: r.status ?? -1, stdout: '', stderr: r.stderr }, 'standard output', NOSPC);
    } finally {
      closeSync(fd);
    }
  }, LONG);
});
