import type { Command } from 'commander';
import { writeFileNamed } from '../../errors/fs-error.ts';
import { assertReady, FuzzyModelError, SEMANTICS, fisLosses, formatOf, readModelFile, writeModelFile, type Engine, type Semantics } from '../../controllers/fuzzy/index.ts';
import { evaluateTable } from '../../controllers/fuzzy/table.ts';
import { delimiterFor, parseCsv, readCsvFile } from '../../formats/csv.ts';
import { prepareOutFile } from '../../errors/out-path.ts';
import { gridCsv } from './fuzzy-grid.ts';

const warn = (message: string) => process.stderr.write(`hilbench: warning: ${message}\n`);

const SEMANTICS_HELP = `what the model means: ${SEMANTICS.join(' or ')} (default: matlab for .fis, fuzzylite for .fll/.fcl)`;

/** Applies --semantics to a model just read; the value is checked against SEMANTICS. */
export function applySemantics(engine: Engine, semantics: string | undefined): Engine {
  if (semantics === undefined) return engine;
  if (!(SEMANTICS as readonly string[]).includes(semantics)) throw new FuzzyModelError(`--semantics: expected ${SEMANTICS.join(' or ')}, got '${semantics}'`);
  engine.semantics = semantics as Semantics;
  return engine;
}

/** `hilbench fuzzy eval` and `hilbench fuzzy convert` (DESIGN §6). */
export function registerFuzzy(program: Command): void {
  const fuzzy = program.command('fuzzy').description('evaluate and convert fuzzy models (.fll fuzzylite, .fis MATLAB; .fcl IEC 61131-7 read only)');
  fuzzy
    .command('eval')
    .description('evaluate a model on a table of inputs (CSV, or fuzzylite .fld separated by blanks; the header names the input variables, other columns are ignored); prints the inputs and one column per output')
    .argument('<model>', 'model file, .fll, .fis or .fcl')
    .option('--inputs <in.csv>', 'CSV (or .fld) of input values; its header names the input variables, columns that name none are ignored (a run.csv can be fed as it is)')
    .option('--grid <n>', 'instead of --inputs: N values over each input range, every combination (fuzzylite -values N)', Number)
    .option('--out <out.csv>', 'write the result here instead of standard output')
    .option('--semantics <name>', SEMANTICS_HELP)
    .action((model: string, opts: { inputs?: string; grid?: number; out?: string; semantics?: string }) => {
      if (opts.out !== undefined) prepareOutFile(opts.out);
      const engine = applySemantics(readModelFile(model, warn), opts.semantics);
      if ((opts.inputs === undefined) === (opts.grid === undefined)) throw new FuzzyModelError('fuzzy eval: pass either --inputs FILE or --grid N');
      const table = opts.grid !== undefined ? parseCsv(gridCsv(engine, opts.grid), '--grid') : readCsvFile(opts.inputs!, { delimiter: delimiterFor(opts.inputs!) });
      const result = evaluateTable(engine, table);
      if (opts.out !== undefined) writeFileNamed(opts.out, result);
      else process.stdout.write(result);
    });
  fuzzy
    .command('convert')
    .description('convert between .fis and .fll (by extension); warns on stderr about settings the target cannot hold')
    .argument('<in>', 'model file, .fll, .fis or .fcl')
    .argument('<out>', 'file to write, .fll or .fis')
    .option('--semantics <name>', `${SEMANTICS_HELP}; a target read with other semantics is warned about`)
    .option('--fuzzylite-extensions', 'in a .fis, also write the keys only fuzzylite reads (Enabled=, Default=, LockPrevious=, LockRange=)')
    .action((input: string, output: string, opts: { semantics?: string; fuzzyliteExtensions?: boolean }) => {
      formatOf(output);
      prepareOutFile(output, '<out>');
      const engine = applySemantics(readModelFile(input, warn), opts.semantics);
      // A model that cannot be evaluated is refused here, not passed on to the next program.
      assertReady(engine);
      const targetSemantics: Semantics = formatOf(output) === 'fis' ? 'matlab' : 'fuzzylite';
      if (engine.semantics !== targetSemantics) {
        process.stderr.write(`hilbench: warning: ${output}: the model has ${engine.semantics} semantics, but a ${formatOf(output)} file is read with ${targetSemantics} semantics (pass --semantics ${engine.semantics} when evaluating it)\n`);
      }
      const fisOptions = { fuzzyliteExtensions: opts.fuzzyliteExtensions === true };
      if (formatOf(output) === 'fis') for (const w of fisLosses(engine, fisOptions)) process.stderr.write(`hilbench: warning: ${output}: ${w}\n`);
      writeModelFile(output, engine, fisOptions);
    });
}
