import { InvalidArgumentError, type Command } from 'commander';
import { defaultWorkerCount } from '../../tuning/pool.ts';
import { searchMethodNames } from '../../tuning/methods/index.ts';
import { tune } from '../../tuning/tune.ts';
import { marginMetricNames } from '../../tuning/margin-metrics.ts';
import { checkQueueUrl } from '../../tuning/queue/connection.ts';
import { stopQueueRuns } from '../../tuning/queue/coordinator.ts';
import { collect, parseNonNegativeInt, parsePositiveInt, parsePositiveNumber } from '../options.ts';
import { prepareOutDir } from '../../errors/out-path.ts';
import { onInterrupt, progressBar } from '../signals.ts';
import { RunStopped, UserError } from '../../errors/user-error.ts';

function parseNumber(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v)) throw new InvalidArgumentError('expected a number');
  return v;
}

interface TuneCliOptions {
  method: string;
  params?: string;
  objective: string;
  constraint: string[];
  budget: number;
  workers?: number;
  queue?: string;
  seed: number;
  set: string[];
  out?: string;
  tolerance?: string;
  samples: number;
  robustness: boolean;
  fresh?: boolean;
  sigma?: number;
  popsize?: number;
  tuneOver?: string;
  variants?: number;
  rule?: string;
  relayAmplitude?: number;
  relayBias?: number;
  relayAsymmetry?: number;
  relayHysteresis?: number;
  relayDirection?: string;
  duration?: number;
  progress: boolean;
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description('tune controller gains or any numeric scenario parameter offline (search or relay autotuning), check robustness, write tuned.json, evaluations.csv, report.html')
    .argument('<scenario>', 'built-in scenario name or a scenario .json file')
    .option('--method <name>', `${searchMethodNames.join(' | ')} | relay`, 'cmaes')
    .option('--params <list>', 'name=lo:hi[:log],… (controller keys, plant parameters or dotted scenario paths; default: kp, ki, kd over a decade either side, log scale)')
    .option('--objective <metric>', 'metrics.json key to minimise (itae, iae, ise, overshoot_pct, settling_time_s, …)', 'itae')
    .option('--constraint <expr>', `metric<limit or metric>limit, e.g. overshoot<5; repeatable. Stability margins of the linear loop (maglev current mode or first-order plant, pid): ${marginMetricNames.join(', ')}, e.g. phase_margin_deg>35`, collect, [])
    .option('--budget <n>', 'number of evaluations', parsePositiveInt, 100)
    .option('--workers <n>', 'worker threads (default: the number of cores; 0 = this thread)', parseNonNegativeInt)
    .option('--queue <url>', 'evaluate on `hilbench worker` processes through Redis: redis://[:password@]host:port[/db] or rediss://… (replaces --workers)')
    .option('--seed <n>', 'seed of the search (random, CMA-ES) and of the Monte Carlo check', parseNonNegativeInt, 1)
    .option('--set <key=value>', 'override a scenario value before tuning; repeatable', collect, [])
    .option('--sigma <s>', 'CMA-ES initial step in unit-range coordinates (default 0.3)', parsePositiveNumber)
    .option('--popsize <n>', 'CMA-ES population λ (default 4 + 3 ln n)', parsePositiveInt)
    .option('--tune-over <list>', "robust tuning: average the objective over plant variants drawn within these tolerances (e.g. 'm_kg=10%,L0_H=5%'); constraints must hold in every variant")
    .option('--variants <n>', 'robust tuning: number of plant variants (default 8)', parsePositiveInt)
    .option('--tolerance <list>', "robustness tolerances, e.g. 'm_kg=10%,L0_H=5%,gap_sensor_noise_V=0:0.005' (default: ±10 % mass, ±5 % inductance where the plant has them)")
    .option('--samples <n>', 'Monte Carlo samples of the robustness check', parseNonNegativeInt, 50)
    .option('--no-robustness', 'skip the robustness check')
    .option('--fresh', 'start a new evaluations.csv instead of resuming from an existing one')
    .option('--rule <id>', 'relay: rule applied to the tuned scenario (zn-pi, zn-pid, tl-pi, tl-pid, simc-pi, amigo-pi, amigo-pid; default amigo-pid, or tl-pid without a static gain)')
    .option('--relay-amplitude <d>', 'relay: amplitude in command units (default 10 % of the actuator range)', parsePositiveNumber)
    .option('--relay-bias <u0>', "relay: command at the operating point (default the controller's bias)", parseNumber)
    .option('--relay-asymmetry <delta>', 'relay: asymmetry for the static gain estimate (default 10 % of the amplitude; 0 = symmetric)', parseNumber)
    .option('--relay-hysteresis <eps>', 'relay: hysteresis on the error (default 0)', parseNumber)
    .option('--relay-direction <dir>', "relay: direct | reverse (default the controller's direction)")
    .option('--duration <s>', 'relay: length of the relay experiment in seconds (default the scenario duration)', parsePositiveNumber)
    .option('--no-progress', 'no progress bar')
    .option('--out <dir>', 'output directory (default: runs/<scenario>-tune)')
    .action(async (name: string, opts: TuneCliOptions) => {
      if (opts.relayDirection !== undefined && opts.relayDirection !== 'direct' && opts.relayDirection !== 'reverse') {
        throw new UserError(`--relay-direction '${opts.relayDirection}': expected direct or reverse`);
      }
      if (opts.method !== 'relay' && !(searchMethodNames as readonly string[]).includes(opts.method)) {
        throw new UserError(`--method '${opts.method}': unknown (known: ${searchMethodNames.join(', ')}, relay)`);
      }
      const outDir = prepareOutDir(opts.out ?? `runs/${name.replace(/\.json$/, '').replace(/.*\//, '')}-tune`);
      const queue = opts.queue === undefined ? undefined : checkQueueUrl(opts.queue);
      const format = `tune [{bar}] {value}/{total} evaluations | best {best}${queue ? ' | workers {workers}' : ''} | ETA {eta_formatted}`;
      const bar = opts.progress && process.stderr.isTTY ? progressBar(format, { etaBuffer: 50 }) : undefined;
      let started = false;
      let stopped: string | undefined;
      // Ctrl-C: the local search stops between batches with its files written; a queue run first
      // removes its pending jobs from the queue (a batch may wait for workers that never come), then exits 130.
      const release = onInterrupt((reason) => {
        if (queue) void stopQueueRuns().finally(() => process.exit(130));
        else stopped = reason;
      });
      const result = await tune({
        stopReason: () => stopped,
        scenario: name,
        baseSets: opts.set,
        params: opts.params,
        method: opts.method,
        objective: opts.objective,
        constraints: opts.constraint,
        budget: opts.budget,
        workers: opts.workers ?? defaultWorkerCount(),
        queue,
        seed: opts.seed,
        sigma: opts.sigma,
        popsize: opts.popsize,
        tuneOver: opts.tuneOver,
        variants: opts.variants,
        fresh: opts.fresh,
        outDir,
        tolerance: opts.robustness ? opts.tolerance : '',
        samples: opts.robustness ? opts.samples : 0,
        rule: opts.rule,
        relay: {
          amplitude: opts.relayAmplitude,
          bias: opts.relayBias,
          asymmetry: opts.relayAsymmetry,
          hysteresis: opts.relayHysteresis,
          direction: opts.relayDirection as 'direct' | 'reverse' | undefined,
          duration: opts.duration,
        },
        onProgress: bar
          ? ({ done, budget, best, liveWorkers }) => {
              const tokens = { best: best ? `${best.cost.toPrecision(4)}${best.feasible ? '' : ' (infeasible)'}` : '—', workers: liveWorkers ?? '?' };
              if (!started) {
                bar.start(budget, done, tokens);
                started = true;
              } else bar.update(done, tokens);
            }
          : undefined,
      }).finally(() => {
        release();
        if (started) bar!.stop();
      });
      process.stdout.write([...result.lines, `  outputs in ${result.outDir}: ${result.files.join(' ')}`].join('\n') + '\n');
      if (result.stopped) throw new RunStopped(result.stopped, `${result.stopped}: tuning ended early; ${result.files.join(' ')} written in ${result.outDir} with status failed`);
    });
}
