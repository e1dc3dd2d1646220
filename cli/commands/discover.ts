import type { Command } from 'commander';
import { listBuiltinScenarios, loadScenario, readJsonFile, resolveScenarioFile } from '../../firmware-sim/scenario/load.ts';
import type { Scenario } from '../../firmware-sim/scenario/schema.ts';
import { modelFileTypes } from '../../controllers/model-files.ts';
import { getControllerFactory } from '../../firmware-sim/scenario/controller-types.ts';
import { getPlantFactory } from '../../plants/registry.ts';

/** `hilbench scenarios` and `hilbench describe <scenario>`: what exists, before running anything. */
export function registerDiscover(program: Command): void {
  program
    .command('scenarios')
    .description('list the built-in scenarios with a one-line description')
    .action(() => {
      const names = listBuiltinScenarios();
      const width = Math.max(...names.map((n) => n.length));
      for (const name of names) {
        const raw = readJsonFile(resolveScenarioFile(name)) as { description?: unknown; plant?: unknown };
        const text = typeof raw.description === 'string' ? raw.description : `(${String(raw.plant)} plant, no description)`;
        process.stdout.write(`${name.padEnd(width)}  ${text}\n`);
      }
      process.stdout.write(`\n${names.length} scenarios; \`hilbench describe NAME\` for parameters, signals and controllers\n`);
    });

  program
    .command('describe')
    .description('show a scenario: plant parameters (value, unit, source), sensors, actuators, references, the controllers it accepts')
    .argument('<scenario>', 'built-in scenario name or scenario .json file')
    .action((name: string) => {
      const { scenario, file } = loadScenario(name);
      process.stdout.write(describeScenario(scenario, file));
    });
}

export function describeScenario(s: Scenario, file: string): string {
  const out: string[] = [];
  const plant = getPlantFactory(s.plant);
  const set = s.parameterSet ?? plant.parameterSets[0];
  out.push(`${s.name}: ${s.description ?? '(no description)'}`);
  out.push(`file: ${file}`);
  out.push(`plant: ${s.plant} (${plant.description}); parameter set ${set}${plant.parameterSets.length > 1 ? ` of ${plant.parameterSets.join(', ')}` : ''}`);
  out.push(`timing: dt ${s.dt} s (plant step), Ts ${s.Ts} s (control period), duration ${s.duration} s, ${s.integrator}, board ${s.board}`);

  const defaults = plant.defaults(set);
  const docs = plant.docs?.(set) ?? {};
  const rows = Object.keys(defaults).map((k) => {
    const overridden = Object.hasOwn(s.params, k);
    const range = docs[k]?.range;
    return [k, num(overridden ? s.params[k] : defaults[k]), docs[k]?.unit ?? '', range ? `[${num(range[0])}, ${num(range[1])}]` : '', overridden ? `scenario (default ${num(defaults[k])}: ${docs[k]?.source ?? 'undocumented'})` : (docs[k]?.source ?? '')];
  });
  out.push('', 'plant parameters (change with --set NAME=VALUE within the plausible range):', ...table(['name', 'value', 'unit', 'range', 'source'], rows));
  if (plant.options?.length) out.push(`plant options it reads: ${plant.options.join(', ')}`);
  if (Object.keys(s.plantOptions).length) out.push(`plant options: ${Object.entries(s.plantOptions).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);

  out.push('', 'sensors (plant output → controller input):');
  for (const x of s.sensors) out.push(`  ${x.name} ← ${x.from}  ${x.kind}${x.bits ? `, ${x.bits} bits` : ''}, eng = ${x.gain}·value + ${x.offset}`);
  out.push('actuators (controller output → plant input):');
  for (const a of s.actuators) out.push(`  ${a.name} → ${a.to}  ${a.kind}, range [${a.min}, ${a.max}]`);
  out.push('references:');
  if (!s.references.length) out.push('  (none)');
  for (const r of s.references) out.push(`  ${r.name}  ${describeReference(r)}`);
  if (s.metrics) out.push(`metrics judge ${s.metrics.output} against ${s.metrics.reference}`);

  out.push('', `controller: ${controllerLine(s.controller)}`);
  out.push('--controller accepts:');
  for (const [n, c] of Object.entries(s.controllers ?? {})) out.push(`  ${n.padEnd(16)} ${controllerLine(c)}`);
  out.push('  FILE.json        a controller object (docs/formats.md)');
  const exts = modelFileTypes[s.controller.type];
  if (exts) out.push(`  FILE${exts.join('|')}  a model file for this ${s.controller.type} controller`);
  else out.push(`  (no model files: a ${s.controller.type} controller reads none)`);
  return out.join('\n') + '\n';
}

/** Six significant digits: 333.333, not 333.33333333333337. */
const num = (v: number): string => String(Number(v.toPrecision(6)));

function controllerLine(c: { type: string }): string {
  let what = '';
  try {
    what = getControllerFactory(c.type).description;
  } catch {
    what = 'unknown type';
  }
  const model = (c as { model?: unknown }).model;
  return `${c.type} — ${what}${typeof model === 'string' ? ` (model ${model})` : ''}`;
}

function describeReference(r: Scenario['references'][number]): string {
  switch (r.type) {
    case 'constant':
      return `constant ${r.value}`;
    case 'step':
      return `step ${r.initial} → ${r.final} at ${r.time} s`;
    case 'ramp':
      return `ramp from ${r.start}, slope ${r.slope}/s from ${r.time} s${r.limit !== undefined ? `, limit ${r.limit}` : ''}`;
    case 'table':
      return `table of ${r.points.length} points (${r.interpolation})`;
  }
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}
