import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { FuzzyModelError, fisLosses, formatOf, readModelFile, writeModelFile } from '../../controllers/fuzzy/index.ts';
import { evaluateCsv } from '../../controllers/fuzzy/table.ts';
import { gridCsv } from './fuzzy-grid.ts';

const warn = (message: string) => process.stderr.write(`hilbench: warning: ${message}\n`);

/** `hilbench fuzzy eval` and `hilbench fuzzy convert` (DESIGN §6). */
export function registerFuzzy(program: Command): void {
  const fuzzy = program.command('fuzzy').description('evaluate and convert fuzzy models (.fll fuzzylite, .fis MATLAB; .fcl IEC 61131-7 read only)');
  fuzzy
    .command('eval')
    .description('evaluate a model on a CSV of inputs (header = input variable names); prints the inputs and one column per output')
    .argument('<model>', 'model file, .fll, .fis or .fcl')
    .option('--inputs <in.csv>', 'CSV of input values; its header names the input variables')
    .option('--grid <n>', 'instead of --inputs: N values over each input range, every combination (fuzzylite -values N)', Number)
    .option('--out <out.csv>', 'write the result here instead of standard output')
    .action((model: string, opts: { inputs?: string; grid?: number; out?: string }) => {
      const engine = readModelFile(model, warn);
      if ((opts.inputs === undefined) === (opts.grid === undefined)) throw new FuzzyModelError('fuzzy eval: pass either --inputs FILE or --grid N');
      let csv: string;
      if (opts.grid !== undefined) csv = gridCsv(engine, opts.grid);
      else try {
        csv = readFileSync(opts.inputs!, 'utf8');
      } catch (e) {
        throw new FuzzyModelError(`${opts.inputs}: cannot read the inputs (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const result = evaluateCsv(engine, csv, opts.inputs ?? '--grid');
      if (opts.out) writeFileSync(opts.out, result);
      else process.stdout.write(result);
    });
  fuzzy
    .command('convert')
    .description('convert between .fis and .fll (by extension); warns on stderr about settings the target cannot hold')
    .argument('<in>', 'model file, .fll, .fis or .fcl')
    .argument('<out>', 'file to write, .fll or .fis')
    .action((input: string, output: string) => {
      formatOf(output);
      const engine = readModelFile(input, warn);
      if (formatOf(output) === 'fis') for (const w of fisLosses(engine)) process.stderr.write(`hilbench: warning: ${output}: ${w}\n`);
      writeModelFile(output, engine);
    });
}
