import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbenchInProcess, repoRoot } from '../helpers/cli.ts';

// `fuzzy eval` reads what fuzzylite writes (.fld: blank-separated, a header, the output columns too)
// and a run.csv-like table (quoted header, columns that are no input, any order). The reference is
// Debian's fuzzylite 6 evaluating the same model on the same points.
const model = join(repoRoot, 'scenarios/models/maglev-pd-sugeno.fll');
const dir = mkdtempSync(join(tmpdir(), 'hilbench-eval-tables-'));

function fuzzyliteFld(): { header: string[]; rows: number[][] } {
  const out = join(dir, 'fuzzylite.fld');
  const r = spawnSync('fuzzylite', ['-i', model, '-of', 'fld', '-values', '7', '-decimals', '15', '-o', out], { encoding: 'utf8' });
  if (r.status !== 0 || /error|exception/i.test(r.stderr)) throw new Error(`fuzzylite failed: ${r.stderr}`);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  return { header: lines[0].trim().split(/\s+/), rows: lines.slice(1).map((l) => l.trim().split(/\s+/).map(Number)) };
}

function csvColumn(csv: string, name: string): number[] {
  const lines = csv.trim().split('\n');
  const c = lines[0].split(',').indexOf(name);
  expect(c, lines[0]).toBeGreaterThanOrEqual(0);
  return lines.slice(1).map((l) => Number(l.split(',')[c]));
}

describe('fuzzy eval reads fuzzylite .fld and run.csv-like tables', () => {
  const ref = fuzzyliteFld();
  const outputName = ref.header[ref.header.length - 1];
  const expected = ref.rows.map((r) => r[r.length - 1]);

  it("fuzzylite's own .fld output, output column included, gives fuzzylite's outputs", async () => {
    expect(ref.rows.length).toBe(49);
    const r = await hilbenchInProcess(['fuzzy', 'eval', model, '--inputs', join(dir, 'fuzzylite.fld')]);
    expect(r.code, r.stderr).toBe(0);
    const got = csvColumn(r.stdout, outputName);
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(Math.abs(v - expected[i]), `row ${i + 1}`).toBeLessThan(1e-12));
  });

  it('a CSV with a quoted header, CRLF line ends, extra columns and the inputs in another order gives the same outputs', async () => {
    const inputs = ref.header.slice(0, -1);
    const header = ['"t_s"', ...[...inputs].reverse().map((n) => `"${n}"`), '"x_m"'].join(',');
    const rows = ref.rows.map((r, i) => [i * 0.001, ...r.slice(0, -1).reverse(), 0.008].join(','));
    const file = join(dir, 'run-like.csv');
    writeFileSync(file, [header, ...rows].join('\r\n') + '\r\n');
    const r = await hilbenchInProcess(['fuzzy', 'eval', model, '--inputs', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe([...[...inputs].reverse(), outputName].join(','));
    csvColumn(r.stdout, outputName).forEach((v, i) => expect(Math.abs(v - expected[i]), `row ${i + 1}`).toBeLessThan(1e-12));
  });

  it('a table that names no input variable is refused naming the file and its header line', async () => {
    const file = join(dir, 'no-inputs.csv');
    writeFileSync(file, '# a note\nt_s,x_m\n0,0.008\n');
    const r = await hilbenchInProcess(['fuzzy', 'eval', model, '--inputs', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-inputs\.csv:2: no column names an input variable/);
  });
});
