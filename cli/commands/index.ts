import type { Command } from 'commander';
import { registerBench } from './bench.ts';
import { registerFuzzy } from './fuzzy.ts';
import { registerAnfis } from './anfis.ts';
import { registerEstimator } from './estimator.ts';
import { registerFirmware } from './firmware.ts';
import { registerRun } from './run.ts';
import { registerHil } from './hil.ts';
import { registerBoard } from './board.ts';
import { registerPorts } from './ports.ts';
import { registerSolar } from './solar.ts';
import { registerTune } from './tune.ts';
import { registerLog } from './log.ts';
import { registerDashboard } from './dashboard.ts';
import { registerWorker } from './worker.ts';
import { registerDiscover } from './discover.ts';
import { registerFuzzyPlot } from './fuzzy-plot.ts';

/** Every command registers itself here; one line per command file. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerRun, registerSolar, registerFuzzy, registerFuzzyPlot, registerBench, registerHil, registerBoard, registerPorts, registerFirmware, registerTune, registerAnfis, registerEstimator, registerLog, registerDashboard, registerWorker, registerDiscover];
