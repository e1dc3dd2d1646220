import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReplay } from '../../hil/dashboard/replay.ts';

const write = (name: string, text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'hilbench-replay-')), name);
  writeFileSync(p, text);
  return p;
};

describe('loadReplay', () => {
  it('reads a log CSV: metadata and gap comments, empty cells, nan/inf, a torn tail after a crash', () => {
    const p = write(
      'log.csv',
      '# {"format":"hilbench-log","units":{"x_m":"m"}}\nt_s,x_m,u_V\n0,1,nan\n0.5,,inf\n# gap from t_s=0.5 to t_s=2 (port reopened)\n2,3,-inf\n2.1,4',
    );
    const r = loadReplay(p);
    expect(r.columns).toEqual(['t_s', 'x_m', 'u_V']);
    expect(r.data).toEqual([
      [0, 0.5, 2],
      [1, null, 3],
      [NaN, Infinity, -Infinity],
    ]);
    expect(r.notes).toEqual([{ row: 2, text: 'gap from t_s=0.5 to t_s=2 (port reopened)' }]);
    expect(r.tornTail).toBe(true);
    expect(r.units).toEqual({ x_m: 'm' });
  });

  it('takes units, preferred signals and metrics from the files next to a run.csv', () => {
    const p = write('run.csv', 't_s,x_m,x_ref_m\n0,1,2\n');
    const dir = join(p, '..');
    writeFileSync(join(dir, 'run.meta.json'), JSON.stringify({ units: { t_s: 's', x_m: 'm' }, scenarioResolved: { metrics: { output: 'x_m', reference: 'x_ref_m' } } }));
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ iae: 0.5 }));
    const r = loadReplay(p);
    expect(r.units.x_m).toBe('m');
    expect(r.preferred).toEqual(['x_m', 'x_ref_m']);
    expect(r.metrics).toEqual({ iae: 0.5 });
  });

  it('names the file and line of bad input', () => {
    expect(() => loadReplay(write('a.csv', 'time,x\n0,1\n'))).toThrow(/a\.csv:1: expected a header starting with t_s/);
    expect(() => loadReplay(write('b.csv', 't_s,x\n0,1\n1,2,3\n'))).toThrow(/b\.csv:3: 3 values, the header has 2 columns/);
    expect(() => loadReplay(write('c.csv', 't_s,x\n0,abc\n'))).toThrow(/c\.csv:2: column x: not a number/);
    expect(() => loadReplay('/nonexistent/run.csv')).toThrow(/run\.csv: cannot read \(ENOENT\)/);
    try {
      loadReplay('/nonexistent/run.csv');
    } catch (e) {
      expect((e as { userError?: boolean }).userError).toBe(true);
    }
  });
});
