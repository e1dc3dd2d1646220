import { UserError } from '../../errors/user-error.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { runFirmataIo } from '../../hil/johnny-five/firmata-run.ts';
import { runHil } from '../../hil/runners/hil-run.ts';
import { runIo } from '../../hil/runners/io-run.ts';
import { wireTimeWarning } from '../../hil/runners/wire-time.ts';
import { EXIT_USER } from '../errors.ts';
import { collect, dashboardToken, parseNonNegativeInt, parsePositiveInt, parsePositiveNumber, TOKEN_FILE_HELP } from '../options.ts';
import { formatNumber } from '../../report/format.ts';
import { runControlFor } from '../../run/control.ts';
import { prepareRunDir } from '../../run/out-dir.ts';
import { startCliLive, type CliLive } from '../live.ts';
import { printSummary, runInterruptible } from './run.ts';

interface HilOpts {
  port: string;
  baud?: number;
  mode: string;
  controller?: string;
  duration?: number;
  seed?: number;
  set: string[];
  out?: string;
  timeoutMs: number;
  retries: number;
  handshakeMs: number;
  watchdogMs?: number;
  realtime?: boolean;
  firmwareName?: string;
  firmata?: boolean;
  samplingMs?: number;
  live?: string | true;
  token?: string;
  tokenFile?: string;
}

export function registerHil(program: Command): void {
  const hil = program.command('hil').description('hardware in the loop: run a scenario through a board over a serial device');
  hil
    .command('run')
    .description('run a scenario with the controller in the board (--mode hil, lockstep) or the board as I/O (--mode io); same outputs as `run` plus link.ndjson, latency and link counters')
    .argument('<scenario>', 'built-in scenario name or a scenario .json file')
    .requiredOption('--port <path>', 'serial device: /dev/ttyACM0, or the --device of `hilbench board emulate`')
    .option('--baud <n>', 'baud rate of the firmware (default 115200; 57600 with --firmata)', parsePositiveInt)
    .option('--mode <hil|io>', 'hil: controller in the firmware, plant simulated here; io: controller here, board as sensors/actuators', 'hil')
    .option('--controller <id|file>', 'controller override (io mode)')
    .option('--duration <s>', 'simulated time in seconds', parsePositiveNumber)
    .option('--seed <n>', 'random seed', parseNonNegativeInt)
    .option('--set <key=value>', 'override a scenario value; repeatable', collect, [])
    .option('--out <dir>', 'output directory (default: runs/<scenario>-<mode>)')
    .option('--timeout-ms <ms>', 'per-request timeout', parsePositiveInt, 250)
    .option('--retries <n>', 'hil mode: retransmissions of a tick after a timeout or a damaged frame', parseNonNegativeInt, 2)
    .option('--handshake-ms <ms>', 'how long to retry HELLO (an Uno resets on open and boots in ~1.6 s)', parsePositiveInt, 3000)
    .option('--watchdog-ms <ms>', 'arm the board watchdog for the run: safe outputs if the host falls silent', parsePositiveInt)
    .option('--realtime', 'hil mode: pace ticks to the wall clock at Ts (io mode always runs in real time)')
    .option('--firmware-name <role/name>', 'firmware identity to expect instead of hil/<scenario>')
    .option('--firmata', 'io mode through johnny-five + firmata-io against StandardFirmata (57600 baud unless --baud)')
    .option('--sampling-ms <ms>', 'Firmata analog sampling interval (≥ 10; default Ts)', parsePositiveInt)
    .option('--live [host:port]', 'stream the run to a browser dashboard (default 127.0.0.1:8080; --mode hil, or --mode io without --firmata); Ctrl-C closes it')
    .option('--token <secret>', 'with --live: allow stop from the page')
    .option('--token-file <path>', TOKEN_FILE_HELP)
    .action(async (name: string, opts: HilOpts) => {
      const token = dashboardToken(opts);
      if (opts.mode !== 'hil' && opts.mode !== 'io') {
        throw new UserError(`--mode must be 'hil' or 'io' (got '${opts.mode}')`);
      }
      const loaded = loadScenario(name, { set: opts.set, duration: opts.duration, seed: opts.seed, controller: opts.controller });
      const built = buildRun(loaded);
      if (opts.out === '') throw new UserError('--out must name a directory (got an empty path)');
      const outDir = resolve(opts.out ?? `runs/${loaded.scenario.name}-${opts.mode}`);
      if (prepareRunDir(outDir).replaced) process.stderr.write(`hilbench: replacing the previous run in ${outDir}\n`);
      const common = {
        port: opts.port,
        outDir,
        baudRate: opts.baud ?? 115200,
        requestTimeoutMs: opts.timeoutMs,
        handshakeTimeoutMs: opts.handshakeMs,
        watchdogMs: opts.watchdogMs,
      };
      if (opts.firmata && opts.mode !== 'io') throw new UserError('--firmata needs --mode io');
      if (opts.live && opts.firmata) throw new UserError('--live does not work with --firmata: use --mode io over protocol v1 (io firmware from `hilbench firmware generate --role io`) or --mode hil');
      // io mode only: there the real plant runs on while the line is busy. A hil run's simulated
      // plant waits for every answer, so a slow line makes it slower, never different.
      const wireWarning = opts.mode === 'io' && !opts.firmata ? wireTimeWarning(built, common.baudRate) : undefined;
      const onReady = () => {
        if (wireWarning) process.stderr.write(`hilbench: warning: ${wireWarning}\n`);
      };
      const control = runControlFor(built);
      // The dashboard starts once the board is ready, so a board that never answers leaves no server behind.
      const attached: { live?: CliLive } = {};
      const listen = opts.live;
      const live = listen
        ? async () => {
            attached.live = await startCliLive(built, control, listen, token, opts.mode === 'io' ? 'io' : 'hil');
            return { extraSinks: attached.live.run.extraSinks };
          }
        : undefined;
      let result;
      try {
        result = await runInterruptible(control, () =>
          opts.mode === 'hil'
            ? runHil(built, { ...common, control, live, retries: opts.retries, realtime: opts.realtime, expectFirmware: opts.firmwareName })
            : opts.firmata
              ? runFirmataIo(built, { port: opts.port, outDir, baudRate: opts.baud ?? 57600, samplingMs: opts.samplingMs, control })
              : runIo(built, { ...common, control, live, onReady }),
        );
      } catch (e) {
        await attached.live?.abort();
        throw e;
      }
      attached.live?.end(result);
      printSummary(result, built, linkLine(result.metrics));
      if (result.status === 'failed') {
        process.stderr.write(`hilbench: ${result.error}\n`);
        process.exitCode = EXIT_USER;
      }
      await attached.live?.serveUntilSignal(result);
    });
}

/**
 * The link line of the summary. With board pacing (io_pacing 'board') the jitter and overrun figures
 * are the intervals between the board's lines on the host's clock: real time only against a real
 * board, against `board emulate --fast` only how fast the emulator ran (docs/hil.md), so they are
 * labelled as such and not as real-time jitter.
 */
export function linkLine(m: Record<string, number | string | null>): string | undefined {
  if (m.rtt_p50_us === undefined) return undefined;
  const n = (v: number | string | null | undefined): string => (typeof v === 'number' ? formatNumber(v) : String(v ?? 0));
  const counters = m.link_timeouts !== undefined ? `; timeouts ${m.link_timeouts}, bad CRC ${m.link_badCrc}, out of sequence ${m.link_outOfSequence}` : '';
  let timing = '';
  if (m.tick_jitter_p99_us !== undefined) {
    timing =
      m.io_pacing === 'board'
        ? `; board-paced: M interval − Ts p99 ${n(m.tick_jitter_p99_us)} µs on the host clock, intervals > 1.5·Ts ${n(m.io_overruns)} (real-time figures only against a real board)`
        : `; tick jitter p99 ${n(m.tick_jitter_p99_us)} µs, overruns ${n(m.io_overruns)}`;
  }
  return `  link: ${m.link_ticks} ticks, round trip p50 ${n(m.rtt_p50_us)} µs, p99 ${n(m.rtt_p99_us)} µs${counters}${timing}`;
}
