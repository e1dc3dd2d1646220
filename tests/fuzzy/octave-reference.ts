import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The reference for `matlab` semantics: Debian's Octave with its fuzzy-logic-toolkit (readfis,
 * evalfis), one `octave-cli` process per call evaluating every job, so a test file starts Octave once.
 *
 * Where the toolkit departs from MATLAB, MATLAB's formulas are put on Octave's path (docs/fuzzy.md):
 * - trimf, trapmf, gbellmf: the toolkit's parameter checks reject flat ends (a = b) and a non-integer
 *   b; these files compute MATLAB's formulas without them;
 * - defuzzification: the toolkit's centroid integrates with trapz (half weight at both ends), its
 *   bisector returns an index, som/lom ignore MATLAB's |x|, and it returns NaN when nothing fired;
 *   hb_* are MATLAB's defuzz formulas and the middle of the range for an all-zero set;
 * - Sugeno: the toolkit merges rules that share an output value with AggMethod (max keeps only
 *   one of them); MATLAB adds every rule, so Sugeno models are evaluated with AggMethod 'sum'.
 * Octave's own fuzzification, rule firing, hedges, implication and aggregation are used unchanged.
 */
export function octaveAvailable(): boolean {
  // run in a temp dir: octave-cli may leave an `octave-workspace` file in its working directory
  const r = spawnSync('octave-cli', ['-q', '--eval', "pkg load fuzzy-logic-toolkit; disp(exist('evalfis'))"], { encoding: 'utf8', cwd: mkdtempSync(join(tmpdir(), 'hilbench-oct-')) });
  return r.status === 0 && r.stdout.trim() === '2';
}

export interface OctaveJob {
  /** A .fis file Octave reads with readfis. */
  fis: string;
  rows: readonly (readonly number[])[];
}

const OVERRIDES: Record<string, string> = {
  'trimf.m': `function y = trimf (x, p)
  y = max (0, min (min (1, (x - p(1)) ./ (p(2) - p(1))), (p(3) - x) ./ (p(3) - p(2))));
endfunction`,
  'trapmf.m': `function y = trapmf (x, p)
  y = max (0, min (min (1, (x - p(1)) ./ (p(2) - p(1))), (p(4) - x) ./ (p(4) - p(3))));
endfunction`,
  'gbellmf.m': `function y = gbellmf (x, p)
  y = 1 ./ (1 + abs ((x - p(3)) ./ p(1)) .^ (2 * p(2)));
endfunction`,
  'hb_centroid.m': `function r = hb_centroid (x, y)
  a = sum (y);
  if (a == 0) r = (x(1) + x(end)) / 2; else r = sum (y .* x) / a; endif
endfunction`,
  'hb_bisector.m': `function r = hb_bisector (x, y)
  a = sum (y);
  if (a == 0) r = (x(1) + x(end)) / 2; return; endif
  r = x(find (cumsum (y) >= a / 2, 1));
endfunction`,
  'hb_mom.m': `function r = hb_mom (x, y)
  if (sum (y) == 0) r = (x(1) + x(end)) / 2; return; endif
  r = mean (x(y == max (y)));
endfunction`,
  'hb_som.m': `function r = hb_som (x, y)
  if (sum (y) == 0) r = (x(1) + x(end)) / 2; return; endif
  t = x(y == max (y)); [~, i] = min (abs (t)); r = t(i);
endfunction`,
  'hb_lom.m': `function r = hb_lom (x, y)
  if (sum (y) == 0) r = (x(1) + x(end)) / 2; return; endif
  t = x(y == max (y)); [~, i] = max (abs (t)); r = t(i);
endfunction`,
};

/**
 * evalfis of every job's rows; a row Octave cannot evaluate (e.g. a Sugeno output no rule reaches,
 * which the toolkit rejects) comes back as NaN in every output.
 */
export function octaveEvalMany(jobs: readonly OctaveJob[]): number[][][] {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-oct-'));
  for (const [name, text] of Object.entries(OVERRIDES)) writeFileSync(join(dir, name), text + '\n');
  const script: string[] = [
    'pkg load fuzzy-logic-toolkit',
    `addpath('${dir}')`,
    "warning('off', 'all')",
  ];
  jobs.forEach((job, k) => {
    const input = join(dir, `in${k}.txt`);
    writeFileSync(input, job.rows.map((r) => r.map((v) => v.toPrecision(17)).join(' ')).join('\n') + '\n');
    const output = join(dir, `out${k}.txt`);
    script.push(
      `fis = readfis('${resolve(job.fis)}');`,
      "if (strcmp (fis.type, 'sugeno')) fis.aggMethod = 'sum'; elseif (any (strcmp (fis.defuzzMethod, {'centroid', 'bisector', 'mom', 'som', 'lom'}))) fis.defuzzMethod = ['hb_' fis.defuzzMethod]; endif",
      `X = load('${input}'); Y = nan (rows (X), columns (fis.output));`,
      // all rows at once; row by row only when one of them fails
      'try Y = evalfis (X, fis); catch for r = 1 : rows (X) try Y(r, :) = evalfis (X(r, :), fis); catch end_try_catch endfor end_try_catch',
      `f = fopen('${output}', 'w'); fprintf(f, [repmat('%.17g ', 1, columns (Y)) '\\n'], Y'); fclose(f);`,
    );
  });
  const file = join(dir, 'hilbench_evalfis_jobs.m');
  writeFileSync(file, script.join('\n') + '\n');
  const r = spawnSync('octave-cli', ['-q', '--no-gui', file], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: dir });
  if (r.status !== 0) throw new Error(`octave-cli failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return jobs.map((_, k) =>
    readFileSync(join(dir, `out${k}.txt`), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().split(/\s+/).map((s) => (/nan/i.test(s) ? NaN : Number(s)))),
  );
}

/** Agreement to 1e-9 relative to max(1, |y|) (the tolerance). */
export function closeMatlab(ours: number, octave: number, tol = 1e-9): boolean {
  if (Number.isNaN(ours) || Number.isNaN(octave)) return Number.isNaN(ours) && Number.isNaN(octave);
  return Math.abs(ours - octave) <= tol * Math.max(1, Math.abs(octave));
}
