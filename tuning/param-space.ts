import type { Scenario } from '../firmware-sim/scenario/schema.ts';
import { UserError } from '../errors/user-error.ts';

/**
 * The searched parameters. Each is a scenario path that `--set` understands (`controller.kp`,
 * `params.m_kg`, `sensors.0.gain` …) with a range [lo, hi]. Optimisers work in the unit cube
 * [0, 1]^n; `toReal` maps back, linearly or logarithmically (`lo:hi:log`).
 */
export interface ParamSpec {
  /** Name as the user wrote it (`kp`). */
  readonly name: string;
  /** Dotted scenario path used as a `--set` key (`controller.kp`). */
  readonly path: string;
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
  /** Value in the untuned scenario. */
  readonly initial: number;
}

/** Parses `kp=10:200,ki=50:5000:log`. Every bad item is named in one message. */
export function parseParamList(text: string): { name: string; lo: number; hi: number; log: boolean }[] {
  const out: { name: string; lo: number; hi: number; log: boolean }[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][\w.]*)=([^:]+):([^:]+)(?::(lin|log))?$/.exec(item);
    if (!m) {
      problems.push(`'${item}' (expected name=lo:hi or name=lo:hi:log)`);
      continue;
    }
    const lo = Number(m[2]);
    const hi = Number(m[3]);
    const log = m[4] === 'log';
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) problems.push(`'${m[1]}': bounds must be finite numbers (got ${m[2]}:${m[3]})`);
    else if (!(lo < hi)) problems.push(`'${m[1]}': lower bound ${lo} must be below upper bound ${hi}`);
    else if (log && lo <= 0) problems.push(`'${m[1]}': a log range needs lo > 0 (got ${lo})`);
    else out.push({ name: m[1], lo, hi, log });
  }
  if (problems.length) throw new UserError(`--params: bad range ${problems.join('; ')}`);
  if (out.length === 0) throw new UserError('--params: no parameter given');
  const dup = out.find((p, i) => out.findIndex((q) => q.name === p.name) !== i);
  if (dup) throw new UserError(`--params: '${dup.name}' given twice`);
  return out;
}

/**
 * Resolves names against the scenario: dotted paths are taken as they are; a bare name is a
 * controller key if the controller has a numeric one of that name, else a plant parameter.
 * `plantParams` are the plant's parameters after overrides (for bare plant names and initial values).
 */
export function resolveParams(
  items: readonly { name: string; lo: number; hi: number; log: boolean }[],
  scenario: Scenario,
  plantParams: Record<string, number>,
): ParamSpec[] {
  const problems: string[] = [];
  const specs: ParamSpec[] = [];
  for (const it of items) {
    let path: string;
    let initial: unknown;
    if (it.name.includes('.')) {
      path = it.name;
      initial = path.startsWith('params.') ? plantParams[path.slice(7)] : getPath(scenario, path.split('.'));
    } else if (typeof (scenario.controller as Record<string, unknown>)[it.name] === 'number') {
      path = `controller.${it.name}`;
      initial = (scenario.controller as Record<string, unknown>)[it.name];
    } else if (it.name in plantParams) {
      path = `params.${it.name}`;
      initial = plantParams[it.name];
    } else {
      const ctl = Object.entries(scenario.controller).filter(([, v]) => typeof v === 'number').map(([k]) => k);
      problems.push(`unknown parameter '${it.name}' (controller: ${ctl.join(', ')}; plant: ${Object.keys(plantParams).join(', ')}; or a dotted scenario path)`);
      continue;
    }
    if (typeof initial !== 'number' || !Number.isFinite(initial)) {
      problems.push(`'${it.name}': scenario path '${path}' is not a number in this scenario`);
      continue;
    }
    specs.push({ name: it.name, path, lo: it.lo, hi: it.hi, log: it.log, initial });
  }
  if (problems.length) throw new UserError(`--params: ${problems.join('; ')}`);
  return specs;
}

function getPath(obj: unknown, path: readonly string[]): unknown {
  let node = obj;
  for (const k of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

/** Unit-cube coordinate → parameter value (clipped to [0, 1] first). */
export function toReal(p: ParamSpec, z: number): number {
  const c = z < 0 ? 0 : z > 1 ? 1 : z;
  return p.log ? Math.exp(Math.log(p.lo) + c * (Math.log(p.hi) - Math.log(p.lo))) : p.lo + c * (p.hi - p.lo);
}

/** Parameter value → unit-cube coordinate (clipped). */
export function toUnit(p: ParamSpec, v: number): number {
  const z = p.log ? (Math.log(v) - Math.log(p.lo)) / (Math.log(p.hi) - Math.log(p.lo)) : (v - p.lo) / (p.hi - p.lo);
  return Number.isFinite(z) ? (z < 0 ? 0 : z > 1 ? 1 : z) : 0.5;
}

/** `--set` strings for one point; numbers in shortest round-trip form so results files replay exactly. */
export function setsFor(specs: readonly ParamSpec[], values: readonly number[]): string[] {
  return specs.map((p, i) => `${p.path}=${String(values[i])}`);
}

/** Default ranges for a PID: a decade either side of each non-zero gain, log scale. */
export function defaultPidRanges(controller: Record<string, unknown>): { name: string; lo: number; hi: number; log: boolean }[] {
  const out: { name: string; lo: number; hi: number; log: boolean }[] = [];
  for (const k of ['kp', 'ki', 'kd']) {
    const v = controller[k];
    if (typeof v === 'number' && v > 0) out.push({ name: k, lo: v / 10, hi: v * 10, log: true });
  }
  return out;
}
