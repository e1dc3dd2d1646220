import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { readJsonFile as readJsonText } from '../../formats/json.ts';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { UserError } from '../../errors/user-error.ts';
import { modelFileTypes } from '../../controllers/model-files.ts';
import { scenarioSchema, type Scenario } from './schema.ts';

export const builtinScenarioDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

export interface ScenarioOverrides {
  /** `key=value` pairs: a dotted JSON path into the scenario, or a bare plant parameter name. */
  set?: readonly string[];
  duration?: number;
  seed?: number;
  /** A name from the scenario's `controllers`, a controller JSON file, or a model file. */
  controller?: string;
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** File the scenario came from. */
  readonly file: string;
  /** Directory relative paths in the scenario are resolved against. */
  readonly baseDir: string;
}

/** Finds a built-in scenario by name, or takes a path to a JSON file. */
export function resolveScenarioFile(nameOrFile: string): string {
  // lstat, not exists: a dangling link or a link loop is a file the user named, reported when read.
  if (extname(nameOrFile) === '.json' && isPresent(nameOrFile)) return resolve(nameOrFile);
  const builtin = resolve(builtinScenarioDir, `${nameOrFile}.json`);
  if (existsSync(builtin)) return builtin;
  if (nameOrFile.endsWith('.json')) throw new UserError(`${nameOrFile}: no such scenario file`);
  throw new UserError(`unknown scenario '${nameOrFile}' (built in: ${listBuiltinScenarios().join(', ')}; or pass a .json file)`);
}

function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export function listBuiltinScenarios(): string[] {
  return readdirJson(builtinScenarioDir);
}

function readdirJson(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/** Reads JSON, reporting syntax errors as `file:line:col: message` (formats/json.ts). */
export function readJsonFile(file: string): unknown {
  return readJsonText(file, 'scenario file');
}

export function loadScenario(nameOrFile: string, overrides: ScenarioOverrides = {}): LoadedScenario {
  const file = resolveScenarioFile(nameOrFile);
  const raw = readJsonFile(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${file}: a scenario is a JSON object`);
  const obj = raw as Record<string, unknown>;
  const proto = protoKeyPath(obj);
  if (proto !== undefined) throw new UserError(`${file}: ${proto}: '__proto__' is not a scenario key`);
  const baseDir = dirname(file);
  for (const kv of overrides.set ?? []) applySet(obj, kv);
  if (overrides.duration !== undefined) obj.duration = overrides.duration;
  if (overrides.seed !== undefined) obj.seed = overrides.seed;
  if (overrides.controller !== undefined) obj.controller = pickController(obj, overrides.controller);
  const scenario = validateScenario(obj, file);
  return { scenario, file, baseDir };
}

/**
 * The JSON path of a `"__proto__"` key anywhere in `value`, if any. JSON.parse keeps it as an own key,
 * but zod's records and object spreads turn it into a prototype: the values under it would vanish
 * without a word. Iterative (the parser caps nesting at 64 levels anyway).
 */
function protoKeyPath(value: unknown): string | undefined {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: '' }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    for (const k of Object.keys(v)) {
      const p = path ? `${path}.${k}` : k;
      if (k === '__proto__') return p;
      stack.push({ v: (v as Record<string, unknown>)[k], path: p });
    }
  }
  return undefined;
}

export function validateScenario(obj: unknown, file: string): Scenario {
  const parsed = scenarioSchema.safeParse(obj);
  if (!parsed.success) throw new UserError(`${file}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/** `a.b.0.c: message; …` — every problem on one line. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
}

const topLevelKeys = new Set(Object.keys(scenarioSchema.shape));

/** Applies one `--set key=value`. Values are JSON when they parse as JSON, strings otherwise. */
export function applySet(obj: Record<string, unknown>, kv: string): void {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new UserError(`--set '${kv}': expected key=value`);
  const key = kv.slice(0, eq);
  const text = kv.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const path = key.split('.');
  const bad = path.find((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype');
  if (bad !== undefined) throw new UserError(`--set '${kv}': '${bad}' is not a scenario key`);
  if (!topLevelKeys.has(path[0])) path.unshift('params');
  let node: Record<string, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = Object.hasOwn(node, path[i]) ? node[path[i]] : undefined;
    if (next === undefined) node[path[i]] = {};
    else if (typeof next !== 'object' || next === null) {
      throw new UserError(`--set '${kv}': '${path.slice(0, i + 1).join('.')}' is not an object`);
    }
    node = node[path[i]] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function pickController(obj: Record<string, unknown>, choice: string): unknown {
  const named = obj.controllers as Record<string, unknown> | undefined;
  if (named && Object.hasOwn(named, choice)) return named[choice];
  const ext = extname(choice).toLowerCase();
  if (ext === '.json') {
    const file = isAbsolute(choice) ? choice : resolve(choice);
    return readJsonFile(file);
  }
  if (ext === '.fis' || ext === '.fll' || ext === '.fcl') {
    const current = (obj.controller ?? {}) as Record<string, unknown>;
    const type = String(current.type);
    const takes = modelFileTypes[type];
    const readers = Object.entries(modelFileTypes).map(([t, e]) => `${t} (${e.join(' ')})`).join(', ');
    if (!takes) throw new UserError(`--controller '${choice}': this scenario's controller type '${type}' reads no model file; model files go to ${readers}`);
    if (!takes.includes(ext)) throw new UserError(`--controller '${choice}': a ${type} controller reads ${takes.join(', ')} files, not ${ext}`);
    const file = resolve(choice);
    if (!existsSync(file)) throw new UserError(`--controller '${choice}': no such file`);
    return { ...current, model: file };
  }
  const known = named ? Object.keys(named).join(', ') : 'none';
  throw new UserError(`--controller '${choice}': not a named controller of this scenario (known: ${known}), nor a .json/.fis/.fll/.fcl file`);
}
