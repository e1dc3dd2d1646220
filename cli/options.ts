import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../errors/user-error.ts';

/** Option parsers shared by the commands; bad values become commander errors (exit 1). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parsePositiveNumber(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError('expected a positive number');
  return v;
}

export function parseNonNegativeInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return v;
}

export function parsePositiveInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError('expected a whole number > 0');
  return v;
}

/** The dashboard options every live command takes (`run --live`, `hil run --live`, `log --dashboard`). */
export interface TokenOptions {
  token?: string;
  tokenFile?: string;
}

/** `--token-file`'s help: where a token comes from without showing in `ps`. */
export const TOKEN_FILE_HELP = 'read the control token from this file (first line) instead of --token, which other users see in ps; or set HILBENCH_TOKEN';

/**
 * The dashboard's control token: --token, the first line of --token-file, or HILBENCH_TOKEN (the
 * last two keep it out of the process list). Undefined: a read-only page.
 */
export function dashboardToken(opts: TokenOptions): string | undefined {
  if (opts.token !== undefined && opts.tokenFile !== undefined) throw new UserError('give --token or --token-file, not both');
  if (opts.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.tokenFile, 'utf8');
    } catch (e) {
      throw new UserError(`--token-file ${opts.tokenFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const token = text.split(/\r?\n/)[0].trim();
    if (!token) throw new UserError(`--token-file ${opts.tokenFile}: its first line is empty`);
    return token;
  }
  if (opts.token !== undefined) {
    if (!opts.token.trim()) throw new UserError('--token must not be empty');
    return opts.token;
  }
  const env = process.env.HILBENCH_TOKEN?.trim();
  return env ? env : undefined;
}

/** The dashboard's address as printed: never the token (terminals and CI logs are kept). */
export function printedAddress(server: { readonly url: string }, token: string | undefined): string {
  const base = server.url.replace(/#.*$/, '');
  return token ? `${base} (controls: open ${base}#token=<the token>)` : base;
}
