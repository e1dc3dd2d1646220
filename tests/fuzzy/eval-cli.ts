import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.ts';

/**
 * `hilbench fuzzy eval` run in-process through the CLI's own entry point (argument parsing, file
 * reading, CSV writing), which is what a user runs, without a process start per model.
 */
export async function hilbenchEval(
  model: string,
  inputNames: readonly string[],
  rows: number[][],
  extraArgs: readonly string[] = [],
): Promise<{ code: number; header: string[]; values: number[][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-fz-'));
  const input = join(dir, 'in.csv');
  const output = join(dir, 'out.csv');
  writeFileSync(input, [inputNames.join(','), ...rows.map((r) => r.map((v) => String(v)).join(','))].join('\n') + '\n');
  const code = await main(['node', 'hilbench', 'fuzzy', 'eval', model, '--inputs', input, '--out', output, ...extraArgs]);
  if (code !== 0) return { code, header: [], values: [] };
  const lines = readFileSync(output, 'utf8').trimEnd().split('\n');
  return {
    code,
    header: lines[0].split(','),
    values: lines.slice(1).map((l) => l.split(',').map((s) => (s === 'nan' ? NaN : Number(s)))),
  };
}
