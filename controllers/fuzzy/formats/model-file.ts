import { readFileSync } from 'node:fs';
import { writeFileNamed } from '../../../errors/fs-error.ts';
import { extname } from 'node:path';
import { FuzzyModelError } from '../errors.ts';
import type { Engine } from '../model.ts';
import { readFis, writeFis, type FisWriteOptions } from './fis.ts';
import { readFcl } from './fcl.ts';
import { readFll, writeFll } from './fll.ts';

/** Model files by extension: `.fll` (fuzzylite), `.fis` (MATLAB), `.fcl` (IEC 61131-7, read only). */
export type ModelFormat = 'fll' | 'fis' | 'fcl';

export function formatOf(path: string): ModelFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.fll') return 'fll';
  if (ext === '.fis') return 'fis';
  if (ext === '.fcl') return 'fcl';
  throw new FuzzyModelError(`${path}: expected a .fll, .fis or .fcl model file`);
}

/** `warn` receives non-fatal remarks (rules fuzzylite would ignore), one line each. */
export function readModelText(text: string, file: string, format: ModelFormat = formatOf(file), warn?: (message: string) => void): Engine {
  if (text.trim() === '') throw new FuzzyModelError(`${file}: empty model file`);
  const binary = text.search(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
  if (binary >= 0) throw new FuzzyModelError(`${file}:${text.slice(0, binary).split('\n').length}: binary content (a control byte or invalid UTF-8), not a ${format} model`);
  const engine = format === 'fcl' ? readFcl(text, file) : format === 'fll' ? readFll(text, file) : readFis(text, file, warn);
  engine.file = file;
  if (engine.inputs.length === 0 && engine.outputs.length === 0) throw new FuzzyModelError(`${file}: defines no input or output variable; is it a ${format} model?`);
  return engine;
}

export function writeModelText(engine: Engine, format: ModelFormat, options: FisWriteOptions = {}): string {
  if (format === 'fcl') throw new FuzzyModelError('FCL is read only: write .fll or .fis');
  return format === 'fll' ? writeFll(engine) : writeFis(engine, options);
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

export function writeModelFile(path: string, engine: Engine, options: FisWriteOptions = {}): void {
  writeFileNamed(path, writeModelText(engine, formatOf(path), options));
}
