import { isUserError } from '../errors/user-error.ts';

/** Exit codes of every hilbench command (DESIGN §6). */
export const EXIT_OK = 0;
export const EXIT_USER = 1;
export const EXIT_INTERNAL = 2;
/** A second Ctrl-C: leave at once, as shells report a process killed by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

export { isUserError };

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A message made safe for one terminal line: control characters (a newline in a file name, an escape
 * sequence read from a serial port) are shown as `\n`, `\x1b`, … instead of acting on the terminal.
 */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The exit code and the stderr line for an error that reached main(): UserError/RunStopped → 1, else 2. */
export function reportError(e: unknown): { code: number; line: string } {
  const message = oneLine(e instanceof Error ? e.message : String(e));
  if (isUserError(e)) return { code: EXIT_USER, line: `hilbench: ${message}\n` };
  return { code: EXIT_INTERNAL, line: `hilbench: internal error: ${message}\n` };
}
