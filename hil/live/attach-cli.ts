import type { FirmwareLink } from '../../firmware-sim/firmware-link.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import type { RunOptions, RunResult } from '../../run/run-scenario.ts';
import type { IoLive } from '../runners/io-run.ts';
import { startIoLiveRun, startLiveRun, type LiveStream } from './live-run.ts';

/** The command's side of a live stream. */
export interface CliLiveStream {
  /** Pushes the final metrics to the page and closes the status line (call before printing a summary). */
  end(result: RunResult): void;
  /** Ends the live stream, keeps the page up until Ctrl-C, then closes the server. */
  finish(result: RunResult): Promise<void>;
  /** The run threw instead of returning a result: closes the server at once so the command can exit. */
  abort(): Promise<void>;
}

export interface CliLive extends CliLiveStream {
  readonly runOptions: Pick<RunOptions, 'link' | 'extraSinks'>;
}

export interface CliIoLive extends CliLiveStream {
  /** For runIo's `live` option. */
  readonly io: IoLive;
}

/**
 * The `--live [host:port]` option of `run` (and `hil run`, passing its serial link): starts the
 * dashboard, prints its address, turns the first Ctrl-C during the run into a clean stop, and
 * after the run keeps serving until Ctrl-C so the page can still be explored.
 */
export async function attachLiveToRun(built: BuiltRun, listen: string | true, token?: string, link?: FirmwareLink): Promise<CliLive> {
  const live = await startLiveRun(built, { listen: listen === true ? undefined : listen, token, link, statusLine: true });
  return { runOptions: live.runOptions, ...serveFromCli(live) };
}

/** The same for `hil run --mode io --live`: the io loop takes the returned `io` hooks. */
export async function attachLiveToIoRun(built: BuiltRun, listen: string | true, token?: string): Promise<CliIoLive> {
  const live = await startIoLiveRun(built, { listen: listen === true ? undefined : listen, token, statusLine: true });
  return { io: live.io, ...serveFromCli(live) };
}

function serveFromCli(live: LiveStream): CliLiveStream {
  process.stdout.write(`dashboard: ${live.server.url}\n`);
  if (live.server.exposed) process.stderr.write('hilbench: warning: the dashboard is reachable from other machines\n');
  // One SIGINT listener for the whole command: in a gap between removing one and adding the next
  // (e.g. right after "still serving" is printed), a Ctrl-C would kill the process by default.
  let state: 'running' | 'stopping' | 'serving' = 'running';
  let closePage = (): void => {};
  let ended = false;
  const end = (result: RunResult): void => {
    if (ended) return;
    ended = true;
    live.finish(result);
  };
  const onSigint = (): void => {
    if (state === 'running') {
      state = 'stopping';
      live.stop('stopped by Ctrl-C');
    } else if (state === 'stopping') {
      // A second Ctrl-C while the run winds down: give up as a plain Ctrl-C would.
      process.off('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
    } else closePage();
  };
  process.on('SIGINT', onSigint);
  return {
    end,
    async finish(result) {
      end(result);
      const closed = new Promise<void>((done) => {
        closePage = done;
        state = 'serving';
        process.once('SIGTERM', done);
      });
      process.stdout.write(`dashboard: run ${result.status}; still serving ${live.server.url} — Ctrl-C to close\n`);
      await closed;
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', closePage);
      await live.close();
    },
    async abort() {
      process.off('SIGINT', onSigint);
      await live.close();
    },
  };
}
