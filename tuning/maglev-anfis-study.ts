import { UserError } from '../errors/user-error.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { finiteCell, readCsvFile } from '../formats/csv.ts';
import { writeFileNamed } from '../errors/fs-error.ts';
import { join, resolve } from 'node:path';
import { curveCsv, FilteredDerivative, RunningIntegral, initGrid, rmse, toEngine, trainHybrid, type AnfisData, type AnfisModel, type HybridResult } from '../controllers/anfis/index.ts';
import { writeModelFile } from '../controllers/fuzzy/index.ts';
import { actuatorValue } from '../firmware-sim/channels.ts';
import { buildRun } from '../firmware-sim/scenario/build.ts';
import { builtinScenarioDir, loadScenario } from '../firmware-sim/scenario/load.ts';
import { renderSvg } from '../report/plots.ts';
import { escapeHtml } from '../report/report-html.ts';
import { runScenario, type RunResult } from '../run/run-scenario.ts';
import { maglevFactory, opticalDetector, type Maglev } from '../plants/maglev/index.ts';

/**
 * The maglev ANFIS study (Erkal 2009 seed, docs/anfis.md):
 *  (a) the paper's ANFIS: steady-state pairs (three detector voltages → holding current, with the
 *      paper's ±8 % "valley" correction), 3 MFs per input, 27 rules, 1355 pairs, checking data
 *      shifted by 0.005 mm; run in the loop under the seed's noise;
 *  (b) what the paper's conclusion asks for: an ANFIS trained on closed-loop runs recorded by
 *      hilbench's own recorder (the maglev PID with excitation): gap, gap rate and the integral of
 *      the gap error → current.
 * Writes the two models, the training curves, every run and a comparison report.
 */
const SETPOINT_M = 0.008;
const PAIRS = 1355;
const STEP_M = 1e-5; // 0 … 13.54 mm, the paper's training span up to 13.55 mm
const CHECK_SHIFT_M = 5e-6;
const VALLEY = 0.08;
/** Time constant of the gap-rate feature, shared by the recorder features and the controller. */
export const GAP_RATE_TAU_S = 0.002;

/** The paper's correction: exact holding current at 8 mm, up to 8 % less nearer the coil, up to 8 % more farther. */
export function valleyFactor(x_m: number): number {
  const top = (PAIRS - 1) * STEP_M;
  return x_m < SETPOINT_M ? 1 - (VALLEY * (SETPOINT_M - x_m)) / SETPOINT_M : 1 + (VALLEY * Math.min(x_m - SETPOINT_M, top - SETPOINT_M)) / (top - SETPOINT_M);
}

/** Steady-state pairs (op1, op2, op3 → valley-corrected holding current), noise-free detector model. */
export function steadyStatePairs(shift_m = 0): AnfisData {
  const params = maglevFactory.defaults('A');
  const plant = maglevFactory.create(params) as Maglev;
  const geom = { fullScale_V: params.optical_full_scale_V, h1_m: params.optical_h1_m, D_m: params.optical_D_m, w_m: params.optical_w_m };
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let k = 0; k < PAIRS; k++) {
    const x = k * STEP_M + shift_m;
    inputs.push([0, 1, 2].map((d) => opticalDetector(geom, x + d * params.optical_spacing_m)));
    targets.push(plant.holdingCurrent(x) * valleyFactor(x));
  }
  return { inputs, targets };
}

export interface RecordingSpec {
  x0_m: number;
  seed: number;
}

/** The recorded runs: the maglev PID released from several gaps, seed noise plus extra excitation. */
export const RECORDINGS: readonly RecordingSpec[] = [6.5, 7, 7.5, 8, 8.5, 9, 9.5].map((mm, k) => ({ x0_m: mm / 1000, seed: k + 1 }));
export const EXCITATION = { label: 'excitation: uniform current 0.03 A p-p held 20 ms', signal: 'i_A', type: 'uniform', pp: 0.03, hold: 0.02 };
const RECORD_DURATION_S = 2;

async function record(spec: RecordingSpec, outDir: string): Promise<RunResult> {
  const loaded = loadScenario('maglev', {
    set: ['noise.enabled=true', `x0_m=${spec.x0_m}`, `noise.sources.2=${JSON.stringify(EXCITATION)}`],
    duration: RECORD_DURATION_S,
    seed: spec.seed,
  });
  return runScenario(buildRun(loaded), { outDir, noReport: true, keepRows: true });
}

/**
 * Training pairs from a recorded run.csv: features (gap as measured, its filtered derivative, the
 * running integral of reference − gap) and the command the PID sent (actuator counts converted
 * back to amperes), every `every`-th row. The feature objects are the controller's own.
 */
export function pairsFromRunCsv(file: string, every: number): AnfisData {
  const table = readCsvFile(file);
  const col = (name: string): number => {
    const i = table.header.indexOf(name);
    if (i < 0) throw new UserError(`${file}:${table.headerLine}: no column '${name}'`);
    return i;
  };
  const it = col('t_s');
  const ix = col('x_meas_m');
  const ic = col('i_cmd_A_counts');
  const ir = col('x_ref_m');
  const built = buildRun(loadScenario('maglev'));
  const act = built.actuators[0];
  const rate = new FilteredDerivative(GAP_RATE_TAU_S);
  const integral = new RunningIntegral();
  const inputs: number[][] = [];
  const targets: number[] = [];
  const f = new Float64Array(table.header.length);
  for (let k = 0; k < table.rows.length; k++) {
    for (const c of [it, ix, ic, ir]) f[c] = finiteCell(table, k, c);
    const v = rate.step(f[ix], f[it]);
    const ie = integral.step(f[ir] - f[ix], f[it]);
    if ((k + 1) % every !== 0) continue;
    inputs.push([f[ix], v, ie]);
    targets.push(actuatorValue(act, f[ic]));
  }
  return { inputs, targets };
}

/** Shows training progress (the CLI passes a progress bar); `undefined` for no display. */
export type StudyProgress = (label: string, epochs: number) => { update(epoch: number, rmse: number, stepSize: number): void; stop(): void } | undefined;

function train(model: AnfisModel, data: AnfisData, check: AnfisData | undefined, epochs: number, stepSize: number, label: string, progress?: StudyProgress): HybridResult {
  const b = progress?.(label, epochs);
  try {
    return trainHybrid(model, data, {
      epochs,
      stepSize,
      check,
      onEpoch: (e) => b?.update(e.epoch, e.trainRmse, e.stepSize),
    });
  } finally {
    b?.stop();
  }
}

export interface StudyOptions {
  out: string;
  models: string;
  epochs: number;
  progress?: StudyProgress;
}

export async function maglevStudy(opts: StudyOptions): Promise<string[]> {
  const out = resolve(opts.out);
  const modelsDir = resolve(opts.models);
  mkdirSync(out, { recursive: true });
  mkdirSync(modelsDir, { recursive: true });
  const notes: string[] = [];

  // (a) the paper's steady-state ANFIS
  const ssTrain = steadyStatePairs();
  const ssCheck = steadyStatePairs(CHECK_SHIFT_M);
  const seedModel = initGrid(ssTrain.inputs, ssTrain.targets, { mfs: 3, mfType: 'gbellmf', inputNames: ['op1_V', 'op2_V', 'op3_V'], outputName: 'i_A', name: 'maglev-anfis-seed' });
  const a = train(seedModel, ssTrain, ssCheck, opts.epochs, 0.01, '(a) steady state', opts.progress);
  const seedBest = a.checkModel!;
  seedBest.name = 'maglev-anfis-seed';
  writeModelFile(join(modelsDir, 'maglev-anfis-seed.fis'), toEngine(seedBest));
  writeFileNamed(join(out, 'maglev-anfis-seed.curve.csv'), curveCsv(a));
  notes.push(
    `(a) steady-state ANFIS: ${seedBest.nRules} rules, ${ssTrain.inputs.length} training pairs; lowest checking RMSE ${fmtA(Math.min(...a.checkRmse))} at epoch ${a.bestCheckEpoch} (training RMSE ${fmtA(rmse(seedBest, ssTrain))})`,
  );

  // (b) closed-loop recordings → ANFIS
  const pairs = { inputs: [] as (readonly number[])[], targets: [] as number[] };
  for (const spec of RECORDINGS) {
    const dir = join(out, 'recordings', `pid-x0-${(spec.x0_m * 1000).toFixed(1)}mm-seed${spec.seed}`);
    const r = await record(spec, dir);
    if (r.status !== 'completed') throw new Error(`recording ${dir} failed: ${r.error}`);
    const p = pairsFromRunCsv(join(dir, 'run.csv'), 5);
    pairs.inputs.push(...p.inputs);
    pairs.targets.push(...p.targets);
  }
  // Every other pair trains, the rest checks.
  const clTrain: AnfisData = { inputs: pairs.inputs.filter((_, k) => k % 2 === 0), targets: pairs.targets.filter((_, k) => k % 2 === 0) };
  const clCheck: AnfisData = { inputs: pairs.inputs.filter((_, k) => k % 2 === 1), targets: pairs.targets.filter((_, k) => k % 2 === 1) };
  const clModel = initGrid(clTrain.inputs, clTrain.targets, { mfs: 2, mfType: 'gbellmf', inputNames: ['x_m', 'v_mps', 'ie_ms'], outputName: 'i_A', name: 'maglev-anfis-closed-loop' });
  const b = train(clModel, clTrain, clCheck, opts.epochs, 0.01, '(b) closed loop', opts.progress);
  const clBest = b.checkModel!;
  clBest.name = 'maglev-anfis-closed-loop';
  writeModelFile(join(modelsDir, 'maglev-anfis-closed-loop.fis'), toEngine(clBest));
  writeFileNamed(join(out, 'maglev-anfis-closed-loop.curve.csv'), curveCsv(b));
  notes.push(
    `(b) closed-loop ANFIS: ${clBest.nRules} rules, ${clTrain.inputs.length} training pairs from ${RECORDINGS.length} recorded PID runs; lowest checking RMSE ${fmtA(Math.min(...b.checkRmse))} at epoch ${b.bestCheckEpoch}`,
  );

  // In the loop, next to the hand-designed controllers, under the paper's two noises and from an offset start.
  const contenders: { label: string; scenario: string; set: string[] }[] = [
    { label: 'ANFIS (a) steady state', scenario: 'maglev-anfis-seed', set: [`controller.model=${join(modelsDir, 'maglev-anfis-seed.fis')}`] },
    { label: 'ANFIS (b) closed-loop data', scenario: 'maglev-anfis-closed-loop', set: [`controller.model=${join(modelsDir, 'maglev-anfis-closed-loop.fis')}`] },
    { label: 'PID (maglev)', scenario: 'maglev', set: [] },
  ];
  if (existsSync(join(builtinScenarioDir, 'maglev-fuzzy.json'))) contenders.push({ label: 'hand-designed fuzzy (maglev-fuzzy)', scenario: 'maglev-fuzzy', set: [] });
  else notes.push('scenario maglev-fuzzy (the hand-designed fuzzy controller) is not installed: compare with the paper’s 0.2 s');
  const conditions = [
    { name: 'random-8mm', label: 'released at 8 mm, random current noise 0.02 A p-p (Fig. 5/7)', x0_m: 0.008, sources: [SEED_RANDOM] },
    { name: 'sine-8mm', label: 'released at 8 mm, sine current noise 1 Hz 0.01 A peak (Fig. 6/8)', x0_m: 0.008, sources: [SEED_SINE] },
    { name: 'random-8.5mm', label: 'released at 8.5 mm, random current noise', x0_m: 0.0085, sources: [SEED_RANDOM] },
  ];
  const rows: ComparisonRow[] = [];
  const panels: object[] = [];
  for (const cond of conditions) {
    const traces: { label: string; r: RunResult }[] = [];
    for (const c of contenders) {
      const set = [...c.set, 'noise.enabled=true', `noise.sources=${JSON.stringify(cond.sources)}`, `x0_m=${cond.x0_m}`];
      const built = buildRun(loadScenario(c.scenario, { set, duration: COMPARE_DURATION_S, seed: 1 }));
      const r = await runScenario(built, { outDir: join(out, 'runs', cond.name, c.scenario), noReport: true, keepRows: true });
      traces.push({ label: c.label, r });
      const m = r.metrics;
      rows.push({
        condition: cond.name,
        controller: c.label,
        scenario: c.scenario,
        settling_time_s: m.settling_time_s as number | null,
        band_m: m.settling_band as number,
        max_abs_error_mm: maxAbsError(r) * 1000,
        iae_mm_s: (m.iae as number) * 1000,
        ball_lost: (m.magnet_contact_samples as number) > 0 || (m.floor_contact_samples as number) > 0,
      });
    }
    panels.push(overlaySpec(cond.label, traces));
  }
  writeFileNamed(join(out, 'comparison.json'), JSON.stringify(rows, null, 2) + '\n');
  const svg = await renderSvg(panels);
  writeFileNamed(join(out, 'comparison.svg'), svg);
  for (const row of rows) {
    notes.push(
      `${row.condition} · ${row.controller}: settling ${row.settling_time_s === null ? 'never' : `${fmtS(row.settling_time_s)} s`} (±${fmtS(row.band_m * 1000)} mm), max |error| ${fmtS(row.max_abs_error_mm)} mm, IAE ${fmtS(row.iae_mm_s)} mm·s${row.ball_lost ? ', ball lost (hit a stop)' : ''}`,
    );
  }
  writeFileNamed(join(out, 'comparison.html'), comparisonHtml(rows as unknown as Record<string, unknown>[], notes, svg));
  notes.push(`models in ${modelsDir}; report ${join(out, 'comparison.html')}`);
  return notes;
}

const SEED_RANDOM = { label: 'seed random current noise, 0.02 A p-p held 1 ms', signal: 'i_A', type: 'uniform', pp: 0.02, hold: 0.001 };
const SEED_SINE = { label: 'seed sine current noise, 1 Hz, 0.01 A peak', signal: 'i_A', type: 'sine', amplitude: 0.01, frequency: 1 };
const COMPARE_DURATION_S = 2;

interface ComparisonRow {
  condition: string;
  controller: string;
  scenario: string;
  settling_time_s: number | null;
  band_m: number;
  max_abs_error_mm: number;
  iae_mm_s: number;
  ball_lost: boolean;
}

function maxAbsError(r: RunResult): number {
  const x = r.store!.column('x_m')!;
  const ref = r.store!.column('x_ref_m')!;
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k] - ref[k]));
  return m;
}

/** One panel: the gap of every controller under one condition, in mm, decimated for the plot. */
function overlaySpec(title: string, traces: { label: string; r: RunResult }[]): object {
  const values: { t: number; controller: string; x_mm: number }[] = [];
  for (const { label, r } of traces) {
    const t = r.store!.t;
    const x = r.store!.column('x_m')!;
    const stride = Math.max(1, Math.ceil(t.length / 1000));
    for (let k = 0; k < t.length; k += stride) values.push({ t: t[k], controller: label, x_mm: x[k] * 1000 });
  }
  return {
    title: `${title} (axis clipped to 6–10 mm; the stops are at 0 and 15 mm)`,
    width: 640,
    height: 180,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 't (s)' },
      y: { field: 'x_mm', type: 'quantitative', title: 'gap (mm)', scale: { domain: [6, 10], clamp: true } },
      color: { field: 'controller', type: 'nominal', title: null, legend: { labelLimit: 320 } },
    },
  };
}

function fmtA(v: number): string {
  return `${(v * 1000).toPrecision(4)} mA`;
}

function fmtS(v: unknown): string {
  return typeof v === 'number' ? v.toPrecision(4) : String(v);
}

function comparisonHtml(rows: Record<string, unknown>[], notes: string[], svg: string): string {
  const keys = Object.keys(rows[0]);
  const table = `<table><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${escapeHtml(fmtS(r[k]))}</td>`).join('')}</tr>`)
    .join('\n')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>maglev ANFIS study</title>
<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2em .6em;font-size:.9em}svg{max-width:100%;height:auto}</style>
</head><body><h1>maglev ANFIS study (Erkal 2009 seed)</h1>
<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}</ul>
${table}
<div>${svg}</div>
</body></html>
`;
}
