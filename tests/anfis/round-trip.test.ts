import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anfisFactory, initGrid, initSubclust, toEngine, trainHybrid, type AnfisData, type AnfisModel } from '../../controllers/anfis/index.ts';
import { compile, readModelFile, writeModelFile } from '../../controllers/fuzzy/index.ts';
import { fuzzyFactory } from '../../controllers/fuzzy/index.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { octaveEvalMany } from '../fuzzy/octave-reference.ts';
import { hilbenchInProcess, lastColumn, tempDir } from './cli-helpers.ts';

/**
 * Every model the trainer saves evaluates, read back from its .fis, exactly as the trainer evaluates
 * it (MATLAB's semantics: every rule counts, however small its activation): `hilbench fuzzy eval`
 * and a `fuzzy` and an `anfis` controller to 1e-12, Octave's evalfis to 1e-9. Grid and
 * subtractive-clustering models, gbell/gauss/tri MFs, 1 to 6 inputs. Product AND over four or more
 * inputs leaves most rule activations below fuzzylite's 1e-6 firing threshold.
 */
function data(n: number, count: number, seed: number): AnfisData {
  const rng = new Xoshiro128(seed);
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let k = 0; k < count; k++) {
    const x = Array.from({ length: n }, () => -1 + 2 * rng.uniform());
    inputs.push(x);
    targets.push(x.reduce((s, v, i) => s + Math.sin(2 * v + i) * (1 + 0.3 * i), 0) + x[0] * x[n - 1]);
  }
  return { inputs, targets };
}

interface Case {
  name: string;
  model: AnfisModel;
  file: string;
  rows: number[][];
  trainer: number[];
}

const dir = tempDir('anfis-round-trip');
const cases: Case[] = [];
const add = (name: string, model: AnfisModel, train: AnfisData, seed: number) => {
  // training points, points beyond the training range (activations far below 1e-6) and random ones
  const rng = new Xoshiro128(seed);
  const n = model.inputs.length;
  const rows = [...train.inputs.slice(0, 60).map((r) => [...r]), ...Array.from({ length: 60 }, () => Array.from({ length: n }, () => -1.6 + 3.2 * rng.uniform()))];
  const file = join(dir, `${name}.fis`);
  writeModelFile(file, toEngine(model));
  cases.push({ name, model, file, rows, trainer: rows.map((x) => model.evaluate(x)) });
};

for (const [n, mfType, mfs] of [
  [1, 'gbellmf', 5],
  [2, 'gaussmf', 4],
  [3, 'trimf', 3],
  [4, 'gbellmf', 2],
  [5, 'gaussmf', 2],
  [6, 'gbellmf', 2],
] as const) {
  const d = data(n, 200, 10 + n);
  const m = initGrid(d.inputs, d.targets, { mfs, mfType });
  trainHybrid(m, d, { epochs: 4, stepSize: 0.05 });
  add(`grid-${n}in-${mfType}`, m, d, n);
}
for (const n of [2, 4]) {
  const d = data(n, 200, 30 + n);
  const m = initSubclust(d.inputs, d.targets, { radii: 0.5 });
  trainHybrid(m, d, { epochs: 4 });
  add(`subclust-${n}in`, m, d, 40 + n);
}

let octave: number[][][] = [];
beforeAll(() => {
  octave = octaveEvalMany(cases.map((c) => ({ fis: c.file, rows: c.rows })));
}, 600_000);

/** The trainer's value, or the middle of the output range where no rule has a positive activation (evalfis). */
function expected(c: Case, k: number): number {
  const t = c.trainer[k];
  return Number.isNaN(t) ? 0.5 * (c.model.output.range[0] + c.model.output.range[1]) : t;
}

function worst(c: Case, got: ArrayLike<number>, only: (k: number) => boolean = () => true): number {
  let w = 0;
  for (let k = 0; k < c.rows.length; k++) if (only(k)) w = Math.max(w, Math.abs(got[k] - expected(c, k)) / Math.max(1, Math.abs(expected(c, k))));
  return w;
}

/** Octave's toolkit refuses inputs outside the input ranges (MATLAB does not): it is compared on the rows inside. */
function insideRanges(c: Case, k: number): boolean {
  return c.rows[k].every((v, i) => v >= c.model.inputs[i].range[0] && v <= c.model.inputs[i].range[1]);
}

describe('an ANFIS read back from its .fis evaluates as the trainer does', () => {
  for (const c of cases) {
    it(`${c.name}: hilbench fuzzy eval to 1e-12, Octave to 1e-9`, async () => {
      const csv = join(dir, `${c.name}.in.csv`);
      const out = join(dir, `${c.name}.out.csv`);
      writeFileSync(csv, `${c.model.inputs.map((v) => v.name).join(',')}\n${c.rows.map((r) => r.join(',')).join('\n')}\n`);
      const r = await hilbenchInProcess(['fuzzy', 'eval', c.file, '--inputs', csv, '--out', out]);
      expect(r.status).toBe(0);
      expect(worst(c, lastColumn(readFileSync(out, 'utf8')))).toBeLessThanOrEqual(1e-12);
      const inside = (k: number) => insideRanges(c, k);
      expect(c.rows.filter((_, k) => inside(k)).length).toBeGreaterThanOrEqual(60);
      expect(worst(c, octave[cases.indexOf(c)].map((row) => row[0]), inside)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('with four or more inputs fuzzylite semantics give another answer (activations below 1e-6)', () => {
    let differing = 0;
    for (const c of cases.filter((x) => x.model.inputs.length >= 4)) {
      const engine = readModelFile(c.file);
      engine.semantics = 'fuzzylite';
      const f = compile(engine);
      const y = new Float64Array(1);
      c.rows.forEach((x, k) => {
        f.evaluate(Float64Array.from(x), y);
        if (!(Math.abs(y[0] - expected(c, k)) <= 1e-9 * Math.max(1, Math.abs(expected(c, k))))) differing++;
      });
    }
    expect(differing).toBeGreaterThan(20);
  });

  it('a fuzzy controller and an anfis controller on the saved .fis give the trainer’s value to 1e-12', () => {
    const c = cases.find((x) => x.name === 'grid-4in-gbellmf')!;
    const names = c.model.inputs.map((v) => v.name);
    const ctx = { Ts: 0.001, baseDir: dir, plantParams: {}, outputLimits: {} };
    const fuzzy = fuzzyFactory.create(
      { type: 'fuzzy', model: c.file, inputs: Object.fromEntries(names.map((n) => [n, { signal: n }])), outputs: { [c.model.output.name]: { command: 'u' } } },
      ctx,
    );
    const anfis = anfisFactory.create({ type: 'anfis', model: c.file, sensors: names, features: names, output: 'u', outMin: -1e9, outMax: 1e9 }, ctx);
    const u = new Float64Array(1);
    const ref = new Float64Array(0);
    const viaFuzzy: number[] = [];
    const viaAnfis: number[] = [];
    c.rows.forEach((x, k) => {
      fuzzy.update(Float64Array.from(x), ref, k * 0.001, u);
      viaFuzzy.push(u[0]);
      anfis.update(Float64Array.from(x), ref, k * 0.001, u);
      viaAnfis.push(u[0]);
    });
    expect(worst(c, viaFuzzy)).toBeLessThanOrEqual(1e-12);
    expect(worst(c, viaAnfis)).toBeLessThanOrEqual(1e-12);
  });
});
