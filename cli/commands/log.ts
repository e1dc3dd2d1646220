import type { Command } from 'commander';
import { parseListen } from '../../hil/dashboard/origin.ts';
import { DashboardServer } from '../../hil/dashboard/server.ts';
import { attachStatusLine } from '../../hil/live/status-line.ts';
import { LogSession, MAX_COLUMN_SETS, MAX_SIGNALS } from '../../hil/logging/log-session.ts';
import { collect, dashboardToken, parsePositiveInt, parsePositiveNumber, printedAddress, TOKEN_FILE_HELP } from '../options.ts';
import { RunStopped } from '../../errors/user-error.ts';
import { prepareOutDir } from '../../errors/out-path.ts';
import { onInterrupt, type StopReason } from '../signals.ts';

interface LogOpts {
  port: string;
  out: string;
  baud: number;
  reconnect?: boolean;
  resume?: boolean;
  flushMs: number;
  duration?: number;
  dashboard?: string | true;
  live?: string | true;
  token?: string;
  tokenFile?: string;
  allowOrigin: string[];
}

export function registerLog(program: Command): void {
  program
    .command('log')
    .description('record a board\'s serial stream (hilbench frames or Arduino Serial Plotter lines) to CSV + NDJSON, crash-safe')
    .requiredOption('--port <path>', 'serial device, e.g. /dev/ttyACM0 (see `hilbench ports`)')
    .requiredOption('--out <dir>', 'output directory: log.csv (+ log.N.csv when signals change), log.ndjson, log.meta.json')
    .option('--baud <n>', 'baud rate', parsePositiveInt, 115200)
    .option('--reconnect', 'when the board is unplugged, wait for it and reattach, recording the gap')
    .option('--resume', 'continue a log already in --out (repairs files left by a crash; the CSV segments are made to agree with log.ndjson, the record of truth)')
    .option('--duration <s>', 'end the log (status closed, exit 0) after this many seconds; without it the log runs until Ctrl-C, which ends it as failed (exit 1)', parsePositiveNumber)
    .option('--flush-ms <ms>', 'longest time a received sample waits in memory before it is written', parsePositiveInt, 200)
    .option('--dashboard [host:port]', 'serve the live dashboard (default 127.0.0.1:8080)')
    .option('--live [host:port]', 'same as --dashboard')
    .option('--token <secret>', 'with --dashboard: allow stopping the log from the page')
    .option('--token-file <path>', TOKEN_FILE_HELP)
    .option('--allow-origin <origin>', 'with --dashboard: also accept this page origin; repeatable', collect, [])
    .action(async (opts: LogOpts) => {
      const token = dashboardToken(opts);
      const outDir = prepareOutDir(opts.out);
      const session = new LogSession({
        port: opts.port,
        baud: opts.baud,
        outDir,
        reconnect: opts.reconnect,
        resume: opts.resume,
        flushInterval_ms: opts.flushMs,
        duration_s: opts.duration,
      });
      for (const r of session.recorder.recovered) {
        process.stderr.write(`hilbench: repaired ${r.file}: cut ${r.report.droppedBytes} bytes of a torn last line left by a crash\n`);
      }
      for (const r of session.recorder.reconciled) {
        const what = r.removed ? `removed (no column set in log.ndjson holds it; ${r.cut} rows)` : `${r.cut} rows cut, ${r.added} written from log.ndjson`;
        process.stderr.write(`hilbench: made ${r.file} agree with log.ndjson (the record of truth): ${what}\n`);
      }
      const listen = opts.dashboard ?? opts.live;
      let server: DashboardServer | undefined;
      if (listen) {
        const { host, port } = parseListen(listen === true ? '127.0.0.1:8080' : listen);
        server = await DashboardServer.start(
          { live: session.source },
          {
            host,
            port,
            token,
            allowOrigins: opts.allowOrigin,
            controls: { setpoints: [], stop: true },
            onControl: (req) => {
              if (req.action !== 'stop') return 'a log has no setpoints to change';
              setImmediate(() => session.stop('stopped from the dashboard'));
              return undefined;
            },
          },
        ).catch((e: unknown) => {
          session.stop('failed', 'the dashboard could not start');
          throw e;
        });
        process.stdout.write(`dashboard: ${printedAddress(server, token)}\n`);
      }
      attachStatusLine(session.source, {
        fields: [['samples', 'samples'], ['samples_per_s', 'samples/s'], ['bad_lines', 'bad lines'], ['reconnects', 'reconnects'], ['segments', 'column sets']],
      });
      // Ctrl-C ends the log as any interrupted run: between two samples, every file whole, status
      // failed with the reason, exit 1. A log meant to end well is given --duration (or stopped from
      // the dashboard). A second Ctrl-C exits at once (130, cli/signals.ts).
      let interrupted: StopReason | undefined;
      const release = onInterrupt((reason) => {
        interrupted = reason;
        session.stop('failed', reason);
      });
      const planned = opts.duration !== undefined ? ` for ${opts.duration} s` : '';
      process.stdout.write(`logging ${opts.port} at ${opts.baud} baud into ${outDir}${planned}; Ctrl-C stops it as failed\n`);
      try {
        await session.run();
        if (interrupted) throw new RunStopped(interrupted, `${interrupted}: the log in ${outDir} is complete up to its last sample, with status failed`);
      } finally {
        release();
        await server?.close();
        const c = session.counters;
        if (!session.discarded)
          process.stdout.write(
          `log: ${c.samples} samples, ${c.badLines} bad lines, ${c.reconnects} reconnects, ${session.recorder.segments.length} column set(s), ${session.recorder.gapCount} gap(s) recorded in ${outDir}${overLimitNote(session.recorder.overLimit.values, session.recorder.overLimit.labels)}\n`,
        );
      }
    });
}

/** The summary's note on values left out by the label limits (empty when none was). */
function overLimitNote(values: number, labels: readonly string[]): string {
  if (values === 0) return '';
  const named = labels.slice(0, 3).join(', ') + (labels.length > 3 ? ', …' : '');
  return `; ${values} value(s) not recorded: their labels (${named}) were over the limit of ${MAX_SIGNALS} signals in ${MAX_COLUMN_SETS} column sets`;
}
