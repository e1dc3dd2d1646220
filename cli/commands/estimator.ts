import { UserError } from '../../errors/user-error.ts';
import type { Command } from 'commander';
import { finiteCell, readCsvFile, shown } from '../../formats/csv.ts';
import { writeFileNamed } from '../../errors/fs-error.ts';
import { fileURLToPath } from 'node:url';
import { mlpToJson } from '../../controllers/mlp/index.ts';
import { RAT_MLP_SIZES, paperLine, ratStudySeeds, toDataset, trainRatMlp, type RatSample, type RatStudy } from '../../controllers/mlp/rat-estimator.ts';
import { RunStopped } from '../../errors/user-error.ts';
import { mse } from '../../controllers/mlp/dataset.ts';
import { streamSeed } from '../../firmware-sim/scenario/build.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { parsePositiveInt } from '../options.ts';
import { prepareOutFile } from '../../errors/out-path.ts';
import { onInterrupt, yieldToEvents } from '../signals.ts';

/** The repository's copy of the shared table (controllers/mlp/data/README.md); overridable with --data. */
export const RAT_DATA = fileURLToPath(new URL('../../controllers/mlp/data/rat_brain_rectal.csv', import.meta.url));

/** Reads rat_brain_rectal.csv (sample, rectal_C, brain_C_integer_part, brain_C_reconstructed, set). */
export function readRatCsv(path: string): RatSample[] {
  const table = readCsvFile(path);
  const { header } = table;
  const need = ['sample', 'rectal_C', 'brain_C_reconstructed', 'set'];
  if (header.length === 0) throw new UserError(`${path}: empty file, expected a header (${need.join(', ')}) and data rows`);
  for (const n of need) if (!header.includes(n)) throw new UserError(`${path}:${table.headerLine}: missing column '${n}' (expected ${need.join(', ')})`);
  const at = (n: string): number => header.indexOf(n);
  const rows = table.rows.map((f, k) => {
    const set = f[at('set')];
    if (set !== 'train' && set !== 'test') throw new UserError(`${path}:${table.lines[k]}: set must be train or test, got ${shown(set)}`);
    return { sample: finiteCell(table, k, at('sample')), rectal_C: finiteCell(table, k, at('rectal_C')), brain_C: finiteCell(table, k, at('brain_C_reconstructed')), set } as RatSample;
  });
  // The study fits on the training rows and reports errors on the test rows: neither may be missing.
  for (const set of ['train', 'test'] as const) {
    if (!rows.some((r) => r.set === set)) throw new UserError(`${path}: no ${set} rows (set = ${set})${rows.length === 0 ? ', only a header' : ''}; the study needs both`);
  }
  return rows;
}

/** Independent random streams per (seed, purpose), from the project's seeded generator. */
export function ratRng(seed: number, stream: number): Xoshiro128 {
  return new Xoshiro128(streamSeed(seed, stream));
}

const RECONSTRUCTION_NOTE =
  'brain temperatures are a reconstruction (the paper line T_B = 1.695·T_R − 26.8 clamped into each surviving integer part; controllers/mlp/data/README.md), not measured data: ' +
  'the figures cannot be compared with the paper’s MSE 0.0160 as equals';

export function registerEstimator(program: Command): void {
  const est = program.command('estimator').description('learned state estimators');
  est
    .command('rat')
    .description('rat brain temperature from rectal temperature (Demirel & Erkal 2009): linear fit vs a 1-8-8-1 LM-trained MLP, test MSE on the even samples')
    .option('--data <csv>', 'the table (sample, rectal_C, brain_C_integer_part, brain_C_reconstructed, set)', RAT_DATA)
    .option('--seed <n>', 'seed of the reported MLP', parsePositiveInt, 1)
    .option('--seeds <n>', 'seeds for the distribution over initialisations and the augmentation study', parsePositiveInt, 20)
    .option('--no-augment', 'skip the augmentation study')
    .option('--save <model.json>', 'save the reported MLP (hilbench-mlp JSON, loadable with mlpFromJson)')
    .action(async (opts: { data: string; seed: number; seeds: number; augment: boolean; save?: string }) => {
      if (opts.save !== undefined) prepareOutFile(opts.save, '--save');
      const rows = readRatCsv(opts.data);
      const train = toDataset(rows.filter((r) => r.set === 'train'));
      const test = toDataset(rows.filter((r) => r.set === 'test'));
      const net = trainRatMlp(train, ratRng(opts.seed, 0));
      const seeds = Array.from({ length: opts.seeds }, (_, i) => i + 1);
      let stopped: string | undefined;
      const release = onInterrupt((reason) => (stopped = reason));
      if (process.stderr.isTTY) process.stderr.write(`estimator rat: MLP study over ${opts.seeds} seeds; Ctrl-C stops after the current seed\n`);
      let study: RatStudy;
      try {
        // Ctrl-C ends the study between seeds: the figures then cover the seeds done, said so below.
        const steps = ratStudySeeds(rows, seeds, ratRng, opts.augment ? ['none', 'smote', 'jitter'] : ['none']);
        let step = steps.next();
        while (!step.done) {
          await yieldToEvents();
          step = steps.next(stopped !== undefined);
        }
        study = step.value;
      } finally {
        release();
      }
      const done = study.mlpTestMse.none.length;
      const q = (k: 'none' | 'smote' | 'jitter'): string => {
        const s = study.summary[k];
        return `median ${s.median.toFixed(4)}  IQR [${s.q1.toFixed(4)}, ${s.q3.toFixed(4)}]  min ${s.min.toFixed(4)}  max ${s.max.toFixed(4)}  mean ${s.mean.toFixed(4)}`;
      };
      const lines = [
        `rat brain-temperature estimator: ${train.inputs.length} training (odd) and ${test.inputs.length} test (even) samples`,
        `note: ${RECONSTRUCTION_NOTE}`,
        `linear fit T_B = 1.695*T_R - 26.8 (paper)      test MSE ${study.paperLineTestMse.toFixed(4)}`,
        `least-squares line on the training samples     test MSE ${study.lsLine.testMse.toFixed(4)}  (T_B = ${study.lsLine.slope.toFixed(4)}*T_R ${study.lsLine.intercept < 0 ? '-' : '+'} ${Math.abs(study.lsLine.intercept).toFixed(3)})`,
        `MLP ${RAT_MLP_SIZES.join('-')} trainlm, seed ${opts.seed}                test MSE ${mse(net, test).toFixed(4)}  (paper: 0.0160)`,
        `MLP over seeds 1..${done}: ${q('none')}`,
      ];
      if (opts.augment) {
        lines.push(
          `MLP + SMOTE-style (x4 data):   ${q('smote')}   better than plain on ${study.wins.smote}/${done} seeds`,
          `MLP + Gaussian jitter (x4):    ${q('jitter')}   better than plain on ${study.wins.jitter}/${done} seeds`,
        );
      }
      const paperOnTest = rows.filter((r) => r.set === 'test').every((r) => Math.abs(paperLine(r.rectal_C) - r.brain_C) < 0.5);
      if (paperOnTest) lines.push('the paper line is close to the test data by construction of the reconstruction; an MLP cannot be expected to beat it here');
      if (opts.save) {
        writeFileNamed(opts.save, JSON.stringify(mlpToJson(net, { inputNames: ['T_rectal_C'], outputNames: ['T_brain_C'], note: `rat brain-temperature MLP, seed ${opts.seed}; ${RECONSTRUCTION_NOTE}` }), null, 1) + '\n');
        lines.push(`saved ${opts.save}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      if (stopped) throw new RunStopped(stopped, `${stopped} after ${done} of ${opts.seeds} seeds: the figures above cover those seeds${opts.save ? `; ${opts.save} (the seed-${opts.seed} MLP) is complete` : ''}`);
    });
}
