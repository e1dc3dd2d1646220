import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { startLiveRun, type LiveRun, type LiveRunOptions } from '../hil/dashboard/live-run.ts';
import type { RunControl } from '../run/control.ts';
import type { RunResult } from '../run/run-scenario.ts';
import { printedAddress } from './options.ts';
import { nextSignal } from './signals.ts';

/** The command's side of `--live [host:port]`. */
export interface CliLive {
  readonly run: LiveRun;
  /** Pushes the final metrics to the page and closes the status line (call before printing a summary). */
  end(result: RunResult): void;
  /** Ends the live stream, keeps the page up until Ctrl-C, then closes the server. */
  serveUntilSignal(result: RunResult): Promise<void>;
  /** The run threw instead of returning a result: closes the server at once so the command can exit. */
  abort(): Promise<void>;
}

/**
 * Starts the dashboard of a run (`run --live`, `hil run --live`) and prints its address. The page's
 * stop and setpoints act on `control`, which Ctrl-C stops too (cli/signals.ts).
 */
export async function startCliLive(built: BuiltRun, control: RunControl, listen: string | true, token: string | undefined, mode: LiveRunOptions['mode']): Promise<CliLive> {
  const run = await startLiveRun(built, control, { listen: listen === true ? undefined : listen, token, mode, statusLine: true });
  process.stdout.write(`dashboard: ${printedAddress(run.server, token)}\n`);
  if (run.server.exposed) process.stderr.write('hilbench: warning: the dashboard is reachable from other machines\n');
  let ended = false;
  const end = (result: RunResult): void => {
    if (ended) return;
    ended = true;
    run.finish(result);
  };
  return {
    run,
    end,
    async serveUntilSignal(result) {
      end(result);
      const wait = nextSignal();
      process.stdout.write(`dashboard: run ${result.status}; still serving ${printedAddress(run.server, undefined)} — Ctrl-C to close\n`);
      await wait.signalled;
      wait.release();
      await run.close();
    },
    async abort() {
      await run.close();
    },
  };
}
