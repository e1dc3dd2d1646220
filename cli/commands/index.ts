import type { Command } from 'commander';
import { registerBench } from './bench.ts';
import { registerFuzzy } from './fuzzy.ts';
import { registerRun } from './run.ts';
import { registerSolar } from './solar.ts';

/** Every command registers itself here; one line per command file. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerRun, registerSolar, registerFuzzy, registerBench];
