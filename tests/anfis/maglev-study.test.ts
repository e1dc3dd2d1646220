import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maglevStudy, steadyStatePairs, valleyFactor } from '../../tuning/maglev-anfis-study.ts';
import { RECORDINGS, TEACHERS, pairsFromRunCsv, recordTeacher } from '../../tuning/maglev-anfis-teachers.ts';
import { fromEngine, initGrid, rmse, trainHybrid } from '../../controllers/anfis/index.ts';
import { readModelFile } from '../../controllers/fuzzy/index.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { builtinScenarioDir, loadScenario } from '../../firmware-sim/scenario/load.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { tempDir } from './cli-helpers.ts';

const models = join(builtinScenarioDir, 'models');
const RECORDED_RMSE_LIMIT_A = 0.005; // the study’s lowest checking RMSE over all seven runs is 3.97 mA

describe('maglev study (a): the paper’s steady-state ANFIS', () => {
  const train = steadyStatePairs();
  const check = steadyStatePairs(5e-6);

  it('1355 pairs over 0 … 13.54 mm; at 8 mm the detectors read (op3, op2, op1) = (8.62, 0.38, 0.00) V and the target is 95.5 mA', () => {
    expect(train.inputs).toHaveLength(1355);
    const k = 800; // 8.00 mm
    const [op1, op2, op3] = train.inputs[k];
    // plants.md [C]
    expect(op3).toBeCloseTo(8.62, 2);
    expect(op2).toBeCloseTo(0.38, 2);
    expect(op1).toBeCloseTo(0.0, 2);
    expect(valleyFactor(0.008)).toBe(1);
    expect(Math.abs(train.targets[k] - 0.0955) / 0.0955).toBeLessThan(0.01);
    // the valley: up to 8 % less current at the coil, up to 8 % more at the far end
    expect(valleyFactor(0)).toBeCloseTo(0.92, 12);
    expect(valleyFactor(0.01354)).toBeCloseTo(1.08, 12);
  });

  it('the committed model has the paper’s structure and fits its data to about 0.7 mA RMSE', () => {
    const m = fromEngine(readModelFile(join(models, 'maglev-anfis-seed.fis')));
    expect(m.nInputs).toBe(3);
    expect(m.inputs.map((v) => v.mfs.length)).toEqual([3, 3, 3]);
    expect(m.nRules).toBe(27);
    expect(rmse(m, check)).toBeLessThan(0.00075);
    expect(rmse(m, train)).toBeLessThan(0.00075);
  });

  it('retraining on every fifth pair reaches the same regime as the committed model', () => {
    const sub = { inputs: train.inputs.filter((_, k) => k % 5 === 0), targets: train.targets.filter((_, k) => k % 5 === 0) };
    const m = initGrid(sub.inputs, sub.targets, { mfs: 3, inputNames: ['op1_V', 'op2_V', 'op3_V'] });
    const r = trainHybrid(m, sub, { epochs: 40, stepSize: 0.01 });
    expect(r.trainRmse[r.trainRmse.length - 1]).toBeLessThan(r.trainRmse[0]);
    expect(rmse(r.model, check)).toBeLessThan(0.003);
  });

  it('in the loop under the seed’s random noise it does not hold the ball (reported as it is)', async () => {
    const r = await runScenario(buildRun(loadScenario('maglev-anfis-seed', { duration: 2 })), { outDir: tempDir('seed-run'), noReport: true });
    expect(r.status).toBe('completed');
    expect((r.metrics.magnet_contact_samples as number) + (r.metrics.floor_contact_samples as number)).toBeGreaterThan(0);
  });
});

describe('maglev study (b): ANFIS trained on recorded closed-loop runs', () => {
  it('the committed model matches pairs re-recorded from the tuned PID by hilbench’s recorder', async () => {
    const dir = tempDir('rec');
    const r = await recordTeacher(TEACHERS.find((t) => t.id === 'tuned-pid')!, RECORDINGS[2], dir);
    expect(r.status).toBe('completed');
    const pairs = pairsFromRunCsv(join(dir, 'run.csv'), 5);
    const m = fromEngine(readModelFile(join(models, 'maglev-anfis-closed-loop.fis')));
    expect(m.inputs.map((v) => v.name)).toEqual(['x_m', 'v_mps', 'ie_ms']);
    expect(rmse(m, pairs)).toBeLessThan(RECORDED_RMSE_LIMIT_A);
  });

  it('without a gap-sensor column (a controller that reads the detectors) the gap is read from x_sensor_V through the same ADC channel', async () => {
    const dir = tempDir('pid-rec');
    const r = await runScenario(buildRun(loadScenario('maglev', { set: ['noise.enabled=true'], duration: 0.3 })), { outDir: dir, noReport: true });
    expect(r.status).toBe('completed');
    const lines = readFileSync(join(dir, 'run.csv'), 'utf8').trim().split('\n');
    const keep = lines[0].split(',').map((h) => h !== 'x_meas_m' && h !== 'x_meas_m_counts');
    const stripped = join(dir, 'no-gap-sensor.csv');
    writeFileSync(stripped, lines.map((l) => l.split(',').filter((_, k) => keep[k]).join(',')).join('\n') + '\n');
    expect(readFileSync(stripped, 'utf8')).not.toContain('x_meas_m');
    const a = pairsFromRunCsv(join(dir, 'run.csv'), 1);
    const b = pairsFromRunCsv(stripped, 1);
    expect(b.inputs).toHaveLength(300);
    expect(b.inputs).toEqual(a.inputs);
    expect(b.targets).toEqual(a.targets);
  });

  it('settles from 8 mm under the seed’s noise within 2× the hand-designed fuzzy controller’s settling time', async () => {
    const anfis = await runScenario(buildRun(loadScenario('maglev-anfis-closed-loop')), { outDir: tempDir('cl-run'), noReport: true });
    expect(anfis.status).toBe('completed');
    const tAnfis = anfis.metrics.settling_time_s as number;
    expect(tAnfis).not.toBeNull();
    let reference = 0.2; // the paper's figure for the hand-designed controller, if maglev-fuzzy is absent
    if (existsSync(join(builtinScenarioDir, 'maglev-fuzzy.json'))) {
      const fuzzy = await runScenario(buildRun(loadScenario('maglev-fuzzy')), { outDir: tempDir('fz-run'), noReport: true });
      expect(fuzzy.metrics.settling_band).toBe(anfis.metrics.settling_band);
      reference = fuzzy.metrics.settling_time_s as number;
    }
    expect(tAnfis).toBeLessThanOrEqual(2 * reference);
    // and the ball stays within ±0.1 mm of 8 mm throughout
    expect(Math.abs((anfis.metrics.x_max_m as number) - 0.008)).toBeLessThan(1e-4);
    expect(Math.abs((anfis.metrics.x_min_m as number) - 0.008)).toBeLessThan(1e-4);
  });
});

describe('maglev study: the shipped models', () => {
  it('are what `anfis maglev-study` produces now, byte for byte (recordings, training and writing are deterministic)', async () => {
    const out = tempDir('study');
    await maglevStudy({ out, models: join(out, 'models'), epochs: 100 });
    for (const f of ['maglev-anfis-seed.fis', 'maglev-anfis-closed-loop.fis']) {
      expect(readFileSync(join(out, 'models', f), 'utf8'), `${f}: refresh with 'npx hilbench anfis maglev-study --models scenarios/models'`).toBe(readFileSync(join(models, f), 'utf8'));
    }
  }, 600_000);
});
