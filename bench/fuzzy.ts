import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { Engine, InputVariable, OutputVariable, RuleBlock, Term, compile, readModelFile, writeFll } from '../controllers/fuzzy/index.ts';
import { Xoshiro128 } from '../firmware-sim/rng.ts';

/**
 * Inferences per second of hilbench's compiled fuzzy evaluator and of fuzzylite 6 (Debian's
 * libfuzzylite-dev, C++ harness built here with g++ -O2 into a temp dir) on the same models and
 * the same inputs, best of five interleaved runs; the output checksums must agree.
 */
/** The Mamdani model of the bench, also driven by tests/fuzzy/allocation.test.ts. */
export function mamdaniModel(): Engine {
  // PD-style Mamdani: 2 inputs × 3 triangles, 9 rules, 5 output triangles, centroid at fuzzylite's
  // default resolution (100), min/max/min.
  const e = new Engine('mamdani_pd');
  for (const n of ['error', 'rate']) {
    const v = new InputVariable(n, -1, 1);
    v.addTerm(new Term('neg', 'Triangle', [-2, -1, 0])).addTerm(new Term('zero', 'Triangle', [-1, 0, 1])).addTerm(new Term('pos', 'Triangle', [0, 1, 2]));
    e.addInput(v);
  }
  const o = new OutputVariable('u', -1, 1);
  ['nb', 'ns', 'z', 'ps', 'pb'].forEach((t, i) => o.addTerm(new Term(t, 'Triangle', [-1.5 + i * 0.5, -1 + i * 0.5, -0.5 + i * 0.5])));
  e.addOutput(o);
  const b = new RuleBlock('pd');
  const names = ['neg', 'zero', 'pos'];
  const outs = ['nb', 'ns', 'z', 'ps', 'pb'];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) b.addRule(`if error is ${names[i]} and rate is ${names[j]} then u is ${outs[i + j]}`);
  e.addRuleBlock(b);
  return e;
}

function inputsFor(engine: Engine, rows: number): number[][] {
  const rng = new Xoshiro128(2463534242);
  return Array.from({ length: rows }, () => engine.inputs.map((v) => v.min + (v.max - v.min) * rng.uniform()));
}

async function runOurs(engine: Engine, table: number[][], n: number): Promise<{ inferences_per_s: number; checksum: number; gcs: number }> {
  const fast = compile(engine);
  const nIn = engine.inputs.length;
  const flat = Float64Array.from(table.flat());
  const rows = table.length;
  const x = new Float64Array(nIn);
  const y = new Float64Array(engine.outputs.length);
  const once = (count: number) => {
    let checksum = 0;
    for (let k = 0; k < count; k++) {
      const base = (k % rows) * nIn;
      for (let i = 0; i < nIn; i++) x[i] = flat[base + i];
      fast.evaluate(x, y);
      for (let o = 0; o < y.length; o++) if (y[o] === y[o]) checksum += y[o];
    }
    return checksum;
  };
  once(Math.min(n, 20000)); // warm-up, as the C++ harness does
  fast.reset();
  // start from an empty young generation, so a collection counted below is one the loop caused
  (globalThis as { gc?: () => void }).gc?.();
  let gcs = 0;
  const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  const checksum = once(n);
  const secs = (performance.now() - t0) / 1000;
  // Observer callbacks are delivered asynchronously: let them arrive before disconnecting.
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  return { inferences_per_s: n / secs, checksum, gcs };
}

export async function benchFuzzy(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-fuzzy-bench-'));
  const harness = join(dir, 'fuzzylite-harness');
  try {
    execFileSync('g++', ['-O2', '-std=c++11', '-o', harness, fileURLToPath(new URL('./fuzzy/fuzzylite-harness.cpp', import.meta.url)), '-lfuzzylite'], { stdio: 'pipe' });
  } catch (e) {
    console.log(`fuzzy: cannot build the fuzzylite harness (install g++ and libfuzzylite-dev): ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const models: { label: string; engine: Engine; n: number }[] = [
    { label: 'Mamdani, 2 inputs, 9 rules, centroid (resolution 100)', engine: mamdaniModel(), n: 200_000 },
    { label: 'Sugeno, maglev-sugeno.fll (4 inputs, 12 rules, 2 outputs)', engine: readModelFile(join(root, 'scenarios/models/maglev-sugeno.fll')), n: 1_000_000 },
    { label: 'Sugeno, solar-tracker.fll (3 inputs, 27 rules, TVFI)', engine: readModelFile(join(root, 'scenarios/models/solar-tracker.fll')), n: 1_000_000 },
  ];
  for (const m of models) {
    const fll = join(dir, `${m.engine.name}.fll`);
    const data = join(dir, `${m.engine.name}.txt`);
    writeFileSync(fll, writeFll(m.engine));
    const table = inputsFor(m.engine, 10_000);
    writeFileSync(data, table.map((r) => r.map((v) => v.toPrecision(17)).join(' ')).join('\n') + '\n');
    // both semantics of the same model, interleaved with fuzzylite in the same process
    const semantics = ['fuzzylite', 'matlab'] as const;
    const ours: Record<string, Awaited<ReturnType<typeof runOurs>>[]> = { fuzzylite: [], matlab: [] };
    const theirs: { inferences_per_s: number; checksum: number }[] = [];
    for (let rep = 0; rep < 5; rep++) {
      for (const s of semantics) {
        m.engine.semantics = s;
        ours[s].push(await runOurs(m.engine, table, m.n));
      }
      theirs.push(JSON.parse(execFileSync(harness, ['bench', fll, data, String(m.n)], { encoding: 'utf8' })));
    }
    const best = <T extends { inferences_per_s: number }>(xs: T[]) => xs.reduce((a, b) => (b.inferences_per_s > a.inferences_per_s ? b : a));
    const t = best(theirs);
    console.log(`${m.label}, ${m.n.toExponential(0)} inferences, best of 5 interleaved:`);
    console.log(`  fuzzylite 6 (C++ -O2): ${Math.round(t.inferences_per_s).toLocaleString('en')} inferences/s`);
    for (const s of semantics) {
      const o = best(ours[s]);
      const agree = Math.abs(o.checksum - t.checksum) <= 1e-9 * Math.max(1, Math.abs(t.checksum));
      // only fuzzylite semantics must reproduce fuzzylite's outputs
      const check = s === 'fuzzylite' ? `same outputs (checksum): ${agree ? 'yes' : `NO (${o.checksum} vs ${t.checksum})`}` : `checksum ${o.checksum.toPrecision(12)}`;
      console.log(
        `  hilbench, ${s} semantics: ${Math.round(o.inferences_per_s).toLocaleString('en')} inferences/s   ratio ${(o.inferences_per_s / t.inferences_per_s).toFixed(2)} (target ≥ 3)   ${check}   GCs during measured runs: ${ours[s].map((r) => r.gcs).join('/')}`,
      );
    }
  }
}
