import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench } from '../helpers/cli.ts';
import { prepareRunDir } from '../../run/out-dir.ts';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'hilbench-out-'));

describe('where a run writes', () => {
  it('a scenario name with a path in it is refused before anything is written', () => {
    const dir = fresh();
    const file = join(dir, 'escape.json');
    const scenario = JSON.parse(readFileSync(new URL('../../scenarios/maglev.json', import.meta.url), 'utf8'));
    writeFileSync(file, JSON.stringify({ ...scenario, name: '../../escape' }));
    const r = hilbench(['run', file], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/name/);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
    expect(existsSync(join(dir, '..', '..', 'escape'))).toBe(false);
  }, 120_000);

  it('a previous run is replaced whole (no file of it is left beside the new one); a directory holding something else is refused', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'run.meta.json'), '{}');
    writeFileSync(join(dir, 'link.ndjson'), '{"stale":true}\n');
    writeFileSync(join(dir, 'report.html'), 'old');
    expect(prepareRunDir(dir)).toEqual({ replaced: true });
    expect(existsSync(join(dir, 'link.ndjson'))).toBe(false);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    // A run refused at the handshake leaves only link.ndjson: the next run there replaces it.
    const refused = fresh();
    writeFileSync(join(refused, 'link.ndjson'), '{"handshake":"refused"}\n');
    expect(prepareRunDir(refused)).toEqual({ replaced: true });
    expect(existsSync(join(refused, 'link.ndjson'))).toBe(false);
    const other = fresh();
    writeFileSync(join(other, 'thesis.tex'), 'keep me');
    expect(() => prepareRunDir(other)).toThrow(`${other} is not empty and holds no hilbench run`);
    expect(readFileSync(join(other, 'thesis.tex'), 'utf8')).toBe('keep me');
    const nested = join(fresh(), 'a', 'b');
    expect(prepareRunDir(nested)).toEqual({ replaced: false });
    mkdirSync(join(nested, 'sub'));
    expect(() => prepareRunDir(nested)).toThrow(/holds no hilbench run/);
  });

  it('the CLI says in one line that it replaces a previous run', () => {
    const dir = join(fresh(), 'r');
    expect(hilbench(['run', 'maglev', '--duration', '0.05', '--out', dir]).code).toBe(0);
    const again = hilbench(['run', 'maglev', '--duration', '0.05', '--out', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`hilbench: replacing the previous run in ${dir}\n`);
  }, 120_000);
});
