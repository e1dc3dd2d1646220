import { finiteCell, readCsvFile } from '../formats/csv.ts';
import { UserError } from '../errors/user-error.ts';
import { FilteredDerivative, RunningIntegral, type AnfisData } from '../controllers/anfis/index.ts';
import { actuatorValue, sensorCounts, sensorValue } from '../firmware-sim/channels.ts';
import { buildRun } from '../firmware-sim/scenario/build.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { runScenario, type RunResult } from '../run/run-scenario.ts';

/**
 * The controllers whose recorded runs train the maglev study's closed-loop ANFIS models
 * (docs/anfis.md): each is released from several gaps under the seed's random current noise plus
 * an excitation, and its commands become the training targets.
 */

/** Time constant of the gap-rate feature, shared by the recorder features and the controller. */
export const GAP_RATE_TAU_S = 0.002;

/** The seed's two current noises (Erkal 2009, Fig. 4–8). */
export const SEED_RANDOM = { label: 'seed random current noise, 0.02 A p-p held 1 ms', signal: 'i_A', type: 'uniform', pp: 0.02, hold: 0.001 };
export const SEED_SINE = { label: 'seed sine current noise, 1 Hz, 0.01 A peak', signal: 'i_A', type: 'sine', amplitude: 0.01, frequency: 1 };
export const EXCITATION = { label: 'excitation: uniform current 0.03 A p-p held 20 ms', signal: 'i_A', type: 'uniform', pp: 0.03, hold: 0.02 };

export interface RecordingSpec {
  x0_m: number;
  seed: number;
}

/** Releases from 6.5 … 9.5 mm, one noise seed each. */
export const RECORDINGS: readonly RecordingSpec[] = [6.5, 7, 7.5, 8, 8.5, 9, 9.5].map((mm, k) => ({ x0_m: mm / 1000, seed: k + 1 }));
const RECORD_DURATION_S = 2;

/**
 * The tuned PID: gains from `hilbench tune maglev` (CMA-ES, ITAE released at 9.5 mm under the seed's
 * random noise, phase margin > 35°; docs/anfis.md gives the command), to four figures.
 */
export const TUNED_PID = { kp: 211.7, ki: 80.06, kd: 1.699 };

export interface Teacher {
  /** File-name part of its recordings and of the model trained on them. */
  readonly id: string;
  readonly label: string;
  readonly scenario: string;
  readonly set: readonly string[];
  /**
   * ANFIS inputs taken from its runs: gap and gap rate, plus the integral of the gap error for the
   * PIDs (their integral action is what a static map of gap and rate cannot learn). The fuzzy
   * controller has no integral, and the integral of its recorded error explains none of its command.
   */
  readonly features: 2 | 3;
}

export const TEACHERS: readonly Teacher[] = [
  { id: 'pid', label: 'maglev PID', scenario: 'maglev', set: [], features: 3 },
  {
    id: 'tuned-pid',
    label: 'tuned PID',
    scenario: 'maglev',
    set: Object.entries(TUNED_PID).map(([k, v]) => `controller.${k}=${v}`),
    features: 3,
  },
  { id: 'fuzzy', label: 'hand-designed fuzzy (maglev-fuzzy)', scenario: 'maglev-fuzzy', set: [], features: 2 },
];

/** One recorded run of a teacher: released at spec.x0_m, seed random noise plus the excitation (2 s unless told). */
export async function recordTeacher(teacher: Teacher, spec: RecordingSpec, outDir: string, duration_s = RECORD_DURATION_S): Promise<RunResult> {
  const loaded = loadScenario(teacher.scenario, {
    set: [...teacher.set, 'noise.enabled=true', `x0_m=${spec.x0_m}`, `noise.sources=${JSON.stringify([SEED_RANDOM, EXCITATION])}`],
    duration: duration_s,
    seed: spec.seed,
  });
  return runScenario(buildRun(loaded), { outDir, noReport: true, keepRows: true });
}

/**
 * Training pairs from a recorded run.csv: features (gap as measured, its filtered derivative and,
 * with `features` 3, the running integral of reference − gap) and the command the controller sent
 * (actuator counts converted back to amperes), every `every`-th row. The feature objects are the
 * controller's own.
 */
export function pairsFromRunCsv(file: string, every: number, features: 2 | 3 = 3): AnfisData {
  const table = readCsvFile(file);
  const header = table.header;
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new UserError(`${file}:${table.headerLine}: no column '${name}'`);
    return i;
  };
  const it = col('t_s');
  const ic = col('i_cmd_A_counts');
  const ir = col('x_ref_m');
  const built = buildRun(loadScenario('maglev'));
  const act = built.actuators[0];
  // A controller that does not read the gap sensor (the hand-designed fuzzy one reads the detectors)
  // leaves no x_meas_m column: the gap sensor is then read from the plant's x_sensor_V through the
  // same ADC channel the ANFIS reads in the loop.
  const gapSensor = built.sensors[0];
  const direct = header.indexOf('x_meas_m');
  const ix = direct >= 0 ? direct : col('x_sensor_V');
  const gap = direct >= 0 ? (v: number) => v : (v: number) => sensorValue(gapSensor, sensorCounts(gapSensor, v));
  const rate = new FilteredDerivative(GAP_RATE_TAU_S);
  const integral = new RunningIntegral();
  const inputs: number[][] = [];
  const targets: number[] = [];
  const f = new Float64Array(header.length);
  for (let k = 0; k < table.rows.length; k++) {
    for (const c of [it, ix, ic, ir]) f[c] = finiteCell(table, k, c);
    const x = gap(f[ix]);
    const v = rate.step(x, f[it]);
    const ie = integral.step(f[ir] - x, f[it]);
    if ((k + 1) % every !== 0) continue;
    inputs.push(features === 3 ? [x, v, ie] : [x, v]);
    targets.push(actuatorValue(act, f[ic]));
  }
  return { inputs, targets };
}
