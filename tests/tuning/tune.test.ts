import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../tuning/evaluate.ts';
import { runRobustness, parseTolerances } from '../../tuning/robustness.ts';
import { runTuning, type TuneOptions } from '../../tuning/run-tuning.ts';
import { setsFor } from '../../tuning/param-space.ts';

const base: TuneOptions = { scenario: 'maglev', method: 'cmaes', objective: 'itae', constraints: ['overshoot<5'], budget: 300, workers: 0, seed: 1 };
const strip = (r: Awaited<ReturnType<typeof runTuning>>) => r.records.map((x) => ({ values: x.values, cost: x.cost }));

describe('tuning the maglev PID (acceptance)', () => {
  it('300 CMA-ES evaluations lower ITAE by ≥ 30 % with overshoot < 5 %, stable over ±10 % ball mass', async () => {
    const r = await runTuning(base);
    const before = r.baseline.metrics.itae as number;
    const after = r.best.metrics.itae as number;
    expect(r.records.length).toBe(300);
    expect(r.best.feasible).toBe(true);
    expect(after).toBeLessThanOrEqual(0.7 * before);
    expect(r.best.metrics.overshoot_pct as number).toBeLessThan(5);
    // The same point re-simulated on its own gives the same metrics (one evaluation = one deterministic run).
    const again = evaluateScenario('maglev', setsFor(r.specs, r.best.values)).metrics;
    expect(again.itae).toBe(after);

    const rob = await runRobustness({ scenario: 'maglev', baseSets: setsFor(r.specs, r.best.values), tolerances: parseTolerances('m_kg=10%'), samples: 8, seed: 1, workers: 0 });
    expect(rob.cases.length).toBe(1 + 2 + 8);
    expect(rob.cases.map((c) => c.values.m_kg).filter((m) => m < 0.0081 - 1e-12 || m > 0.0099 + 1e-12)).toEqual([]);
    expect(rob.allStable).toBe(true);
    for (const c of rob.cases.filter((x) => x.kind !== 'monte-carlo')) expect(c.margins!.stable).toBe(true);
    expect(rob.distributions.itae.n).toBe(8);
  });
});

describe('parallel evaluation', () => {
  it('2 worker threads give exactly the single-thread results', async () => {
    const opts = { ...base, budget: 24 };
    const one = await runTuning(opts);
    const two = await runTuning({ ...opts, workers: 2 });
    expect(two.simulated).toBe(24);
    expect(strip(two)).toEqual(strip(one));
  });
});

describe('resuming from evaluations.csv', () => {
  it('continues an interrupted search to the same result, skipping a torn last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-tune-'));
    const file = join(dir, 'evaluations.csv');
    const opts = { ...base, method: 'nelder-mead', budget: 40 };
    const full = await runTuning(opts);
    await runTuning({ ...opts, budget: 17, resultsFile: file });
    appendFileSync(file, '17,4,51.2,6'); // a write cut short by a kill
    const resumed = await runTuning({ ...opts, resultsFile: file });
    expect(resumed.resumed).toBe(17);
    expect(resumed.simulated).toBe(23);
    expect(strip(resumed)).toEqual(strip(full));
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBe(41);
  });
  it('refuses a results file written by another search', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-tune-'));
    const file = join(dir, 'evaluations.csv');
    await runTuning({ ...base, method: 'random', budget: 16, resultsFile: file });
    await expect(runTuning({ ...base, method: 'random', budget: 16, seed: 2, resultsFile: file })).rejects.toThrow(/does not match this search/);
  });
});

describe('set-up errors name the culprit', () => {
  it('bad ranges, unknown parameters and unknown metrics', async () => {
    await expect(runTuning({ ...base, params: 'kp=5:1' })).rejects.toThrow(/'kp': lower bound 5 must be below upper bound 1/);
    await expect(runTuning({ ...base, params: 'kp=1:x' })).rejects.toThrow(/'kp'/);
    await expect(runTuning({ ...base, params: 'kq=1:2' })).rejects.toThrow(/unknown parameter 'kq'/);
    await expect(runTuning({ ...base, objective: 'itea' })).rejects.toThrow(/unknown metric 'itea'/);
    await expect(runTuning({ ...base, constraints: ['overshot<5'] })).rejects.toThrow(/unknown metric 'overshot'/);
    await expect(runTuning({ ...base, params: 'kp=0:1:log' })).rejects.toThrow(/log range needs lo > 0/);
  });
});

describe('fuzzy scaling gains', () => {
  it('input and output factors of the maglev fuzzy controller are tunable by scenario path', async () => {
    const r = await runTuning({
      scenario: 'maglev-fuzzy',
      // The input factor defaults to 1 without being written: --set makes it explicit first.
      baseSets: ['controller.inputs.dop2.gain=1'],
      params: 'controller.outputs.level.gain=0.015:0.035,controller.outputs.dlevel.gain=0.015:0.035,controller.inputs.dop2.gain=0.5:2',
      method: 'nelder-mead',
      objective: 'iae',
      budget: 30,
      workers: 0,
      seed: 1,
    });
    expect(r.specs.map((s) => s.initial)).toEqual([0.023875, 0.023875, 1]);
    expect(r.baseline.metrics.status).toBe('completed');
    expect(r.best.metrics.iae as number).toBeLessThan(r.baseline.metrics.iae as number);
    expect(r.best.values).not.toEqual([0.023875, 0.023875, 1]);
  });
});

describe('robust tuning over plant variants', () => {
  it('averages the objective over fixed variants and judges constraints on the worst one', async () => {
    const r = await runTuning({ ...base, method: 'random', budget: 8, tuneOver: 'm_kg=10%', variants: 3 });
    expect(r.task.variants).toHaveLength(3);
    for (const v of r.task.variants!) {
      const m = Number(v[0].replace('params.m_kg=', ''));
      expect(m).toBeGreaterThanOrEqual(0.0081);
      expect(m).toBeLessThanOrEqual(0.0099);
    }
    expect(r.objective.constraints[0].key).toBe('overshoot_pct_max');
    const point = r.records[3];
    const runs = r.task.variants!.map((v) => evaluateScenario('maglev', [...v, ...setsFor(r.specs, point.values)]).metrics);
    const itae = runs.map((m) => m.itae as number);
    expect(point.metrics.variants).toBe(3);
    expect(point.metrics.itae).toBeCloseTo((itae[0] + itae[1] + itae[2]) / 3, 15);
    expect(point.metrics.overshoot_pct_max).toBe(Math.max(...runs.map((m) => m.overshoot_pct as number)));
    expect(point.feasible).toBe((point.metrics.overshoot_pct_max as number) < 5);
  });
});
