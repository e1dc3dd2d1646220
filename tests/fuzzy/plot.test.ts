import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench, repoRoot } from '../helpers/cli.ts';
import { fuzzyliteEval } from './fuzzylite-reference.ts';

// `hilbench fuzzy plot`: membership functions per variable and, for two-input models, the surface.
const models = join(repoRoot, 'scenarios', 'models');

describe('hilbench fuzzy plot', () => {
  it('maglev PD Sugeno (.fll, 2 inputs): MF plots, surface SVG and CSV; the surface agrees with fuzzylite 6', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-fplot-')), 'pd');
    const r = hilbench(['fuzzy', 'plot', join(models, 'maglev-pd-sugeno.fll'), '--out', out, '--grid', '21']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      ['index.html', 'maglev-pd-sugeno-mf-de.svg', 'maglev-pd-sugeno-mf-di.svg', 'maglev-pd-sugeno-mf-e.svg', 'maglev-pd-sugeno-surface-di.svg', 'maglev-pd-sugeno-surface.csv'].sort(),
    );
    const mfE = readFileSync(join(out, 'maglev-pd-sugeno-mf-e.svg'), 'utf8');
    expect(mfE).toMatch(/^<svg/);
    for (const term of ['N', 'Z', 'P']) expect(mfE).toContain(`>${term}</text>`);
    // The nine singletons are labelled on the output plot.
    const mfDi = readFileSync(join(out, 'maglev-pd-sugeno-mf-di.svg'), 'utf8');
    for (const term of ['NN', 'NZ', 'NP', 'ZN', 'ZZ', 'ZP', 'PN', 'PZ', 'PP']) expect(mfDi).toContain(`>${term}</text>`);

    const lines = readFileSync(join(out, 'maglev-pd-sugeno-surface.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('e,de,di');
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(21 * 21);
    // Corners of the input ranges are on the grid.
    expect(rows[0].slice(0, 2)).toEqual([-3, -300]);
    expect(rows[rows.length - 1].slice(0, 2)).toEqual([3, 300]);
    const reference = fuzzyliteEval(join(models, 'maglev-pd-sugeno.fll'), rows.map((x) => x.slice(0, 2)));
    rows.forEach((row, i) => expect(Math.abs(row[2] - reference[i][2]), `at e=${row[0]}, de=${row[1]}`).toBeLessThan(1e-9));
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
    expect(html).toContain('if e is N and de is N then di is NN');
  });

  it('the seed ANFIS (.fis, 3 inputs, linear outputs): MF plots of the inputs, the outputs named as not drawable, no surface', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-fplot-')), 'seed');
    const r = hilbench(['fuzzy', 'plot', join(models, 'maglev-anfis-seed.fis'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['index.html', 'maglev-anfis-seed-mf-op1_V.svg', 'maglev-anfis-seed-mf-op2_V.svg', 'maglev-anfis-seed-mf-op3_V.svg']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/output i_A: not drawn \(functions of the inputs, not of i_A\): out1mf1, /);
    expect(html).toContain('Control surface: only for two-input models.');
  });

  it('a model that is not a fuzzy model file: one line, exit 1', () => {
    const r = hilbench(['fuzzy', 'plot', join(repoRoot, 'package.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/package\.json: expected a \.fll, \.fis or \.fcl model file/);
  });
});
