import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hilbenchInProcess as inProcess } from '../helpers/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hilbench-${prefix}-`));
}

/** Runs the real CLI (`node bin/hilbench.js …`). */
export function hilbench(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hilbench.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The last column of a CSV written by `hilbench fuzzy eval` (header skipped; `nan` → NaN). */
export function lastColumn(csv: string): number[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const f = l.split(',');
      const v = f[f.length - 1].trim();
      return v === 'nan' ? NaN : Number(v);
    });
}

export function fuzzyliteAvailable(): boolean {
  return spawnSync('fuzzylite', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * The reference: Debian's fuzzylite 6 CLI evaluating the model on `rows` (15 decimals). It exits 0
 * even on errors, so stderr is checked.
 */
export function fuzzyliteEval(model: string, names: string[], rows: number[][], dir: string): number[] {
  const input = join(dir, 'in.fld');
  const output = join(dir, 'out.fld');
  writeFileSync(input, names.join(' ') + '\n' + rows.map((r) => r.map((v) => v.toPrecision(17)).join(' ')).join('\n') + '\n');
  const r = spawnSync('fuzzylite', ['-i', model, '-of', 'fld', '-d', input, '-o', output, '-decimals', '15', '-dheader', 'false'], { encoding: 'utf8' });
  if (r.status !== 0 || /error|exception/i.test(r.stderr)) throw new Error(`fuzzylite failed: ${r.stderr}`);
  return readFileSync(output, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      const v = f[f.length - 1];
      return v === 'nan' ? NaN : Number(v);
    });
}

/** The CLI run in this process (tests/helpers/cli.ts), with the exit code as `status`. */
export async function hilbenchInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await inProcess(args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}
