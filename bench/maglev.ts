import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControllerFirmware } from '../firmware-sim/firmware-link.ts';
import type { RowSink } from '../firmware-sim/recorder.ts';
import { buildRun, streamSeed } from '../firmware-sim/scenario/build.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { SimulatedPlant } from '../firmware-sim/simulation.ts';
import { RunLoop } from '../run/loop.ts';

/** Receives every row like the recorder does, keeps a checksum of x_m, stores nothing. */
class ChecksumSink implements RowSink {
  checksum = 0;
  last = 0;
  begin(): void {}
  write(row: Float64Array): void {
    this.checksum += row[1];
    this.last = row[row.length - 1];
  }
  end(): void {}
}

interface TsFigures {
  steps_per_s: number;
  x_m: number;
  checksum: number;
  /** Garbage collections that ran during the measured loop: none means nothing was allocated per step. */
  gcs: number;
  /** Heap still in use after a full collection, minus before the run. */
  retained_B: number;
}

async function runTs(steps: number): Promise<TsFigures> {
  const built = buildRun(loadScenario('maglev', { duration: steps * 1e-4 }));
  const sink = new ChecksumSink();
  const sim = new SimulatedPlant(built.config, sink);
  const loop = new RunLoop(sim, new ControllerFirmware(built.controller, built.sensors, built.actuators), built.config.references);
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  loop.runSync();
  const secs = (performance.now() - t0) / 1000;
  // Observer callbacks are delivered asynchronously: let them arrive before disconnecting.
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  global.gc?.();
  const retained = process.memoryUsage().heapUsed - heap0;
  return { steps_per_s: steps / secs, x_m: sim.x[0], checksum: sink.checksum, gcs, retained_B: retained };
}

export async function benchMaglev(): Promise<void> {
  const steps = 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-bench-'));
  const source = fileURLToPath(new URL('./c/maglev-loop.c', import.meta.url));
  const exe = join(dir, 'maglev-loop');
  const exeConst = join(dir, 'maglev-loop-const');
  execFileSync('gcc', ['-O2', '-o', exe, source, '-lm']);
  execFileSync('gcc', ['-O2', '-DCONST_PARAMS', '-o', exeConst, source, '-lm']);
  const seed = streamSeed(1, 0);
  await runTs(1_000_000); // warm-up: let the JIT compile the loop
  // Interleaved, best of three each: the figures are the loops' speeds, not the machine's other load.
  const runs: TsFigures[] = [];
  type CFigures = { steps_per_s: number; x_m: number; checksum: number };
  const cRuns: CFigures[] = [];
  const cConstRuns: CFigures[] = [];
  for (let rep = 0; rep < 3; rep++) {
    runs.push(await runTs(steps));
    cRuns.push(JSON.parse(execFileSync(exe, [String(steps), String(seed)], { encoding: 'utf8' })));
    cConstRuns.push(JSON.parse(execFileSync(exeConst, [String(steps), String(seed)], { encoding: 'utf8' })));
  }
  const best = <T extends { steps_per_s: number }>(xs: T[]): T => xs.reduce((a, b) => (b.steps_per_s > a.steps_per_s ? b : a));
  const ts = best(runs);
  const c = best(cRuns);
  const cConst = best(cConstRuns);
  const agree = [c, cConst].every((r) => Math.abs(ts.x_m - r.x_m) < 1e-9 && Math.abs(ts.checksum - r.checksum) < 1e-6 * Math.abs(r.checksum));
  console.log(`maglev RK4 + PID loop, ${steps.toExponential(0)} plant steps (dt 0.1 ms, control 1 kHz), best of 3 interleaved runs:`);
  console.log(`  TypeScript: ${(ts.steps_per_s / 1e6).toFixed(2)} M steps/s`);
  console.log(`  C (gcc -O2), parameters read at run time like the scenario's: ${(c.steps_per_s / 1e6).toFixed(2)} M steps/s`);
  console.log(`  C (gcc -O2), parameters as compile-time constants (folded): ${(cConst.steps_per_s / 1e6).toFixed(2)} M steps/s`);
  console.log(`  ratio TS/C: ${(ts.steps_per_s / c.steps_per_s).toFixed(2)} (target ≥ 0.5); against the constant-folded C: ${(ts.steps_per_s / cConst.steps_per_s).toFixed(2)}`);
  console.log(`  same trajectory: ${agree ? 'yes' : 'NO'} (x_m TS ${ts.x_m} / C ${c.x_m})`);
  const gcs = runs.map((r) => r.gcs).join('/');
  const retained = Math.max(...runs.map((r) => r.retained_B));
  console.log(`  minor garbage collections during each measured run: ${gcs} (per ${steps.toExponential(0)} steps; the plant step allocates nothing, a control tick may box its time argument)`);
  console.log(`  heap retained after a run: ${retained} bytes = ${((retained / steps) * 1e6).toFixed(1)} bytes per million steps${global.gc ? '' : ' (run with --expose-gc for this figure)'}`);
}
