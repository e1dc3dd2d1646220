import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnUnit } from './units.ts';

/** Which recorded signals the standard metrics judged, with their units, for the report and the summary. */
export interface JudgedSignals {
  readonly output: string;
  readonly reference?: string;
  /** The control-effort signal u. */
  readonly command?: string;
  readonly outputUnit: string;
  readonly commandUnit: string;
  /** How the settling band was set: a fixed half-width, or a fraction of the step. */
  readonly band?: { readonly abs?: number; readonly fraction?: number };
}

/** The `metrics` section of a scenario and its first actuator's plant input, as far as they are known. */
export interface JudgedSpec {
  readonly output: string;
  readonly reference?: string;
  readonly command?: string;
  readonly band?: number;
  readonly bandAbs?: number;
}

export interface MetaLike {
  plant?: string;
  file?: string;
  units?: Record<string, string>;
  scenarioResolved?: ScenarioLike;
}
interface ScenarioLike {
  metrics?: { output?: string; reference?: string; command?: string; band?: number; bandAbs?: number };
  actuators?: { to?: string }[];
}

/** run.meta.json of a run directory, if it is there and readable. */
export function readMeta(outDir: string): MetaLike | undefined {
  return readJson<MetaLike>(join(outDir, 'run.meta.json'));
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The judged spec of a scenario object (resolved, or as written in its file). */
export function specOfScenario(s: ScenarioLike | undefined): JudgedSpec | undefined {
  const m = s?.metrics;
  if (!m?.output) return undefined;
  return { output: m.output, reference: m.reference, command: m.command ?? s?.actuators?.[0]?.to, band: m.band ?? 0.02, bandAbs: m.bandAbs };
}

/**
 * The judged signals of a run written to `outDir`: `given` if the caller knows them, else the resolved
 * scenario in run.meta.json (run, hil run), else the scenario file run.meta.json names (io runs write
 * no resolved scenario; their judged output is metrics.json's `metrics_output`).
 */
export function judgedSignals(outDir: string, metrics: Record<string, unknown>, given?: JudgedSpec): JudgedSignals | undefined {
  if (!('iae' in metrics)) return undefined;
  const meta = readMeta(outDir);
  let spec = given ?? specOfScenario(meta?.scenarioResolved);
  if (!spec && meta?.file && meta.file.endsWith('.json')) spec = specOfScenario(readJson<ScenarioLike>(meta.file));
  const output = typeof metrics.metrics_output === 'string' ? metrics.metrics_output : spec?.output;
  if (!output) return undefined;
  const units = meta?.units;
  return {
    output,
    reference: spec?.reference,
    command: spec?.command,
    outputUnit: columnUnit(output, units) ?? (spec?.reference ? columnUnit(spec.reference, units) : undefined) ?? '',
    commandUnit: spec?.command ? (columnUnit(spec.command, units) ?? '') : '',
    band: spec ? { abs: spec.bandAbs, fraction: spec.bandAbs === undefined ? spec.band : undefined } : undefined,
  };
}
