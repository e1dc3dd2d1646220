/**
 * Ctrl-C and SIGTERM, handled in one place for every long command. The first signal asks the
 * command to stop cleanly (a run ends at its next tick with every file written and status failed;
 * a tuning or training stops between evaluations); a second one exits at once with 130. Progress
 * bars and status lines hide the cursor: it is shown again on any exit.
 */
const SHOW_CURSOR = '\x1b[?25h';

let handlers: ((reason: string) => void)[] = [];
let signalled = false;

function onSignal(signal: NodeJS.Signals): void {
  if (signalled || handlers.length === 0) {
    restoreTerminal();
    process.exit(130);
  }
  signalled = true;
  const reason = signal === 'SIGINT' ? 'stopped by Ctrl-C' : `stopped by ${signal}`;
  for (const h of [...handlers]) h(reason);
}

function restoreTerminal(): void {
  if (process.stderr.isTTY) process.stderr.write(SHOW_CURSOR);
  if (process.stdout.isTTY) process.stdout.write(SHOW_CURSOR);
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', restoreTerminal);
}

/**
 * Until the returned function is called, the first Ctrl-C or SIGTERM calls `stop` with a reason
 * ('stopped by Ctrl-C'); a second signal exits at once. With no stop registered, a signal exits at once.
 */
export function stopOnSignals(stop: (reason: string) => void): () => void {
  install();
  handlers.push(stop);
  return () => {
    handlers = handlers.filter((h) => h !== stop);
  };
}

/**
 * Resolves at the next Ctrl-C or SIGTERM, whatever came before ("still serving — Ctrl-C to
 * close" after a live run); `release` stops waiting.
 */
export function nextSignal(): { readonly signalled: Promise<void>; release(): void } {
  install();
  let release = (): void => {};
  const signalledPromise = new Promise<void>((resolve) => {
    const h = (): void => resolve();
    handlers.push(h);
    signalled = false;
    release = () => {
      handlers = handlers.filter((x) => x !== h);
    };
  });
  return { signalled: signalledPromise, release };
}
