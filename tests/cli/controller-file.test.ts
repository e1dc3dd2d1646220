import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench, repoRoot } from '../helpers/cli.ts';

// Issue 14 item 7: `--controller FILE` is refused in one line when the scenario's controller type
// reads no model file, or the file is missing; it used to run the PID silently with exit 0.
const dir = mkdtempSync(join(tmpdir(), 'hilbench-ctlfile-'));
const model = join(repoRoot, 'scenarios', 'models', 'maglev-pd-sugeno.fll');

function oneLineRefusal(args: string[]): string {
  const r = hilbench(args);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).not.toMatch(/completed/);
  return r.stderr;
}

describe('run --controller FILE', () => {
  it('a model file for a PID scenario: refused, naming the type and the types that read model files', () => {
    const fis = join(dir, 'model.fis');
    writeFileSync(fis, '[System]\nName=x\n');
    const err = oneLineRefusal(['run', 'maglev', '--controller', fis, '--duration', '0.01', '--out', join(dir, 'a')]);
    expect(err).toMatch(/controller type 'pid' reads no model file; model files go to fuzzy \(\.fll \.fis \.fcl\), anfis/);
    oneLineRefusal(['run', 'maglev', '--controller', model, '--duration', '0.01', '--out', join(dir, 'b')]);
  });

  it('a model file that does not exist: refused', () => {
    const err = oneLineRefusal(['run', 'maglev-fuzzy', '--controller', join(dir, 'missing.fll'), '--duration', '0.01', '--out', join(dir, 'c')]);
    expect(err).toMatch(/missing\.fll': no such file/);
  });

  it('an existing model for a fuzzy scenario still runs', () => {
    const own = join(repoRoot, 'scenarios', 'models', 'maglev-sugeno.fll');
    const r = hilbench(['run', 'maglev-fuzzy', '--controller', own, '--duration', '0.01', '--out', join(dir, 'd')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/maglev-fuzzy: completed/);
  });
});
