import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The rooms (top-level folders) and which rooms each may import (docs/architecture.md, issue 11):
 * cli → hil, tuning → run → report, firmware-sim → boards → plants, controllers, protocol. errors/ and
 * formats/ (the one CSV reader) are the ground floor anyone may import; bench/ and tests/ may import anything. firmware-sim reads the
 * board profiles (the simulated MCU is a board), boards imports nothing from firmware-sim.
 */
const lower: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  formats: [],
  protocol: [],
  plants: [],
  // controllers/navigation reads the Pioneer's published description from plants/robot (documented
  // exception); the fixed-point controllers take the protocol's micro-units.
  controllers: ['plants', 'protocol'],
  boards: ['controllers', 'plants', 'protocol'],
  'firmware-sim': ['boards', 'controllers', 'plants', 'protocol'],
  // report.html, plot.svg and the summary: drawn from a run's record, knowing plants' units.
  report: ['plants'],
  run: ['report', 'firmware-sim', 'boards', 'controllers', 'plants', 'protocol'],
  hil: ['run', 'report', 'firmware-sim', 'boards', 'controllers', 'plants', 'protocol'],
  tuning: ['run', 'report', 'firmware-sim', 'boards', 'controllers', 'plants', 'protocol'],
  cli: ['hil', 'tuning', 'run', 'report', 'firmware-sim', 'boards', 'controllers', 'plants', 'protocol'],
};
const anyone = ['errors', 'formats'];
// Tools, not rooms of the product: benches, tests, the build script, the screenshot script under docs/.
const unrestricted = ['bench', 'tests', 'scripts', 'docs'];

/** Arrows that break the table today and are being removed; the test fails when one is gone, so the list shrinks. */
const pending: string[] = [];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'runs') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const room = (file: string): string => relative(root, file).split(sep)[0];

/** Room → rooms it imports, with one example file per arrow; relative imports only (packages are no room). */
function roomGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(root)) {
    if (dirname(file) === root) continue; // config files at the top (vitest.config.ts) belong to no room
    // TypeScript's own pre-parser: import, export … from, import() and import type alike.
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const from = room(file);
      const to = room(resolve(dirname(file), fileName));
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const arrows = graph.get(from)!;
      if (!arrows.has(to)) arrows.set(to, `${relative(root, file)} imports ${fileName}`);
    }
  }
  return graph;
}

/** A cycle through the rooms, as 'a -> b -> a', or null (depth-first search on the room graph). */
function findCycle(graph: Map<string, Map<string, string>>): string | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (v: string): string | null => {
    state.set(v, 'open');
    path.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (state.get(w) === 'open') return [...path.slice(path.indexOf(w)), w].join(' -> ');
      if (!state.has(w)) {
        const c = visit(w);
        if (c) return c;
      }
    }
    path.pop();
    state.set(v, 'done');
    return null;
  };
  for (const v of graph.keys()) {
    if (!state.has(v)) {
      const c = visit(v);
      if (c) return c;
    }
  }
  return null;
}

describe('folder-level imports', () => {
  const graph = roomGraph();

  it('sees the rooms and their arrows (the parser finds imports)', () => {
    expect(graph.get('cli')?.has('hil')).toBe(true);
    expect(graph.get('firmware-sim')?.has('plants')).toBe(true);
    expect(graph.get('hil')?.has('protocol')).toBe(true);
  });

  it('has no cycle between top-level rooms', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const g = new Map([
      ['a', new Map([['b', '']])],
      ['b', new Map([['c', '']])],
      ['c', new Map([['a', '']])],
    ]);
    expect(findCycle(g)).toBe('a -> b -> c -> a');
  });

  it('every arrow points down the table', () => {
    const bad: string[] = [];
    const stillPending: string[] = [];
    for (const [from, arrows] of graph) {
      if (unrestricted.includes(from)) continue;
      for (const [to, example] of arrows) {
        if (anyone.includes(to) || lower[from]?.includes(to)) continue;
        if (pending.includes(`${from} -> ${to}`)) stillPending.push(`${from} -> ${to}`);
        else bad.push(`${from} -> ${to} (${example})`);
      }
    }
    expect(bad).toEqual([]);
    expect(stillPending.sort()).toEqual([...pending].sort());
  });

  it('knows every room', () => {
    const known = [...Object.keys(lower), ...unrestricted];
    expect([...graph.keys()].filter((r) => !known.includes(r))).toEqual([]);
  });
});
