// Loads dist/hilbench.cjs with V8's code cache (dist/hilbench.cjs.cache), which saves compiling
// the 3 MB bundle at every start. Returns its `main`, or undefined when there is no bundle or a
// source is newer than it (an edited checkout runs its sources, never a stale build).
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'dist', 'hilbench.cjs');
const cacheFile = `${file}.cache`;

function fresh() {
  let built;
  try {
    built = statSync(file).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(root, 'dist', 'inputs.json'), 'utf8'));
    return inputs.every((p) => statSync(join(root, p)).mtimeMs <= built);
  } catch {
    return false; // no bundle, or a source it was built from is gone
  }
}

export function loadBundle() {
  if (process.env.HILBENCH_SOURCES === '1' || !fresh()) return undefined;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first start after a build: the cache is written below
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
        renameSync(`${cacheFile}.${process.pid}`, cacheFile);
      } catch {
        // a read-only install only loses the cache
      }
    });
  }
  return module.exports.main;
}
