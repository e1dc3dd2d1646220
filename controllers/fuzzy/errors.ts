import { UserError } from '../../errors/user-error.ts';

/**
 * A problem with a fuzzy model a user wrote (file, rule text, parameters): a UserError, so the CLI
 * prints the one-line message and exits 1. Readers prefix the message with `file:line: `.
 */
export class FuzzyModelError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzyModelError';
  }
}

/** `file:line: message` for errors found while reading a model file. */
export function locatedError(file: string, line: number, message: string): FuzzyModelError {
  return new FuzzyModelError(`${file}:${line}: ${message}`);
}
