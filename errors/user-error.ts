/** A problem the user can fix (a bad file, option, port …): exit 1 with this one-line message. */
export class UserError extends Error {
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * A run that ended before its duration for a stated reason (Ctrl-C, a dead board, a non-finite
 * signal, a full disk). The run loop catches it and writes every file with status failed.
 */
export class RunStopped extends UserError {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RunStopped';
  }
}
