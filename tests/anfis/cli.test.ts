import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromEngine, initGrid, rmse, trainHybrid } from '../../controllers/anfis/index.ts';
import { readModelFile } from '../../controllers/fuzzy/index.ts';
import { hilbench, hilbenchInProcess, tempDir } from './cli-helpers.ts';
import { sincData } from './data.ts';

describe('hilbench anfis train', () => {
  const dir = tempDir('anfis-cli');
  const data = sincData();
  const train = join(dir, 'train.csv');
  writeFileSync(train, 'x,y,z\n' + data.inputs.map((r, j) => `${r[0]},${r[1]},${data.targets[j]}`).join('\n') + '\n');

  it('trains a grid-partition model, writes the .fis and the training curve, same as the library', async () => {
    const out = join(dir, 'sinc.fis');
    const r = await hilbenchInProcess(['anfis', 'train', '--train', train, '--mfs', '4', '--epochs', '12', '--step-size', '0.1', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/16 rules/);
    const saved = fromEngine(readModelFile(out), out);
    expect(saved.inputs.map((v) => v.name)).toEqual(['x', 'y']);
    const lib = initGrid(data.inputs, data.targets, { mfs: 4 });
    const res = trainHybrid(lib, data, { epochs: 12, stepSize: 0.1 });
    expect(Array.from(saved.premise)).toEqual(Array.from(lib.premise));
    const curve = readFileSync(join(dir, 'sinc.curve.csv'), 'utf8').trim().split('\n');
    expect(curve[0]).toBe('epoch,train_rmse,check_rmse,step_size');
    expect(curve).toHaveLength(13);
    expect(Number(curve[12].split(',')[1])).toBe(res.trainRmse[11]);
    expect(rmse(saved, data)).toBeCloseTo(Math.min(...res.trainRmse), 12);
  });

  it('--init subclust with checking data saves the best-checking model as .fll', async () => {
    const check = join(dir, 'check.csv');
    writeFileSync(check, data.inputs.map((r) => `${r[0] + 1},${r[1] + 1},${Math.sin(r[0] + 1) / (r[0] + 1) * (Math.sin(r[1] + 1) / (r[1] + 1))}`).join('\n') + '\n');
    const out = join(dir, 'sub.fll');
    const r = await hilbenchInProcess(['anfis', 'train', '--train', train, '--check', check, '--init', 'subclust', '--radii', '0.4', '--epochs', '5', '--out', out, '--curve', join(dir, 'sub.csv')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/lowest checking RMSE/);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(join(dir, 'sub.csv'), 'utf8').split('\n')[1].split(',')[2]).not.toBe('');
  });

  it('bad input: a one-line error naming the file and line, exit 1', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '1,2,3\n4,5\n');
    const r = hilbench(['anfis', 'train', '--train', bad, '--mfs', '2', '--out', join(dir, 'x.fis')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`hilbench: ${bad}:2: 2 values, expected 3`);
    const r2 = await hilbenchInProcess(['anfis', 'train', '--train', train, '--out', join(dir, 'x.fis')]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/--mfs is required/);
    const r3 = await hilbenchInProcess(['anfis', 'train', '--train', train, '--mfs', '2', '--out', join(dir, 'x.txt')]);
    expect(r3.status).toBe(1);
    expect(r3.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    // A row no rule covers: named by its line (after a header and a comment line), no model written.
    const far = join(dir, 'far.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `${(i / 290).toFixed(4)},${((i / 290) ** 2).toFixed(6)}`);
    writeFileSync(far, ['x,y', '# one point far away at the end', ...rows, '1,1'].join('\n') + '\n');
    // Narrow clusters (Gaussians with σ ≈ 0.3 % of the range): their strengths underflow to 0 at x = 1.
    const r4 = await hilbenchInProcess(['anfis', 'train', '--train', far, '--init', 'subclust', '--radii', '0.03', '--epochs', '3', '--out', join(dir, 'far.fis')]);
    expect(r4.status).toBe(1);
    expect(r4.stderr.trim()).toMatch(new RegExp(`^hilbench: ${far.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:33: no rule fires for training row 31`));
    expect(existsSync(join(dir, 'far.fis'))).toBe(false);
  });

  it('--help exits 0', async () => {
    const r = await hilbenchInProcess(['anfis', 'train', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--init <method>/);
  });
});
