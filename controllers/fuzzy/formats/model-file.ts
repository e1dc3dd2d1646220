import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { FuzzyModelError } from '../errors.ts';
import type { Engine } from '../model.ts';
import { readFis, writeFis } from './fis.ts';
import { readFll, writeFll } from './fll.ts';

/** Model files by extension: `.fll` (fuzzylite) or `.fis` (MATLAB). */
export type ModelFormat = 'fll' | 'fis';

export function formatOf(path: string): ModelFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.fll') return 'fll';
  if (ext === '.fis') return 'fis';
  throw new FuzzyModelError(`${path}: expected a .fll or .fis model file`);
}

/** `warn` receives non-fatal remarks (rules fuzzylite would ignore), one line each. */
export function readModelText(text: string, file: string, format: ModelFormat = formatOf(file), warn?: (message: string) => void): Engine {
  return format === 'fll' ? readFll(text, file) : readFis(text, file, warn);
}

export function writeModelText(engine: Engine, format: ModelFormat): string {
  return format === 'fll' ? writeFll(engine) : writeFis(engine);
}

export function readModelFile(path: string, warn?: (message: string) => void): Engine {
  const format = formatOf(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FuzzyModelError(`${path}: cannot read the model file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return readModelText(text, path, format, warn);
}

export function writeModelFile(path: string, engine: Engine): void {
  writeFileSync(path, writeModelText(engine, formatOf(path)));
}
