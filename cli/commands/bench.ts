import type { Command } from 'commander';
import { basename } from 'node:path';
import { readModelFile } from '../../controllers/fuzzy/index.ts';
import { measureThroughput } from '../../controllers/fuzzy/throughput.ts';
import { parsePositiveInt } from '../options.ts';
import { applySemantics } from './fuzzy.ts';

/** `hilbench bench fuzzy <model> [--n N]`: one JSON line with the compiled evaluator's throughput. */
export function registerBench(program: Command): void {
  const bench = program.command('bench').description('quick performance figures (npm run bench runs the full benchmarks with references)');
  bench
    .command('fuzzy')
    .description('inferences per second of the compiled fuzzy evaluator on N pseudo-random inputs; prints one JSON line')
    .argument('<model>', 'model file, .fll or .fis')
    .option('--n <N>', 'number of inferences', parsePositiveInt, 100000)
    .option('--semantics <name>', 'matlab or fuzzylite (default: matlab for .fis, fuzzylite for .fll/.fcl)')
    .action((model: string, opts: { n: number; semantics?: string }) => {
      const engine = applySemantics(readModelFile(model), opts.semantics);
      const r = measureThroughput(engine, opts.n);
      process.stdout.write(JSON.stringify({ model: basename(model), semantics: engine.semantics, n: opts.n, inferences_per_s: Math.round(r.inferences_per_s), seconds: r.seconds }) + '\n');
    });
}
