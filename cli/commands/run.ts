import type { Command } from 'commander';
import { resolve } from 'node:path';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { attachLiveToRun } from '../../hil/live/attach-cli.ts';
import { runScenario, type RunResult } from '../../hil/run-scenario.ts';
import { EXIT_USER } from '../errors.ts';
import { collect, parseNonNegativeInt, parsePositiveNumber } from '../options.ts';

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
    .action(async (name: string, opts: { controller?: string; duration?: number; seed?: number; set: string[]; out?: string; live?: string | true; token?: string }) => {
      const loaded = loadScenario(name, { set: opts.set, duration: opts.duration, seed: opts.seed, controller: opts.controller });
      const built = buildRun(loaded);
      const outDir = resolve(opts.out ?? `runs/${loaded.scenario.name}`);
      const live = opts.live ? await attachLiveToRun(built, opts.live, opts.token) : undefined;
      const result = await runScenario(built, { outDir, ...live?.runOptions }).catch(async (e: unknown) => {
        await live?.abort();
        throw e;
      });
      live?.end(result); // final metrics to the page and the status line closed, so the summary starts on its own line
      printSummary(result);
      if (result.status === 'failed') {
        process.stderr.write(`hilbench: ${result.error}\n`);
        process.exitCode = EXIT_USER;
      }
      await live?.finish(result);
    });
}

function fmt(v: number | string | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return 'n/a';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : v.toPrecision(digits);
}

export function printSummary(r: RunResult): void {
  const m = r.metrics;
  const lines = [
    `${m.scenario}: ${m.status}, ${fmt(m.duration_s)} s simulated, ${m.samples} samples, ${r.wall_s.toFixed(2)} s wall`,
  ];
  if ('settling_time_s' in m) {
    lines.push(
      `  settling time ${fmt(m.settling_time_s)} s (band ±${fmt(m.settling_band, 3)})   overshoot ${fmt(m.overshoot_pct, 3)} %   rise time ${fmt(m.rise_time_s)} s`,
      `  IAE ${fmt(m.iae)}   ISE ${fmt(m.ise)}   ITAE ${fmt(m.itae)}   steady-state error ${fmt(m.steady_state_error, 3)}   saturation ${fmt(m.saturation_time_s, 3)} s`,
    );
  }
  lines.push(`  outputs in ${r.outDir}: run.csv metrics.json report.html plot.svg`);
  process.stdout.write(lines.join('\n') + '\n');
}

