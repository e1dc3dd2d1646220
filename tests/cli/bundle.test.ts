import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench, repoRoot } from '../helpers/cli.ts';

// The bundle (dist/hilbench.cjs, npm `prepare`) replaces serialport, vega and vega-lite with
// stand-ins that load the packages at first use; each must reach the real package, not itself.
// With a fresh bundle these commands run it (bin/bundle.js); otherwise they run the sources.

describe('the CLI through its bundle', () => {
  it('ports lists serial ports through serialport (SerialPort.list via the stand-in)', () => {
    const r = hilbench(['ports']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/call stack|internal error/);
  });

  it('hil run opens its port with new SerialPort: the real class answers (not a stand-in calling itself)', () => {
    // /dev/null exists but is no tty: the real serialport binding refuses the baud-rate ioctl.
    const r = hilbench(['hil', 'run', 'maglev-fixed', '--port', '/dev/null', '--out', join(mkdtempSync(join(tmpdir(), 'hilbench-bundle-')), 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open \/dev\/null: .*ioctl/);
  });

  it('fuzzy plot renders through vega and vega-lite (loaded at first use)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-bundle-')), 'p');
    const r = hilbench(['fuzzy', 'plot', join(repoRoot, 'scenarios', 'models', 'maglev-pd-sugeno.fll'), '--out', out, '--grid', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'maglev-pd-sugeno-mf-e.svg'), 'utf8')).toMatch(/^<svg/);
  });
});
