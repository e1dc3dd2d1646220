import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { readJsonFile } from '../../firmware-sim/scenario/load.ts';
import { version as hilbenchVersion } from '../../firmware-sim/version.ts';
import type { TuningTask } from '../task.ts';

/**
 * A tuning task made self-contained for a worker on another host: the scenario's JSON and every
 * file it names (fuzzy models, maps, estimator weights …), content-addressed, plus the search's
 * parameters. A worker writes it into a private directory and runs today's evaluatePoint on it.
 */
export interface TaskBundle {
  /** hilbench version of the coordinator; a worker of another version refuses the job. */
  readonly version: string;
  /** The scenario file on the coordinator, named in error messages instead of the worker's copy. */
  readonly origin: string;
  /** The scenario as read, with every file reference rewritten to a key of `files`. */
  readonly scenario: unknown;
  /** `files/<sha256 prefix>/<name>` → content (base64). */
  readonly files: Record<string, string>;
  readonly baseSets: readonly string[];
  readonly specs: TuningTask['specs'];
  readonly variants?: TuningTask['variants'];
  readonly margins?: boolean;
}

const FILE_KEY = /^files\/[0-9a-f]{16}\/[^/\\]+$/;

/**
 * Any string in the scenario (or a `--set` value) that names an existing file, relative to the
 * scenario's directory or absolute, is a file reference: scanning every string instead of a list
 * of known fields keeps new model-bearing fields working without touching this code.
 */
function fileReference(s: string, baseDir: string): string | undefined {
  if (s.length === 0 || s.length > 4096 || /\s/.test(s) || !/\.[A-Za-z0-9]+$/.test(s)) return undefined;
  const path = isAbsolute(s) ? s : resolve(baseDir, s);
  try {
    return existsSync(path) && statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

function rewriteFiles(value: unknown, baseDir: string, files: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const path = fileReference(value, baseDir);
    if (!path) return value;
    const bytes = readFileSync(path);
    const key = `files/${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}/${basename(path)}`;
    files[key] = bytes.toString('base64');
    return key;
  }
  if (Array.isArray(value)) return value.map((v) => rewriteFiles(v, baseDir, files));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteFiles(v, baseDir, files)]));
  }
  return value;
}

/** `key=value` with a file reference in the value (a JSON string, object or a bare path) rewritten. */
function rewriteSet(kv: string, baseDir: string, files: Record<string, string>): string {
  const eq = kv.indexOf('=');
  if (eq <= 0) return kv;
  const text = kv.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const rewritten = rewriteFiles(value, baseDir, files);
  if (JSON.stringify(rewritten) === JSON.stringify(value)) return kv;
  return `${kv.slice(0, eq)}=${typeof rewritten === 'string' ? rewritten : JSON.stringify(rewritten)}`;
}

/** Builds the bundle of a task whose `scenario` is a resolved file (as prepareTuning and runRobustness make it). */
export function bundleTask(task: TuningTask): { bundle: TaskBundle; hash: string } {
  const baseDir = dirname(task.scenario);
  const files: Record<string, string> = {};
  const scenario = rewriteFiles(readJsonFile(task.scenario), baseDir, files);
  const baseSets = task.baseSets.map((kv) => rewriteSet(kv, baseDir, files));
  const bundle: TaskBundle = {
    version: hilbenchVersion,
    origin: task.scenario,
    scenario,
    files,
    baseSets,
    specs: task.specs,
    ...(task.variants ? { variants: task.variants } : {}),
    ...(task.margins ? { margins: true } : {}),
  };
  return { bundle, hash: createHash('sha256').update(JSON.stringify(bundle)).digest('hex') };
}

/** Writes a bundle under `dir` (a worker's private directory) and returns the task to evaluate there. */
export function materializeBundle(bundle: TaskBundle, dir: string): TuningTask {
  mkdirSync(dir, { recursive: true });
  for (const [key, content] of Object.entries(bundle.files)) {
    if (!FILE_KEY.test(key) || key.endsWith('/..') || key.endsWith('/.')) throw new Error(`bundle: refusing file name '${key}'`);
    mkdirSync(join(dir, dirname(key)), { recursive: true });
    writeFileSync(join(dir, key), Buffer.from(content, 'base64'));
  }
  const scenario = join(dir, 'scenario.json');
  writeFileSync(scenario, JSON.stringify(bundle.scenario));
  return {
    scenario,
    baseSets: bundle.baseSets,
    specs: bundle.specs,
    ...(bundle.variants ? { variants: bundle.variants } : {}),
    ...(bundle.margins ? { margins: true } : {}),
  };
}
