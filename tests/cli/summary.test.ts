import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkLine } from '../../cli/commands/hil.ts';
import { hilbench } from '../helpers/cli.ts';
import { writeUnstableScenario } from '../helpers/scenario.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'hilbench-summary-'));

/** The last row of run.csv as a column → value map. */
function lastRow(dir: string): Record<string, number> {
  const lines = readFileSync(join(dir, 'run.csv'), 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const row = lines[lines.length - 1].split(',').map(Number);
  return Object.fromEntries(header.map((h, i) => [h, row[i]]));
}

describe('run summary', () => {
  it('maglev: the band and the integral figures carry the units of the judged x_m (metres)', () => {
    const r = hilbench(['run', 'maglev', '--duration', '1', '--out', tmp()]);
    expect(r.code).toBe(0);
    // maglev.json sets bandAbs 0.0001 m
    expect(r.stdout).toContain('(band ±100e-6 m)');
    expect(r.stdout).toMatch(/IAE [0-9.e-]+ m·s   ISE [0-9.e-]+ m²·s   ITAE [0-9.e-]+ m·s²   steady-state error -?[0-9.e-]+ m/);
    expect(r.stdout).toContain('judged x_m against x_ref_m');
  });

  it('says "did not settle" for a run too short to settle, not "n/a s"', () => {
    // maglev settles after about 21 ms: a 15 ms run cannot.
    const r = hilbench(['run', 'maglev', '--duration', '0.015', '--out', tmp()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/did not settle \(band ±100e-6 m\)/);
    expect(r.stdout).not.toContain('n/a s');
  });

  it('solar: prints the gain over the fixed panel, as the recorded energies give it', () => {
    const out = tmp();
    const r = hilbench(['run', 'solar', '--out', out], { timeout: 120_000 });
    expect(r.code).toBe(0);
    const gain = /gain vs fixed panel ([0-9.]+)×/.exec(r.stdout);
    expect(gain, r.stdout).not.toBeNull();
    // Net tracker energy (panel minus stepper) over the fixed panel's, from run.csv's cumulative joules.
    const e = lastRow(out);
    expect(Number(gain![1])).toBeCloseTo((e.E_panel_J - e.E_stepper_J) / e.E_fixed_J, 2);
    expect(r.stdout).toMatch(/net energy [0-9.]+ Wh/);
  });

  it('robot-unreachable: says the controller reports the goal unreachable and the goal was not reached', () => {
    const out = tmp();
    const r = hilbench(['run', 'robot-unreachable', '--out', out], { timeout: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('controller reports the goal unreachable');
    expect(r.stdout).toContain('goal not reached');
    expect(lastRow(out).nav_status).toBe(2); // the controller's own status column: 2 = unreachable
    expect(r.stdout).toMatch(/path length [0-9.]+ m/);
  });

  it('a failed run prints no step figures: the failure line and the outputs line, one reason on stderr', () => {
    const dir = tmp();
    const f = writeUnstableScenario(dir, { references: [{ name: 'r', type: 'constant', value: 0 }], metrics: { output: 'y', reference: 'r' } });
    const out = join(dir, 'out');
    const r = hilbench(['run', f, '--out', out]);
    expect(r.code).toBe(1);
    const rows = readFileSync(join(out, 'run.csv'), 'utf8').trimEnd().split('\n').length - 1;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^unstable: failed at t = [0-9.]+ s, ${rows} samples kept$`));
    expect(lines[1]).toMatch(/^ {2}outputs in .*: run\.csv/);
    expect(r.stdout).not.toMatch(/settl|IAE|overshoot/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hilbench: .*non-finite/);
  });
});

describe('hil run link line', () => {
  const base = { link_ticks: 500, rtt_p50_us: 900, rtt_p99_us: 1500, link_timeouts: 0, link_badCrc: 0, link_outOfSequence: 0 };

  it('labels board-paced io timing as host-clock figures, not real-time jitter', () => {
    const line = linkLine({ ...base, io_pacing: 'board', tick_jitter_p99_us: 40, io_overruns: 2 })!;
    expect(line).toContain('board-paced');
    expect(line).not.toContain('tick jitter');
    expect(line).toContain('p99 40 µs');
  });

  it('keeps real-time jitter wording for host pacing, and prints nothing without link figures', () => {
    expect(linkLine({ ...base, io_pacing: 'host', tick_jitter_p99_us: 40, io_overruns: 2 })).toContain('tick jitter p99 40 µs, overruns 2');
    expect(linkLine({ scenario: 'maglev' })).toBeUndefined();
  });
});
