import { RunStopped } from '../errors/user-error.ts';

/** A state, sensor or command became NaN or infinite: the run stops here, its samples so far kept. */
export class NonFiniteError extends RunStopped {
  readonly nonFinite = true;
  constructor(
    readonly t: number,
    readonly signal: string,
    readonly where: string,
  ) {
    super(`non-finite ${where} '${signal}' at t = ${t} s`);
    this.name = 'NonFiniteError';
  }
}
