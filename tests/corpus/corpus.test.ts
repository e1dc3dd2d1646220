import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbenchInProcess } from '../helpers/cli.ts';

/**
 * The bad-input corpus (issue 12): every file under tests/corpus/ is an input a user could hand
 * hilbench — scenario JSON, .fll/.fis/.fcl models, CSV tables, robot maps — and cases.json says which
 * command reads it. A bad input must exit 1 with at most three lines on stderr naming the file (and
 * the line where there is one), no stack trace, no internal error, no raw control characters, and
 * nothing written where the output was to go. The valid-but-odd inputs (`expect: ok`) must work.
 * The CLI runs in this process (tests/helpers/cli.ts), so the corpus costs no process starts.
 */
interface Case {
  id: string;
  args: string[];
  expect: 'refused' | 'ok';
  /** File names the message must contain. */
  names?: string[];
  /** The message must give a line number after the file name. */
  line?: boolean;
  /** A regular expression the message (stdout for `ok`) must match. */
  match?: string;
  /** `{out}` is an output location that must stay empty after a refusal. */
  out?: boolean;
}

const corpus = import.meta.dirname;
const cases = JSON.parse(readFileSync(join(corpus, 'cases.json'), 'utf8')) as Case[];
const scratch = mkdtempSync(join(tmpdir(), 'hilbench-corpus-'));

// Inputs that cannot live in the repository as they are (400 kB of brackets, symbolic links): made here.
const made = mkdtempSync(join(scratch, 'made-'));
writeFileSync(join(made, 'nested-200000.json'), `{"name": "deep", "params": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
symlinkSync(join(made, 'loop-b.json'), join(made, 'loop-a.json'));
symlinkSync(join(made, 'loop-a.json'), join(made, 'loop-b.json'));
symlinkSync(join(made, 'nowhere.json'), join(made, 'dangling.json'));
cases.push(
  { id: 'made/nested-200000', args: ['run', join(made, 'nested-200000.json'), '--out', '{out}'], expect: 'refused', names: ['nested-200000.json'], line: true, match: 'nested', out: true },
  { id: 'made/symlink-loop', args: ['run', join(made, 'loop-a.json'), '--out', '{out}'], expect: 'refused', names: ['loop-a.json'], match: 'symbolic link loop', out: true },
  { id: 'made/dangling-symlink', args: ['run', join(made, 'dangling.json'), '--out', '{out}'], expect: 'refused', names: ['dangling.json'], match: 'no such scenario', out: true },
);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir).flatMap((e) => filesUnder(join(dir, e)));
}

describe('bad-input corpus', () => {
  it('holds at least 150 bad inputs across every kind, and valid-but-odd ones', () => {
    const refused = cases.filter((c) => c.expect === 'refused');
    expect(refused.length).toBeGreaterThanOrEqual(150);
    for (const kind of ['scenario', 'cli', 'fuzzy', 'csv', 'maps']) expect(refused.filter((c) => c.id.startsWith(`${kind}/`)).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => c.expect === 'ok').length).toBeGreaterThanOrEqual(15);
  });

  for (const c of cases) {
    it(`${c.expect === 'ok' ? 'works' : 'refuses'}: ${c.id}`, { timeout: 60_000 }, async () => {
      const out = join(scratch, c.id.replace(/[^A-Za-z0-9.-]+/g, '_'));
      const args = c.args.map((a) => a.replaceAll('{corpus}', corpus).replaceAll('{out}', out));
      const r = await hilbenchInProcess(args);
      const shown = `hilbench ${args.join(' ')}\nexit ${r.code}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout.slice(0, 2000)}`;
      if (c.expect === 'ok') {
        expect(r.code, shown).toBe(0);
        if (c.match) expect(r.stdout, shown).toMatch(new RegExp(c.match));
        return;
      }
      expect(r.code, shown).toBe(1);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines.length, shown).toBeGreaterThanOrEqual(1);
      expect(lines.length, shown).toBeLessThanOrEqual(3);
      expect(r.stderr, shown).not.toMatch(/internal error|^\s+at /m);
      // eslint-disable-next-line no-control-regex
      expect(r.stderr, shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      for (const name of c.names ?? []) {
        expect(r.stderr, shown).toContain(name);
        if (c.line) expect(r.stderr, shown).toMatch(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
      }
      if (c.match) expect(r.stderr, shown).toMatch(new RegExp(c.match));
      if (c.out) expect(filesUnder(out), shown).toEqual([]);
    });
  }
});
