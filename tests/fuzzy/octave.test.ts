import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { compile, interpret, readFis, writeFis, type Engine } from '../../controllers/fuzzy/index.ts';
import { hilbenchEval } from './eval-cli.ts';
import { probeInputs } from './fuzzylite-reference.ts';
import { closeMatlab, octaveAvailable, octaveEvalMany, type OctaveJob } from './octave-reference.ts';
import { randomMatlabEngine } from './random-matlab-model.ts';

/**
 * `matlab` semantics against Octave's evalfis (octave-reference.ts): the toolkit's own .fis files,
 * the project's .fis models, a .fis converted from .fll by the CLI, and 120 random Mamdani and Sugeno
 * models written by writeFis (so every file here also shows that Octave's readfis opens what hilbench
 * writes). One Octave process evaluates all of them.
 */
const TOOLKIT_DIR = execFileSync('sh', ['-c', 'ls -d /usr/share/octave/packages/fuzzy-logic-toolkit*'], { encoding: 'utf8' }).trim().split('\n')[0];
const toolkitFis = execFileSync('find', [TOOLKIT_DIR, '-name', '*.fis'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
const projectFis = execFileSync('find', ['scenarios/models', '-name', '*.fis'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
const dir = mkdtempSync(join(tmpdir(), 'hilbench-octave-'));

interface Case {
  name: string;
  file: string;
  engine: Engine;
  rows: number[][];
  octave?: number[][];
}

const cases: Case[] = [];
const add = (name: string, file: string, rows = 60) => {
  const engine = readFis(readFileSync(file, 'utf8'), file);
  cases.push({ name, file, engine, rows: probeInputs(engine, rows) });
};
for (const f of toolkitFis) add(`toolkit ${f.replace(/.*\//, '')}`, f);
for (const f of projectFis) add(f, f);
const randomCases: Case[] = [];
for (let seed = 1; seed <= 100; seed++) {
  const type = seed % 2 === 0 ? 'sugeno' : 'mamdani';
  const engine = randomMatlabEngine(seed, type);
  const file = join(dir, `random-${seed}.fis`);
  writeFileSync(file, writeFis(engine));
  const c = { name: `random ${type} ${seed}`, file, engine: readFis(readFileSync(file, 'utf8'), file), rows: probeInputs(engine, 12, seed) };
  cases.push(c);
  randomCases.push(c);
}
const converted = join(dir, 'maglev-sugeno.fis');

beforeAll(async () => {
  // the example: a .fll converted by the CLI must open and evaluate in Octave
  expect(await main(['node', 'hilbench', 'fuzzy', 'convert', 'scenarios/models/maglev-sugeno.fll', converted])).toBe(0);
  add('converted maglev-sugeno.fll', converted);
  const jobs: OctaveJob[] = cases.map((c) => ({ fis: c.file, rows: c.rows }));
  const results = octaveEvalMany(jobs);
  cases.forEach((c, k) => (c.octave = results[k]));
}, 1_500_000);

let unevaluable = 0;

/** Rows where ours and Octave differ beyond 1e-9 relative to max(1, |y|), as readable strings. */
function mismatches(c: Case, ours: number[][]): string[] {
  const bad: string[] = [];
  c.rows.forEach((row, k) => {
    const middle = (j: number) => 0.5 * (c.engine.outputs[j].min + c.engine.outputs[j].max);
    if (c.engine.outputs.length > 1 && c.octave![k].every((v) => Number.isNaN(v))) {
      // the toolkit fails the whole row when one Sugeno output has no rule reaching it: ours must show that output
      if (!ours[k].some((v, j) => v === middle(j) || Number.isNaN(v))) bad.push(`(${row.join(', ')}): Octave failed the row, but every output of ours fired`);
      unevaluable++;
      return;
    }
    c.engine.outputs.forEach((o, j) => {
      const want = c.octave![k][j];
      let got = ours[k][j];
      // Octave's toolkit cannot evaluate a Sugeno output no rule reaches (NaN here); MATLAB gives the middle of the range
      if (Number.isNaN(want) && got === 0.5 * (o.min + o.max)) got = NaN;
      if (!closeMatlab(got, want)) bad.push(`${o.name}(${row.join(', ')}) = ${got}, Octave ${want}`);
    });
  });
  return bad;
}

function compiled(engine: Engine, rows: number[][], how = compile): number[][] {
  const f = how(engine);
  const y = new Float64Array(engine.outputs.length);
  return rows.map((r) => {
    f.evaluate(Float64Array.from(r), y);
    return Array.from(y);
  });
}

describe('matlab semantics equals Octave evalfis to 1e-9', () => {
  it('Octave and its fuzzy-logic-toolkit are installed', () => {
    expect(octaveAvailable()).toBe(true);
    expect(toolkitFis.length).toBeGreaterThanOrEqual(6);
    expect(projectFis.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of [...toolkitFis.map((f) => `toolkit ${f.replace(/.*\//, '')}`), ...projectFis, 'converted maglev-sugeno.fll']) {
    it(`${name} (hilbench fuzzy eval, default semantics of .fis)`, async () => {
      const c = cases.find((x) => x.name === name)!;
      expect(c.engine.semantics).toBe('matlab');
      const ours = await hilbenchEval(c.file, c.engine.inputs.map((v) => v.name), c.rows);
      expect(ours.code).toBe(0);
      const n = c.engine.inputs.length;
      expect(mismatches(c, ours.values.map((r) => r.slice(n)))).toEqual([]);
    });
  }

  it('the converted .fis has no fuzzylite-only keys and names every method', () => {
    const text = readFileSync(converted, 'utf8');
    expect(text).not.toMatch(/^(Default|LockPrevious|LockRange|Enabled)=/m);
    expect(text).not.toMatch(/Method=''/);
  });

  it('100 random Mamdani and Sugeno models written by writeFis (compiled and interpreted)', () => {
    const failures: string[] = [];
    let tinyRows = 0;
    for (const c of randomCases) {
      const ours = compiled(c.engine, c.rows);
      // the interpreter is the compiled evaluator's cross-check, bit for bit
      const flat = compiled(c.engine, c.rows, interpret);
      ours.forEach((row, k) => row.forEach((v, j) => (Object.is(v, flat[k][j]) ? null : failures.push(`${c.name}: compile ${v} ≠ interpret ${flat[k][j]}`))));
      failures.push(...mismatches(c, ours).map((m) => `${c.name}: ${m}`));
      // rows where fuzzylite semantics (1e-6 firing threshold, 100 midpoints) give another answer
      const fl = c.engine;
      fl.semantics = 'fuzzylite';
      const other = compiled(fl, c.rows);
      fl.semantics = 'matlab';
      tinyRows += other.filter((row, k) => row.some((v, j) => !closeMatlab(v, c.octave![k][j]))).length;
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // rows Octave cannot evaluate at all are a small part of the comparison
    expect(unevaluable).toBeLessThan(0.15 * randomCases.reduce((n, c) => n + c.rows.length, 0));
    // the comparison can tell the two semantics apart
    expect(tinyRows).toBeGreaterThan(50);
  });
});
