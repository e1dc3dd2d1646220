import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { writeFileNamed } from '../../errors/fs-error.ts';
import { FuzzyModelError, fisLosses, formatOf, readModelFile, writeModelFile } from '../../controllers/fuzzy/index.ts';
import { evaluateCsv } from '../../controllers/fuzzy/table.ts';
import { prepareOutFile } from '../../errors/out-path.ts';

const warn = (message: string) => process.stderr.write(`hilbench: warning: ${message}\n`);

/** `hilbench fuzzy eval` and `hilbench fuzzy convert` (DESIGN §6). */
export function registerFuzzy(program: Command): void {
  const fuzzy = program.command('fuzzy').description('evaluate and convert fuzzy models (.fll fuzzylite, .fis MATLAB; .fcl IEC 61131-7 read only)');
  fuzzy
    .command('eval')
    .description('evaluate a model on a CSV of inputs (header = input variable names); prints the inputs and one column per output')
    .argument('<model>', 'model file, .fll, .fis or .fcl')
    .requiredOption('--inputs <in.csv>', 'CSV of input values; its header names the input variables')
    .option('--out <out.csv>', 'write the result here instead of standard output')
    .action((model: string, opts: { inputs: string; out?: string }) => {
      if (opts.out !== undefined) prepareOutFile(opts.out);
      const engine = readModelFile(model, warn);
      let csv: string;
      try {
        csv = readFileSync(opts.inputs, 'utf8');
      } catch (e) {
        throw new FuzzyModelError(`${opts.inputs}: cannot read the inputs (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const result = evaluateCsv(engine, csv, opts.inputs);
      if (opts.out !== undefined) writeFileNamed(opts.out, result);
      else process.stdout.write(result);
    });
  fuzzy
    .command('convert')
    .description('convert between .fis and .fll (by extension); warns on stderr about settings the target cannot hold')
    .argument('<in>', 'model file, .fll, .fis or .fcl')
    .argument('<out>', 'file to write, .fll or .fis')
    .action((input: string, output: string) => {
      formatOf(output);
      prepareOutFile(output, '<out>');
      const engine = readModelFile(input, warn);
      if (formatOf(output) === 'fis') for (const w of fisLosses(engine)) process.stderr.write(`hilbench: warning: ${output}: ${w}\n`);
      writeModelFile(output, engine);
    });
}
