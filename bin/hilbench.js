#!/usr/bin/env node
// Runs dist/hilbench.cjs (built by `npm run build`, which `npm ci` runs through `prepare`) while
// it is newer than every source it was built from; otherwise the TypeScript sources through tsx.
import { setFlagsFromString } from 'node:v8';

// A larger inlining budget lets V8 inline the whole plant step (RK4 stages → derivatives), so no
// floating-point argument is boxed on the heap: the simulation loop then allocates nothing per step
// (docs/architecture.md, "Hot loops"). Set before any hot code is compiled.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=4000');
// A run formats every row it records into run.csv: short-lived strings at a steady rate. With V8's
// default heap growth (×2 per major collection) the old generation swells with that garbage for
// minutes before it is collected, so a day-long run would peak far above a minute-long one. Growing
// the heap by 20 % keeps the peak flat at the cost of more frequent, small collections
// (`npm run bench -- run` measures both).
setFlagsFromString('--heap-growing-percent=20');

const { loadBundle } = await import('./bundle.js');
const main = loadBundle() ?? (await sourcesMain());
process.exitCode = await main(process.argv);

async function sourcesMain() {
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../cli/main.ts')).main;
}
