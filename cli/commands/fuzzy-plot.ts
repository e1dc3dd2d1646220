import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { compile, readModelFile, type Engine } from '../../controllers/fuzzy/index.ts';
import { UserError } from '../../errors/user-error.ts';

const warn = (message: string) => process.stderr.write(`hilbench: warning: ${message}\n`);
/** Terms that are functions of their own variable and can be drawn as µ(x). */
const SHAPE_KINDS_EXCLUDED = new Set(['Constant', 'Linear', 'Function']);

/**
 * `hilbench fuzzy plot MODEL [--out DIR]`: membership functions per variable (MATLAB's plotmf) and,
 * for two-input models, each output over the input plane (gensurf), as SVG files and one HTML page.
 * Registered under the `fuzzy` command (cli/commands/fuzzy.ts), which must be registered first.
 */
export function registerFuzzyPlot(program: Command): void {
  const fuzzy = program.commands.find((c) => c.name() === 'fuzzy');
  if (!fuzzy) throw new Error('register the fuzzy command before fuzzy plot');
  fuzzy
    .command('plot')
    .description('plot membership functions per variable and, for 2-input models, the control surface; SVG files plus index.html')
    .argument('<model>', 'model file, .fll, .fis or .fcl')
    .option('--out <dir>', 'output directory (default runs/fuzzy-plot/<model name>)')
    .option('--grid <n>', 'surface points per input (default 41)', (v) => Number(v), 41)
    .action(async (model: string, opts: { out?: string; grid: number }) => {
      if (!Number.isInteger(opts.grid) || opts.grid < 2 || opts.grid > 401) throw new UserError(`--grid ${opts.grid}: expected an integer from 2 to 401`);
      const engine = readModelFile(model, warn);
      const name = basename(model, extname(model));
      const dir = resolve(opts.out ?? join('runs', 'fuzzy-plot', name));
      mkdirSync(dir, { recursive: true });
      const files = await writePlots(engine, name, dir, opts.grid);
      process.stdout.write(`fuzzy plot: ${files.length} files in ${dir}: ${files.join(' ')}\n`);
    });
}

interface Figure {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
  readonly note?: string;
}

export async function writePlots(engine: Engine, name: string, dir: string, grid: number): Promise<string[]> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const v of [...engine.inputs, ...engine.outputs]) {
    const role = v.isOutput ? 'output' : 'input';
    const spec = membershipSpec(v, role);
    if (spec.note && !spec.spec) notes.push(`${role} ${v.name}: ${spec.note}`);
    if (!spec.spec) continue;
    figures.push({ file: `${name}-mf-${v.name}.svg`, title: `${role} ${v.name}: membership functions`, svg: await renderSvg(spec.spec), note: spec.note });
  }
  if (engine.inputs.length === 2) {
    const surface = surfaceData(engine, grid);
    writeFileSync(join(dir, `${name}-surface.csv`), surface.csv);
    for (const out of engine.outputs) {
      figures.push({ file: `${name}-surface-${out.name}.svg`, title: `surface: ${out.name} over ${engine.inputs[0].name} × ${engine.inputs[1].name}`, svg: await renderSvg(surfaceSpec(engine, out.name, surface.rows)) });
    }
  }
  for (const f of figures) writeFileSync(join(dir, f.file), f.svg);
  writeFileSync(join(dir, 'index.html'), page(engine, name, figures, notes));
  return [...figures.map((f) => f.file), ...(engine.inputs.length === 2 ? [`${name}-surface.csv`] : []), 'index.html'];
}

function membershipSpec(v: Engine['inputs'][number] | Engine['outputs'][number], role: string): { spec?: object; note?: string } {
  const drawable = v.terms.filter((t) => !SHAPE_KINDS_EXCLUDED.has(t.kind));
  const constants = v.terms.filter((t) => t.kind === 'Constant');
  const skipped = v.terms.filter((t) => t.kind === 'Linear' || t.kind === 'Function').map((t) => t.name);
  const note = skipped.length ? `not drawn (functions of the inputs, not of ${v.name}): ${skipped.join(', ')}` : undefined;
  const lo = Number.isFinite(v.min) ? v.min : -1;
  const hi = Number.isFinite(v.max) ? v.max : 1;
  const n = 401;
  const rows: { x: number; mu: number; term: string }[] = [];
  for (const t of drawable) {
    for (let i = 0; i < n; i++) {
      const x = lo + ((hi - lo) * i) / (n - 1);
      rows.push({ x, mu: t.membership(x), term: t.name });
    }
  }
  const layers: object[] = [];
  if (rows.length) layers.push({ data: { values: rows }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: xEnc(v, lo, hi), y: muEnc, color: { field: 'term', type: 'nominal', title: 'term' } } });
  // Sugeno singletons: a spike of height 1 at the constant.
  if (constants.length) {
    const spikes = constants.map((t) => ({ x: t.params[0], mu: 1, base: 0, term: t.name }));
    layers.push(
      { data: { values: spikes }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: xEnc(v, lo, hi), y: { field: 'base', type: 'quantitative', title: 'µ', scale: { domain: [0, 1.05] } }, y2: { field: 'mu' }, color: { field: 'term', type: 'nominal', title: 'term' } } },
      { data: { values: spikes }, mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'mu', type: 'quantitative' }, text: { field: 'term' } } },
    );
  }
  if (!layers.length) return { note };
  return { spec: { width: 520, height: 200, title: `${role} ${v.name}${v.description ? ` — ${v.description}` : ''}`, layer: layers }, note };
}

const muEnc = { field: 'mu', type: 'quantitative', title: 'µ', scale: { domain: [0, 1.05] } };
const xEnc = (v: { name: string }, lo: number, hi: number) => ({ field: 'x', type: 'quantitative', title: v.name, scale: { domain: [lo, hi], nice: false } });

/** Every output on a grid × grid lattice over the two inputs' ranges (NaN where no rule fires). */
function surfaceData(engine: Engine, grid: number): { rows: Record<string, number | null>[]; csv: string } {
  const c = compile(engine);
  const [a, b] = engine.inputs;
  const inputs = new Float64Array(2);
  const outputs = new Float64Array(engine.outputs.length);
  const rows: Record<string, number | null>[] = [];
  const lines = [[a.name, b.name, ...engine.outputs.map((o) => o.name)].join(',')];
  const ha = (a.max - a.min) / (grid - 1) / 2;
  const hb = (b.max - b.min) / (grid - 1) / 2;
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      inputs[0] = a.min + ((a.max - a.min) * i) / (grid - 1);
      inputs[1] = b.min + ((b.max - b.min) * j) / (grid - 1);
      c.reset();
      c.evaluate(inputs, outputs);
      // Each grid point is drawn as the cell around it.
      const row: Record<string, number | null> = { x0: inputs[0] - ha, x1: inputs[0] + ha, y0: inputs[1] - hb, y1: inputs[1] + hb };
      engine.outputs.forEach((o, k) => (row[o.name] = Number.isFinite(outputs[k]) ? outputs[k] : null));
      rows.push(row);
      lines.push([inputs[0], inputs[1], ...outputs].map((x) => (Number.isNaN(x) ? 'nan' : String(x))).join(','));
    }
  }
  return { rows, csv: lines.join('\n') + '\n' };
}

function surfaceSpec(engine: Engine, output: string, rows: Record<string, number | null>[]): object {
  const [a, b] = engine.inputs;
  return {
    width: 420,
    height: 420,
    title: `${output} over ${a.name} × ${b.name}`,
    data: { values: rows },
    mark: { type: 'rect', clip: true },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: a.name, scale: { domain: [a.min, a.max], nice: false } },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative', title: b.name, scale: { domain: [b.min, b.max], nice: false } },
      y2: { field: 'y1' },
      color: { field: output, type: 'quantitative', title: output, scale: { scheme: 'redblue', reverse: true } },
    },
  };
}

async function renderSvg(spec: object): Promise<string> {
  const compiled = vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: 'sans-serif' }, ...spec } as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const num = (v: number): string => String(Number(v.toPrecision(6)));

function page(engine: Engine, name: string, figures: readonly Figure[], notes: readonly string[]): string {
  const rules = engine.ruleBlocks.flatMap((b) => b.rules.map((r) => r.text));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(name)}: fuzzy model</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}figure{margin:1em 0}figcaption{font-weight:600}.note{color:#8d6e00}pre{background:#f5f5f5;padding:.5em;overflow:auto}</style></head>
<body><h1>${esc(engine.name || name)}</h1><p>${esc(engine.description)}</p>
<p>${engine.inputs.length} inputs (${engine.inputs.map((v) => `${esc(v.name)} [${num(v.min)}, ${num(v.max)}]`).join(', ')}), ${engine.outputs.length} outputs (${engine.outputs.map((v) => `${esc(v.name)} [${num(v.min)}, ${num(v.max)}]`).join(', ')}), ${rules.length} rules.${engine.inputs.length === 2 ? '' : ' Control surface: only for two-input models.'}</p>
${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${figures.map((f) => `<figure><figcaption>${esc(f.title)}</figcaption>${f.svg}${f.note ? `<p class="note">${esc(f.note)}</p>` : ''}</figure>`).join('\n')}
<h2>Rules</h2><pre>${esc(rules.join('\n'))}</pre>
</body></html>
`;
}
