import type { Command } from 'commander';
import { UserError } from '../../errors/user-error.ts';
import { resolve } from 'node:path';
import { buildRun, type BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { summaryLines, type SummaryContext } from '../../report/summary.ts';
import { columnUnit } from '../../report/units.ts';
import { runScenario, type RunResult } from '../../run/run-scenario.ts';
import { runControlFor, type RunControl } from '../../run/control.ts';
import { prepareRunDir } from '../../run/out-dir.ts';
import { YieldingPacer } from '../../run/pacer.ts';
import { EXIT_USER } from '../errors.ts';
import { startCliLive } from '../live.ts';
import { RunProgress } from '../progress.ts';
import { onInterrupt } from '../signals.ts';
import { collect, dashboardToken, parseNonNegativeInt, parsePositiveNumber, TOKEN_FILE_HELP } from '../options.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('simulate a scenario (plant + controller + board) and write run.csv, metrics.json, report.html, plot.svg')
    .argument('<scenario>', 'built-in scenario name or a scenario .json file')
    .option('--controller <id|file>', 'a named controller of the scenario, a controller .json, or a .fis/.fll model')
    .option('--duration <s>', 'simulated time in seconds', parsePositiveNumber)
    .option('--seed <n>', 'random seed', parseNonNegativeInt)
    .option('--set <key=value>', 'override a scenario value (dotted JSON path, or a plant parameter name); repeatable', collect, [])
    .option('--out <dir>', 'output directory (default: runs/<scenario>)')
    .option('--live [host:port]', 'stream the run, paced to real time, to a browser dashboard (default 127.0.0.1:8080); Ctrl-C closes it')
    .option('--token <secret>', 'with --live: allow setpoint changes and stop from the page')
    .option('--token-file <path>', TOKEN_FILE_HELP)
    .action(async (name: string, opts: { controller?: string; duration?: number; seed?: number; set: string[]; out?: string; live?: string | true; token?: string; tokenFile?: string }) => {
      const token = dashboardToken(opts);
      const loaded = loadScenario(name, { set: opts.set, duration: opts.duration, seed: opts.seed, controller: opts.controller });
      const built = buildRun(loaded);
      if (opts.out === '') throw new UserError('--out must name a directory (got an empty path)');
      const outDir = resolve(opts.out ?? `runs/${loaded.scenario.name}`);
      if (prepareRunDir(outDir).replaced) process.stderr.write(`hilbench: replacing the previous run in ${outDir}\n`);
      const control = runControlFor(built);
      const live = opts.live ? await startCliLive(built, control, opts.live, token, 'sim') : undefined;
      const progress = live ? undefined : new RunProgress(built.scenario.duration);
      const result = await runInterruptible(control, () =>
        runScenario(built, { outDir, control, extraSinks: live?.run.extraSinks, pacer: live?.run.pacer ?? new YieldingPacer((t) => progress?.update(t)) }),
      )
        .catch(async (e: unknown) => {
          await live?.abort();
          throw e;
        })
        .finally(() => progress?.stop());
      live?.end(result); // final metrics to the page and the status line closed, so the summary starts on its own line
      printSummary(result, built);
      if (result.status === 'failed') {
        process.stderr.write(`hilbench: ${result.error}\n`);
        process.exitCode = EXIT_USER;
      }
      await live?.serveUntilSignal(result);
    });
}

/** Runs `body` with the first Ctrl-C/SIGTERM stopping `control` (cli/signals.ts). */
export async function runInterruptible<T>(control: RunControl, body: () => Promise<T>): Promise<T> {
  const release = onInterrupt((reason) => control.stop(reason));
  try {
    return await body();
  } finally {
    release();
  }
}

/**
 * Prints the run's summary on stdout: the step figures with units (none for a failed run) and the
 * plant's headline metrics. `built` gives the judged signals and the plant; without it the figures
 * go without units. `extraLine` (hil run's link line) goes before the outputs line of a completed run.
 */
export function printSummary(r: RunResult, built?: BuiltRun, extraLine?: string): void {
  const ctx = { ...(built ? summaryContext(r, built) : {}), extraLine };
  process.stdout.write(summaryLines(r.metrics, r.outDir, r.wall_s, ctx).join('\n') + '\n');
}

function summaryContext(r: RunResult, built: BuiltRun): SummaryContext {
  const spec = r.judged;
  const declared: Record<string, string> = {};
  for (const s of [...built.plant.states, ...built.plant.inputs, ...built.plant.outputs]) declared[s.name] = s.unit;
  const output = spec?.output;
  return {
    output,
    reference: spec?.reference,
    outputUnit: output ? (columnUnit(output, declared) ?? (spec ? columnUnit(spec.reference, declared) : undefined)) : undefined,
    commandUnit: spec?.command ? columnUnit(spec.command, declared) : undefined,
    headline: built.plant.headlineMetrics,
  };
}
