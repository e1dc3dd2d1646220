#!/usr/bin/env node
// Bundles the CLI's TypeScript sources into dist/hilbench.cjs once (npm `prepare`), so a command
// starts without compiling ~300 files through tsx; bin/hilbench.js runs the bundle only while it
// is newer than every source it was built from (dist/inputs.json), otherwise the sources.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outFile = join(dist, 'hilbench.cjs');

// Sources find their data (scenarios/, templates/, static/, package.json) relative to their own
// file: each keeps the URL of its source file, not the bundle's.
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const rel = relative(dist, args.path).split('\\').join('/');
      const text = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __hilbenchBundleUrl).href`);
      return { contents: text, loader: 'ts' };
    });
  },
};

// `serialport` loads its native binding and ~40 modules when imported; only commands that open a
// port need it, so the bundle imports a stand-in that requires the package at first use.
const lazySerialport = {
  name: 'lazy-serialport',
  setup(b) {
    // The stand-in's own require('serialport') is the real package, left in node_modules.
    b.onResolve({ filter: /^serialport$/ }, (args) =>
      args.namespace === 'lazy-serialport' ? { path: 'serialport', external: true } : { path: 'serialport', namespace: 'lazy-serialport' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-serialport' }, () => ({
      loader: 'js',
      contents: `let real;
const load = () => (real ??= require('serialport').SerialPort);
export const SerialPort = new Proxy(function SerialPort() {}, {
  construct: (_t, args, target) => Reflect.construct(load(), args, target === SerialPort ? load() : target),
  get: (_t, key) => (key === 'prototype' ? load().prototype : Reflect.get(load(), key)),
  has: (_t, key) => Reflect.has(load(), key),
});`,
    }));
  },
};

// vega and vega-lite take a tenth of a second to initialise and only report and plot commands use
// them: the bundle imports stand-ins whose require() esbuild turns into a lazy initialiser.
const lazyVega = {
  name: 'lazy-vega',
  setup(b) {
    // Only hilbench's own imports: vega-lite's imports of vega resolve to the real package.
    b.onResolve({ filter: /^vega(-lite)?$/ }, (args) =>
      args.namespace === 'lazy-vega' || args.importer.includes('node_modules') ? undefined : { path: args.path, namespace: 'lazy-vega' },
    );
    b.onLoad({ filter: /^vega$/, namespace: 'lazy-vega' }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: `export const parse = (...args) => require('vega').parse(...args);
export const View = new Proxy(function View() {}, { construct: (_t, args) => new (require('vega').View)(...args) });`,
    }));
    b.onLoad({ filter: /^vega-lite$/, namespace: 'lazy-vega' }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: `export const compile = (...args) => require('vega-lite').compile(...args);`,
    }));
  },
};

// vega-canvas's Node build awaits import('canvas') at top level, which a CommonJS bundle cannot
// hold; its browser build is the same minus that optional package, which hilbench never installs.
const vegaCanvasWithoutNodeCanvas = {
  name: 'vega-canvas-browser',
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: join(root, 'node_modules/vega-canvas/build/vega-canvas.browser.js') }));
  },
};

mkdirSync(dist, { recursive: true });
// jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow (the bundle died
// with "Cannot find module './impl/format'"); its ES module build bundles cleanly.
const jsoncParserEsm = {
  name: 'jsonc-parser-esm',
  setup(b) {
    b.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: join(root, 'node_modules', 'jsonc-parser', 'lib', 'esm', 'main.js') }));
  },
};

const result = await build({
  entryPoints: [join(root, 'cli', 'main.ts')],
  outfile: outFile + '.tmp',
  bundle: true,
  platform: 'node',
  // CommonJS so bin/hilbench.js can compile it through vm.Script with V8's code cache (Node 20
  // has no compile cache for ES modules).
  format: 'cjs',
  target: 'node20',
  // Native bindings and packages loaded through createRequire stay in node_modules; so does avr8js,
  // whose instruction loop ran the emulated board about 20 % slower from the bundle than from its own files.
  external: ['@serialport/*', 'johnny-five', 'firmata-io', 'avr8js', 'playwright-core', 'tsx', 'esbuild'],
  banner: { js: "const __hilbenchBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [sourceUrls, lazySerialport, lazyVega, vegaCanvasWithoutNodeCanvas, jsoncParserEsm],
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
// What the bundle was built from, for bin/hilbench.js's freshness check.
const inputs = [...Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules') && !p.includes(':')), 'package-lock.json', 'scripts/build.mjs'];
writeFileSync(join(dist, 'inputs.json.tmp'), JSON.stringify(inputs));
rmSync(outFile + '.cache', { force: true });
renameSync(outFile + '.tmp', outFile); // atomic: a command starting meanwhile sees the old bundle or the new one
renameSync(join(dist, 'inputs.json.tmp'), join(dist, 'inputs.json'));
// One run writes V8's code cache next to the bundle (dist/hilbench.cjs.cache).
execFileSync(process.execPath, [join(root, 'bin', 'hilbench.js'), '--version'], { stdio: 'ignore' });
