import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench, repoRoot } from '../helpers/cli.ts';

// `hilbench fuzzy eval --grid N` against fuzzylite 6's own grid: `-values N -scope EachVariable`.
const models = join(repoRoot, 'scenarios', 'models');

function fuzzyliteGrid(model: string, n: number): number[][] {
  const out = join(mkdtempSync(join(tmpdir(), 'hilbench-flgrid-')), 'out.fld');
  const r = spawnSync('fuzzylite', ['-i', model, '-of', 'fld', '-o', out, '-values', String(n), '-scope', 'EachVariable', '-decimals', '12', '-dheader', 'false'], { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`fuzzylite: ${r.stderr}`);
  return readFileSync(out, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
}

describe('fuzzy eval --grid', () => {
  for (const [file, n] of [['maglev-pd-sugeno.fll', 9], ['maglev-anfis-seed.fis', 5]] as const) {
    it(`${file}, N = ${n}: the same points in the same order and the same outputs as fuzzylite (fuzzylite semantics)`, () => {
      // A .fis is read with MATLAB semantics by default; fuzzylite is the reference for its own.
      const r = hilbench(['fuzzy', 'eval', join(models, file), '--grid', String(n), '--semantics', 'fuzzylite']);
      expect(r.code, r.stderr).toBe(0);
      const ours = r.stdout.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
      const ref = fuzzyliteGrid(join(models, file), n);
      expect(ours.length).toBe(ref.length);
      ours.forEach((row, i) => {
        expect(row.length).toBe(ref[i].length);
        row.forEach((x, c) => expect(Math.abs(x - ref[i][c]), `row ${i} column ${c}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref[i][c]))));
      });
    });
  }

  it('refuses --grid together with --inputs, and grids beyond a million rows, in one line', () => {
    const both = hilbench(['fuzzy', 'eval', join(models, 'maglev-pd-sugeno.fll'), '--grid', '3', '--inputs', 'x.csv']);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/pass either --inputs FILE or --grid N/);
    const big = hilbench(['fuzzy', 'eval', join(models, 'maglev-anfis-seed.fis'), '--grid', '101']);
    expect(big.code).toBe(1);
    expect(big.stderr.trim().split('\n')).toHaveLength(1);
    expect(big.stderr).toMatch(/--grid 101: 101\^3 = 1030301 rows for 3 inputs, above 1000000/);
  });
});
