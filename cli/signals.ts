import { SingleBar, type Options as BarOptions } from 'cli-progress';
import { EXIT_INTERRUPTED } from './errors.ts';

/*
 * Ctrl-C and SIGTERM, handled in one place for every long command. The first signal asks the
 * command to stop at its next safe point (a tick, an evaluation batch, an epoch) and to write every
 * file with status failed and the reason; the command then ends with RunStopped (exit 1). A second
 * signal leaves at once with exit 130. Either way the terminal gets its cursor back: progress bars
 * hide it while they draw.
 */

export type StopReason = 'stopped by Ctrl-C' | 'stopped by SIGTERM';

const bars = new Set<SingleBar>();
let exitHookInstalled = false;

/** Stops every progress bar still drawing: cli-progress shows the cursor again on stop(). */
export function restoreTerminal(): void {
  for (const b of bars) b.stop();
  bars.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' listeners run synchronously on every way out (return from main, process.exit, an
  // uncaught exception); writes to a terminal are synchronous, so the escape reaches it.
  process.on('exit', restoreTerminal);
}

/** A progress bar on stderr that hides the cursor while drawing and always gives it back. */
export function progressBar(format: string, options: BarOptions = {}): SingleBar {
  installExitHook();
  const bar = new SingleBar({ format, hideCursor: true, ...options });
  bars.add(bar);
  return bar;
}

/**
 * Calls `stop(reason)` on the first SIGINT or SIGTERM; a second one exits at once (130) after
 * restoring the terminal. Returns the function that removes the handlers (call it when done).
 */
export function onInterrupt(stop: (reason: StopReason) => void): () => void {
  installExitHook();
  let signals = 0;
  const handle = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      stop(signal === 'SIGINT' ? 'stopped by Ctrl-C' : 'stopped by SIGTERM');
      return;
    }
    restoreTerminal();
    process.stderr.write(`hilbench: ${signal} again: stopped at once, files may be incomplete\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return () => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
  };
}

/** Lets pending signals (and other I/O) through between steps of a synchronous computation. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves at the next SIGINT or SIGTERM ("still serving — Ctrl-C to close" after a live run);
 * `release` removes the handler.
 */
export function nextSignal(): { readonly signalled: Promise<void>; release(): void } {
  installExitHook();
  let handle: () => void = () => {};
  const signalled = new Promise<void>((resolve) => {
    handle = () => resolve();
  });
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return {
    signalled,
    release() {
      process.off('SIGINT', handle);
      process.off('SIGTERM', handle);
    },
  };
}
