import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../controllers/fuzzy/index.ts';

/**
 * The reference engine: Debian's `fuzzylite` CLI (fuzzylite 6) evaluating a model on a table of
 * inputs. Its exit code is 0 even on errors, so anything on stderr fails the call.
 */
export function fuzzyliteAvailable(): boolean {
  return spawnSync('fuzzylite', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function fuzzyliteEval(modelPath: string, rows: number[][], decimals = 12): number[][] {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-fl-'));
  const input = join(dir, 'in.fld');
  const output = join(dir, 'out.fld');
  writeFileSync(input, rows.map((r) => r.map(flNumber).join(' ')).join('\n') + '\n');
  const r = spawnSync('fuzzylite', ['-i', modelPath, '-of', 'fld', '-d', input, '-o', output, '-decimals', String(decimals), '-dheader', 'false'], {
    encoding: 'utf8',
  });
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`fuzzylite failed on ${modelPath}: ${r.stderr.trim() || `exit ${r.status}`}`);
  const lines = readFileSync(output, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((l) => l.trim().split(/\s+/).map(Number));
}

/** fuzzylite converts a model between formats by extension. */
export function fuzzyliteConvert(from: string, to: string): void {
  const r = spawnSync('fuzzylite', ['-i', from, '-o', to], { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`fuzzylite convert failed: ${r.stderr.trim()}`);
}

function flNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x.toPrecision(17);
}

/** Agreement to 1e-9 absolute, or relative for values beyond ±1; NaN only matches NaN. */
export function close(a: number, b: number, tol = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Inputs that probe a model: every term parameter of each input (where comparisons with
 * macheps matter), the range ends, midpoints, and seeded pseudo-random points, combined
 * across inputs by a deterministic shuffle.
 */
export function probeInputs(engine: Engine, count: number, seed = 7): number[][] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const candidates = engine.inputs.map((v) => {
    const lo = Number.isFinite(v.min) ? v.min : -10;
    const hi = Number.isFinite(v.max) ? v.max : 10;
    const special = new Set<number>([lo, hi, (lo + hi) / 2]);
    for (const t of v.terms) for (const p of t.params) if (Number.isFinite(p) && p >= lo && p <= hi) special.add(p);
    return { lo, hi, special: [...special] };
  });
  const rows: number[][] = [];
  for (let k = 0; k < count; k++) {
    rows.push(
      candidates.map((c) => {
        const r = rand();
        if (r < 0.3) return c.special[Math.floor(rand() * c.special.length)];
        return c.lo + (c.hi - c.lo) * rand();
      }),
    );
  }
  return rows;
}

export const EXAMPLES_DIR = '/usr/share/doc/fuzzylite/examples';

/** Every example model the fuzzylite package ships as .fll. */
export function exampleModels(): string[] {
  const out = execFileSync('find', [EXAMPLES_DIR, '-name', '*.fll'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).sort();
}
