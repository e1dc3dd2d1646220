import { UserError } from '../firmware-sim/scenario/load.ts';

/** Bad tuning input (range, metric name, option): exit 1 at the CLI with this one-line message. */
export function userError(message: string): UserError {
  return new UserError(message);
}
