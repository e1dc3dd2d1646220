import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromEngine, initGrid, initSubclust, toEngine, trainHybrid, type AnfisModel } from '../../controllers/anfis/index.ts';
import { readModelFile, writeModelFile } from '../../controllers/fuzzy/index.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { fuzzyliteEval, hilbench, hilbenchInProcess, lastColumn, tempDir } from './cli-helpers.ts';
import { sincData } from './data.ts';

const data = sincData();

function models(): [string, AnfisModel][] {
  const out: [string, AnfisModel][] = [];
  for (const mfType of ['gbellmf', 'gaussmf', 'trimf'] as const) {
    const m = initGrid(data.inputs, data.targets, { mfs: 4, mfType });
    trainHybrid(m, data, { epochs: 25, stepSize: 0.1 });
    out.push([`grid-${mfType}`, m]);
  }
  const z = initGrid(data.inputs, data.targets, { mfs: 3, order: 0 });
  trainHybrid(z, data, { epochs: 10, stepSize: 0.1 });
  out.push(['grid-order0', z]);
  const s = initSubclust(data.inputs, data.targets, { radii: 0.4 });
  trainHybrid(s, data, { epochs: 10 });
  out.push(['subclust', s]);
  return out;
}

/** Inputs inside the training range, at the grid points (MF centres) and a little outside. */
function probeInputs(): number[][] {
  const rng = new Xoshiro128(11);
  const rows = Array.from({ length: 150 }, () => [-12 + 24 * rng.uniform(), -12 + 24 * rng.uniform()]);
  return [...rows, ...data.inputs.slice(0, 40).map((r) => [...r])];
}

function expectClose(a: number[], b: number[], tol: number): void {
  expect(a).toHaveLength(b.length);
  let worst = 0;
  a.forEach((v, i) => {
    if (Number.isNaN(v) || Number.isNaN(b[i])) expect(Number.isNaN(v) && Number.isNaN(b[i])).toBe(true);
    else worst = Math.max(worst, Math.abs(v - b[i]));
  });
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('an ANFIS saved as .fis evaluates as in the trainer', () => {
  const dir = tempDir('anfis-fis');
  const rows = probeInputs();
  const inputsCsv = join(dir, 'inputs.csv');
  writeFileSync(inputsCsv, 'input1,input2\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
  const cases = models();

  for (const [name, model] of cases) {
    const file = join(dir, `${name}.fis`);
    writeModelFile(file, toEngine(model));
    // a .fis is read with matlab semantics (every rule counts), as the trainer evaluates; fuzzylite fires rules ≥ 1e-6 only
    // where no rule has a positive activation the trainer gives NaN, evalfis the middle of the output range
    const middle = 0.5 * (model.output.range[0] + model.output.range[1]);
    const trainer = rows.map((x) => model.evaluate(x)).map((v) => (Number.isNaN(v) ? middle : v));
    const trainerFuzzylite = rows.map((x) => model.evaluateEngine(x));

    it(`${name}: hilbench fuzzy eval equals the trainer to 1e-12`, async () => {
      const out = join(dir, `${name}.out.csv`);
      // the first model goes through a real `node bin/hilbench.js`, the others through the same entry point in-process
      const r = name === cases[0][0] ? hilbench(['fuzzy', 'eval', file, '--inputs', inputsCsv, '--out', out]) : await hilbenchInProcess(['fuzzy', 'eval', file, '--inputs', inputsCsv, '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expectClose(lastColumn(readFileSync(out, 'utf8')), trainer, 1e-12);
    });

    it(`${name}: fuzzylite evaluates the same .fis to 1e-9`, () => {
      expectClose(fuzzyliteEval(file, ['input1', 'input2'], rows, dir), trainerFuzzylite, 1e-9);
    });

    it(`${name}: reading the .fis back gives the same parameters, bit for bit`, () => {
      const back = fromEngine(readModelFile(file), file);
      expect(Array.from(back.premise)).toEqual(Array.from(model.premise));
      expect(Array.from(back.consequent)).toEqual(Array.from(model.consequent));
      expect(back.rules).toEqual(model.rules);
    });
  }

  it('the .fll written by the engine evaluates the same in fuzzylite', () => {
    const [, m] = cases[1];
    const fll = join(dir, 'model.fll');
    writeModelFile(fll, toEngine(m));
    expectClose(fuzzyliteEval(fll, ['input1', 'input2'], rows, dir), rows.map((x) => m.evaluateEngine(x)), 1e-9);
  });
});
