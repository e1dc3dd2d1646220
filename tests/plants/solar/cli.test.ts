import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSolarDay } from '../../../cli/commands/solar.ts';
import { hilbench } from '../../helpers/cli.ts';

describe('solar from the CLI', () => {
  it('hilbench run solar writes the standard outputs with energy metrics and the extra report panels', () => {
    const out = mkdtempSync(join(tmpdir(), 'solar-run-'));
    const r = hilbench(['run', 'solar', '--controller', 'winter-fix', '--set', 'plantOptions.date=2025-12-21', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['run.csv', 'metrics.json', 'report.html', 'plot.svg']) expect(existsSync(join(out, f))).toBe(true);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.gain_vs_fixed).toBeGreaterThan(1.0);
    expect(readFileSync(join(out, 'plot.svg'), 'utf8')).toContain('Sun and panel angles');
    const header = readFileSync(join(out, 'run.csv'), 'utf8').split('\n').find((l) => l.startsWith('t_s'))!;
    expect(header).toContain('S1_meas_V_counts');
    expect(header).toContain('lcd_position');
  });

  it('hilbench solar gains prints the six cases; a bad --set is a one-line user error', () => {
    const r = hilbench(['solar', 'gains', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { axis: string; day: string; seed: number; winterFix: number }[];
    expect(rows.map((x) => `${x.axis} ${x.day}`)).toEqual([
      'horizontal equinox',
      'horizontal june',
      'horizontal december',
      'polar equinox',
      'polar june',
      'polar december',
    ]);
    const bad = hilbench(['solar', 'gains', '--set', 'nosuch=1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('nosuch');
  });

  it('the float controller through the fuzzy engine earns the same day as the integer firmware (±0.01)', () => {
    const int = runSolarDay('2025-03-20', 'horizontal', 'seed');
    const flt = runSolarDay('2025-03-20', 'horizontal', 'float');
    expect(Math.abs(int.gain_vs_fixed - flt.gain_vs_fixed)).toBeLessThan(0.01);
  });
});
