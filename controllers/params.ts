/**
 * Reading controller parameters out of a scenario's `controller` object. Errors name the key so the
 * CLI can report `controller.kp: expected a number`.
 */
export class ParamError extends Error {
  constructor(readonly key: string, message: string) {
    super(`controller.${key}: ${message}`);
    this.name = 'ParamError';
  }
}

export function number(p: Record<string, unknown>, key: string): number {
  const v = p[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(key, `expected a finite number, got ${JSON.stringify(v)}`);
  return v;
}

export function optionalNumber(p: Record<string, unknown>, key: string): number | undefined {
  return p[key] === undefined ? undefined : number(p, key);
}

export function string(p: Record<string, unknown>, key: string): string {
  const v = p[key];
  if (typeof v !== 'string' || v.length === 0) throw new ParamError(key, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

export function optionalString(p: Record<string, unknown>, key: string, allowed?: readonly string[]): string | undefined {
  if (p[key] === undefined) return undefined;
  const v = string(p, key);
  if (allowed && !allowed.includes(v)) throw new ParamError(key, `expected one of ${allowed.join(', ')}, got '${v}'`);
  return v;
}

export function stringArray(p: Record<string, unknown>, key: string): string[] {
  const v = p[key];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ParamError(key, `expected an array of strings, got ${JSON.stringify(v)}`);
  return v as string[];
}

export function numberArray(p: Record<string, unknown>, key: string): number[] {
  const v = p[key];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'number' || !Number.isFinite(s))) {
    throw new ParamError(key, `expected an array of finite numbers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}
