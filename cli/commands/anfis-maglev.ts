import type { Command } from 'commander';
import { join } from 'node:path';
import { builtinScenarioDir } from '../../firmware-sim/scenario/load.ts';
import { maglevStudy, type StudyProgress } from '../../tuning/maglev-anfis-study.ts';
import { parsePositiveInt } from '../options.ts';
import { prepareOutDir } from '../../errors/out-path.ts';
import { progressBar as newBar } from '../signals.ts';

const progressBar: StudyProgress = (label, epochs) => {
  if (!process.stderr.isTTY) return undefined;
  const b = newBar(`${label} epoch {value}/{total} [{bar}] RMSE {rmse} step {ss}`);
  b.start(epochs, 0, { rmse: '-', ss: '-' });
  return {
    update: (epoch, rmse, stepSize) => b.update(epoch, { rmse: rmse.toPrecision(5), ss: stepSize.toPrecision(4) }),
    stop: () => b.stop(),
  };
};

export function registerMaglevStudy(anfis: Command): void {
  anfis
    .command('maglev-study')
    .description('train the maglev ANFIS models ((a) the paper’s steady-state data, (b) logged closed-loop runs of the PID, a tuned PID and the hand-designed fuzzy controller), run them in the loop released at 8, 7, 8.5 and 9.5 mm and write a comparison report')
    .option('--out <dir>', 'study outputs: recordings, runs, curves, comparison.html', 'runs/maglev-anfis-study')
    .option('--models <dir>', `where maglev-anfis-seed.fis and maglev-anfis-closed-loop.fis are written (default <out>/models; ${join(builtinScenarioDir, 'models')} refreshes the shipped ones)`)
    .option('--epochs <n>', 'training epochs of each model', parsePositiveInt, 100)
    .option('--no-progress', 'no progress bars')
    .action(async (opts: { out: string; models?: string; epochs: number; progress: boolean }) => {
      // The shipped models are only replaced when asked for by name.
      const models = opts.models ?? join(opts.out, 'models');
      prepareOutDir(opts.out);
      prepareOutDir(models, '--models');
      const notes = await maglevStudy({ out: opts.out, models, epochs: opts.epochs, progress: opts.progress ? progressBar : undefined });
      process.stdout.write(notes.join('\n') + '\n');
    });
}
