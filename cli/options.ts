import { InvalidArgumentError } from 'commander';

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
