import type { Subscription } from 'rxjs';
import type { LiveSource, Metrics } from './live-source.ts';

export interface StatusLineOptions {
  /** Where the line goes. Default process.stderr. */
  readonly out?: NodeJS.WriteStream;
  /** Keys of the metrics to show, in order, with their labels. */
  readonly fields: readonly (readonly [key: string, label: string])[];
}

/**
 * The terminal status line: one more subscriber of the live source's metrics. On a terminal it
 * rewrites itself in place; otherwise (pipes, CI logs) it prints a line every 5 s at most.
 */
export function attachStatusLine(source: LiveSource, options: StatusLineOptions): Subscription {
  const out = options.out ?? process.stderr;
  const tty = out.isTTY === true;
  let lastPrinted = 0;
  let shown = false;
  const render = (m: Metrics): string =>
    options.fields
      .filter(([k]) => m[k] !== undefined)
      .map(([k, label]) => `${label} ${m[k] ?? 'n/a'}`)
      .join('  ');
  const sub = source.metrics$.subscribe({
    next: (m) => {
      const now = Date.now();
      if (tty) {
        out.write(`\r\x1b[K${render(m)}`);
        shown = true;
      } else if (lastPrinted === 0) {
        lastPrinted = now;
      } else if (now - lastPrinted >= 5000) {
        out.write(render(m) + '\n');
        lastPrinted = now;
      }
    },
    complete: () => {
      // The command prints its own summary; a terminal only needs the line closed.
      if (tty && shown) out.write('\n');
    },
  });
  return sub;
}
