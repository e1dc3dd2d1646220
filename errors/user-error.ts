/**
 * The user's to fix (a bad file, option, port, a full disk): the CLI prints `hilbench: <message>` on
 * one line and exits 1. Everything else is a bug and exits 2 (cli/errors.ts).
 */
export class UserError extends Error {
  /** Kept so that errors crossing a worker thread or a structured clone still read as the user's. */
  readonly userError = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}

/**
 * A run (or a tuning, a training, a log) that ended early for a stated reason — Ctrl-C, a lost board,
 * a full disk — after writing its files with status failed. Exit 1 like any UserError.
 */
export class RunStopped extends UserError {
  constructor(
    readonly reason: string,
    message: string = reason,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RunStopped';
  }
}

/**
 * The one test for "the user's to fix": a UserError, or an error still tagged `userError: true` the
 * old way (files not yet converted, errors rebuilt from a worker's message).
 */
export function isUserError(e: unknown): boolean {
  if (e instanceof UserError) return true;
  return typeof e === 'object' && e !== null && (e as { userError?: unknown }).userError === true;
}
