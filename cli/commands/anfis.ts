import { UserError } from '../../errors/user-error.ts';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { writeFileNamed } from '../../errors/fs-error.ts';
import { basename, extname } from 'node:path';
import { curveCsv, hybridEpochs, initGrid, initSubclust, isMfType, MF_TYPES, NoRuleFiresError, rmse, toEngine, type AnfisModel, type HybridResult } from '../../controllers/anfis/index.ts';
import { RunStopped } from '../../errors/user-error.ts';
import { formatOf, writeModelFile } from '../../controllers/fuzzy/index.ts';
import { parsePositiveInt, parsePositiveNumber } from '../options.ts';
import { prepareOutFile } from '../../errors/out-path.ts';
import { onInterrupt, progressBar, yieldToEvents } from '../signals.ts';
import { registerMaglevStudy } from './anfis-maglev.ts';
import { checkTrainable, readTrainingCsv, type TrainingTable } from './training-csv.ts';

/**
 * Most rules a grid partition may have (the product of --mfs over the inputs). Each rule adds
 * inputs + 1 consequent parameters to the least-squares system solved every epoch, whose cost grows
 * with the cube of their count: 1000 rules of 3 inputs already take minutes per epoch, and a typo
 * such as --mfs 300 on two inputs (90 000 rules) would not finish. docs/anfis.md.
 */
export const MAX_GRID_RULES = 1000;

function parseMfs(value: string): number[] {
  const v = value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (v.some((n) => !Number.isInteger(n) || n < 1)) throw new UserError(`--mfs: expected N or N,N,… (whole numbers ≥ 1), got '${value}'`);
  return v;
}

function parseErrorGoal(value: string): number {
  const v = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError('expected an RMSE ≥ 0');
  return v;
}

interface TrainOptions {
  train: string;
  check?: string;
  mfs?: string;
  mfType: string;
  init: 'grid' | 'subclust';
  radii: number;
  epochs: number;
  stepSize: number;
  errorGoal: number;
  order: string;
  out: string;
  curve?: string;
  progress: boolean;
}

/** `hilbench anfis train` (DESIGN §6) and `hilbench anfis maglev-study`. */
export function registerAnfis(program: Command): void {
  const anfis = program.command('anfis').description('train ANFIS (Jang hybrid learning) models and run the maglev ANFIS study');
  anfis
    .command('train')
    .description('train a Sugeno ANFIS on a CSV (inputs first, target last) and save it as .fis or .fll; writes the training curve as CSV')
    .requiredOption('--train <train.csv>', 'training pairs, inputs first, target last (optional header row names the variables)')
    .option('--check <check.csv>', 'checking pairs: their RMSE is tracked and the best-checking epoch’s model is saved')
    .option('--mfs <N[,N…]>', 'membership functions per input (grid partition; one number for all inputs or one per input)')
    .addOption(new Option('--mf-type <type>', 'membership function type (grid partition)').choices([...MF_TYPES]).default('gbellmf'))
    .addOption(new Option('--init <method>', 'initial structure: grid partition (genfis1) or subtractive clustering (genfis2)').choices(['grid', 'subclust']).default('grid'))
    .option('--radii <r>', 'subtractive clustering radius in the unit hypercube', parsePositiveNumber, 0.5)
    .option('--epochs <n>', 'training epochs', parsePositiveInt, 10)
    .option('--step-size <ss>', 'initial step size of the premise gradient step', parsePositiveNumber, 0.01)
    .option('--error-goal <rmse>', 'stop once the training RMSE reaches this', parseErrorGoal, 0)
    .addOption(new Option('--order <k>', 'consequent order: 1 linear, 0 constant').choices(['0', '1']).default('1'))
    .requiredOption('--out <model.fis>', 'model file to write (.fis MATLAB or .fll fuzzylite)')
    .option('--curve <curve.csv>', 'training curve CSV (default: <out>.curve.csv)')
    .option('--no-progress', 'no progress bar')
    .action(async (opts: TrainOptions) => {
      formatOf(opts.out);
      const curve = opts.curve ?? opts.out.replace(/\.(fis|fll)$/i, '') + '.curve.csv';
      // Before training: a model that cannot be saved is minutes of work lost.
      prepareOutFile(opts.out);
      prepareOutFile(curve, '--curve');
      const train = readTrainingCsv(opts.train);
      checkTrainable(opts.train, train);
      const check = opts.check ? readTrainingCsv(opts.check) : undefined;
      if (check && check.names.length !== train.names.length) {
        throw new UserError(`${opts.check}: has ${check.names.length} columns, ${opts.train} has ${train.names.length}`);
      }
      if (!isMfType(opts.mfType)) throw new UserError(`--mf-type: unknown '${opts.mfType}'`);
      let result: HybridResult;
      let stopped: string | undefined;
      const release = onInterrupt((reason) => (stopped = reason));
      try {
        result = await trainAnfisFromTables(train, check, opts, () => stopped);
      } catch (e) {
        if (e instanceof NoRuleFiresError) throw new UserError(`${opts.train}:${train.lines[e.row]}: ${e.message}`);
        throw e;
      } finally {
        release();
      }
      if (check && !result.checkModel) {
        throw new UserError(`${opts.check}: the checking RMSE is not finite at any epoch: a checking row lies outside every rule's membership functions`);
      }
      const model = check ? result.checkModel! : result.model;
      model.name = basename(opts.out, extname(opts.out));
      writeModelFile(opts.out, toEngine(model));
      writeFileNamed(curve, curveCsv(result));
      const lines = [
        `ANFIS: ${model.nInputs} inputs, ${model.nRules} rules, ${model.nPremise} premise + ${model.consequent.length} consequent parameters, ${train.inputs.length} training pairs`,
        `  lowest training RMSE ${fmt(Math.min(...result.trainRmse))} at epoch ${result.bestTrainEpoch} of ${result.trainRmse.length}`,
      ];
      if (check) lines.push(`  lowest checking RMSE ${fmt(Math.min(...result.checkRmse))} at epoch ${result.bestCheckEpoch} (saved model; its training RMSE ${fmt(rmse(model, train))})`);
      lines.push(`  model: ${opts.out}   training curve: ${curve}`);
      process.stdout.write(lines.join('\n') + '\n');
      // Stopped between epochs: the saved model is the best of the epochs done (what the control
      // engineer would have got with a smaller --epochs), stated as partial; exit 1 all the same.
      if (stopped) throw new RunStopped(stopped, `${stopped} after epoch ${result.trainRmse.length} of ${opts.epochs}: ${opts.out} holds the best model of the epochs done (partial training), ${curve} their curve`);
    });
  registerMaglevStudy(anfis);
}

function fmt(v: number): string {
  return v.toPrecision(5);
}

/** Trains epoch by epoch, letting signals in between epochs; stops after the epoch during which `stopped()` became set. */
async function trainAnfisFromTables(train: TrainingTable, check: TrainingTable | undefined, opts: TrainOptions, stopped: () => string | undefined): Promise<HybridResult> {
  const names = { inputNames: train.names.slice(0, -1), outputName: train.names[train.names.length - 1] };
  let model: AnfisModel;
  if (opts.init === 'subclust') {
    model = initSubclust(train.inputs, train.targets, { radii: opts.radii, ...names });
  } else {
    if (!opts.mfs) throw new UserError('--mfs is required with --init grid');
    const mfs = parseMfs(opts.mfs);
    const nInputs = train.inputs[0].length;
    if (mfs.length !== 1 && mfs.length !== nInputs) throw new UserError(`--mfs: ${mfs.length} counts for ${nInputs} inputs`);
    const rules = mfs.length === 1 ? mfs[0] ** nInputs : mfs.reduce((a, b) => a * b, 1);
    if (rules > MAX_GRID_RULES) throw new UserError(`--mfs ${opts.mfs}: a grid of ${rules} rules over ${nInputs} input${nInputs === 1 ? '' : 's'}, above the limit of ${MAX_GRID_RULES} (docs/anfis.md); use fewer membership functions or --init subclust`);
    model = initGrid(train.inputs, train.targets, { mfs: mfs.length === 1 ? mfs[0] : mfs, mfType: opts.mfType as never, order: Number(opts.order) as 0 | 1, ...names });
  }
  const bar = opts.progress && process.stderr.isTTY ? progressBar('epoch {value}/{total} [{bar}] RMSE {rmse} step {ss}') : undefined;
  bar?.start(opts.epochs, 0, { rmse: '-', ss: opts.stepSize });
  try {
    const epochs = hybridEpochs(model, { inputs: train.inputs, targets: train.targets }, {
      epochs: opts.epochs,
      stepSize: opts.stepSize,
      errorGoal: opts.errorGoal,
      check: check ? { inputs: check.inputs, targets: check.targets } : undefined,
      onEpoch: (e) => bar?.update(e.epoch, { rmse: e.trainRmse.toPrecision(5), ss: e.stepSize.toPrecision(4) }),
    });
    let step = epochs.next();
    while (!step.done) {
      await yieldToEvents();
      step = epochs.next(stopped() !== undefined);
    }
    return step.value;
  } finally {
    bar?.stop();
  }
}
