import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initGrid, toEngine, trainHybrid } from '../../controllers/anfis/index.ts';
import { writeModelFile } from '../../controllers/fuzzy/index.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { runScenario, type RunResult } from '../../run/run-scenario.ts';
import { TEACHERS, pairsFromRunCsv, recordTeacher } from '../../tuning/maglev-anfis-teachers.ts';
import { tempDir } from './cli-helpers.ts';

// The goal of the maglev study (docs/anfis.md): released at 7, 8.5 and 9.5 mm under the seed's
// random current noise (seed 1, as the scenarios ship), an ANFIS settles within 2× the
// hand-designed fuzzy controller's settling time from every start.
const STARTS_M = [0.007, 0.0085, 0.0095];
const GOAL = 2;
const BAND_M = 1e-4; // ±0.1 mm, maglev-fuzzy's band

async function released(scenario: string, x0_m: number, set: string[] = []): Promise<RunResult> {
  const r = await runScenario(buildRun(loadScenario(scenario, { set: [...set, `x0_m=${x0_m}`], duration: 2, seed: 1 })), {
    outDir: tempDir('offset'),
    noReport: true,
    keepRows: true,
  });
  expect(r.status).toBe('completed');
  return r;
}

/**
 * Settling time computed here from the recorded gap, independently of firmware-sim/metrics: the
 * time of the first sample after the last one outside ±0.1 mm of 8 mm (0 if none is outside), or
 * null when the ball is outside within the last 10 % of the run.
 */
function settlingFromRows(r: RunResult): number | null {
  const t = r.store!.t;
  const x = r.store!.column('x_m')!;
  let last = -1;
  for (let k = 0; k < x.length; k++) if (Math.abs(x[k] - 0.008) > BAND_M) last = k;
  if (last < 0) return 0;
  if (last + 1 >= x.length || t[last + 1] > 0.9 * t[t.length - 1]) return null;
  return t[last + 1];
}

/** Settling of one run, as the metrics give it and checked against the independent computation. */
function settling(r: RunResult): number {
  expect(r.metrics.settling_band).toBe(BAND_M);
  const own = settlingFromRows(r);
  expect(own, 'settles within the run').not.toBeNull();
  expect(r.metrics.settling_time_s as number).toBeCloseTo(own!, 9);
  expect(r.metrics.magnet_contact_samples).toBe(0);
  expect(r.metrics.floor_contact_samples).toBe(0);
  return own!;
}

describe('maglev: ANFIS trained on recordings of a tuned PID, released off the setpoint', () => {
  it('the shipped maglev-anfis-closed-loop settles within 2× maglev-fuzzy from 7, 8.5 and 9.5 mm', async () => {
    for (const x0 of STARTS_M) {
      const tFuzzy = settling(await released('maglev-fuzzy', x0));
      const tAnfis = settling(await released('maglev-anfis-closed-loop', x0));
      // a released ball has to travel: neither can be "settled" at t = 0 from 0.5 mm or more away
      expect(tFuzzy, `fuzzy from ${x0 * 1000} mm`).toBeGreaterThan(0);
      expect(tAnfis, `ANFIS from ${x0 * 1000} mm`).toBeGreaterThan(0);
      expect(tAnfis / tFuzzy, `from ${x0 * 1000} mm: ANFIS ${tAnfis} s, fuzzy ${tFuzzy} s`).toBeLessThanOrEqual(GOAL);
    }
  }, 60_000);

  it('a shorter training (three 1 s recordings of the tuned PID, 10 epochs) also meets the goal', async () => {
    const file = await shortTraining('tuned-pid');
    for (const x0 of STARTS_M) {
      const tFuzzy = settling(await released('maglev-fuzzy', x0));
      const tAnfis = settling(await released('maglev-anfis-closed-loop', x0, [`controller.model=${file}`]));
      expect(tAnfis / tFuzzy, `from ${x0 * 1000} mm: ANFIS ${tAnfis} s, fuzzy ${tFuzzy} s`).toBeLessThanOrEqual(GOAL);
    }
  }, 60_000);

  it('the same shorter training on the maglev PID misses it from 7 mm, as that PID itself does: the ANFIS imitates its teacher', async () => {
    const file = await shortTraining('pid');
    const tFuzzy = settling(await released('maglev-fuzzy', 0.007));
    const tPid = settling(await released('maglev', 0.007));
    const tAnfis = settling(await released('maglev-anfis-closed-loop', 0.007, [`controller.model=${file}`]));
    expect(tPid / tFuzzy).toBeGreaterThan(GOAL);
    expect(tAnfis / tFuzzy).toBeGreaterThan(GOAL);
  }, 60_000);
});

/** Records a teacher released at 6.5, 8 and 9.5 mm for 1 s each, trains 2 bell MFs per input for 10 epochs, saves the .fis. */
async function shortTraining(teacherId: string): Promise<string> {
  const teacher = TEACHERS.find((t) => t.id === teacherId)!;
  const data = { inputs: [] as (readonly number[])[], targets: [] as number[] };
  for (const [k, x0_m] of [0.0065, 0.008, 0.0095].entries()) {
    const dir = tempDir('rec');
    const r = await recordTeacher(teacher, { x0_m, seed: k + 1 }, dir, 1);
    expect(r.status).toBe('completed');
    const p = pairsFromRunCsv(join(dir, 'run.csv'), 5, 3);
    data.inputs.push(...p.inputs);
    data.targets.push(...p.targets);
  }
  expect(data.inputs).toHaveLength(600);
  const init = initGrid(data.inputs, data.targets, { mfs: 2, mfType: 'gbellmf', inputNames: ['x_m', 'v_mps', 'ie_ms'], outputName: 'i_A', name: `short-${teacherId}` });
  const model = trainHybrid(init, data, { epochs: 10, stepSize: 0.01 }).model;
  const file = join(tempDir('model'), `short-${teacherId}.fis`);
  writeModelFile(file, toEngine(model));
  return file;
}
