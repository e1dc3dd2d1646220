import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench } from '../helpers/cli.ts';
import { writeUnstableScenario } from '../helpers/scenario.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'hilbench-cli-'));

function readCsv(file: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

describe('hilbench run maglev', () => {
  const out = tmp();
  const r = hilbench(['run', 'maglev', '--duration', '2', '--out', out]);

  it('exits 0 and prints settling time and overshoot', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/settling time [0-9.]+ s/);
    expect(r.stdout).toMatch(/overshoot [0-9.]+ %/);
  });

  it('writes run.csv, metrics.json, report.html and plot.svg', () => {
    for (const f of ['run.csv', 'metrics.json', 'report.html', 'plot.svg', 'run.meta.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'plot.svg'), 'utf8')).toMatch(/^<svg/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // Self-contained: uPlot and the plot data inline, nothing loaded from elsewhere
    // (tests/report/report-browser.test.ts opens it offline in Chromium).
    expect(html).toContain('id="report-data"');
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
  });

  it('run.csv starts with t_s and names every column with a unit suffix', () => {
    const { header } = readCsv(join(out, 'run.csv'));
    expect(header[0]).toBe('t_s');
    for (const c of header) expect(c).toMatch(/_(s|m|mps|A|V|counts)$/);
    expect(header).toEqual(expect.arrayContaining(['x_m', 'v_mps', 'i_A', 'op1_V', 'op2_V', 'op3_V', 'x_ref_m', 'i_cmd_A_counts']));
  });

  it('settles the ball at 8 mm ± 0.1 mm and touches neither stop', () => {
    const { header, rows } = readCsv(join(out, 'run.csv'));
    const ix = header.indexOf('x_m');
    const it = header.indexOf('t_s');
    expect(rows[rows.length - 1][it]).toBeCloseTo(1.999, 6);
    for (const row of rows.filter((row) => row[it] > 0.5)) expect(Math.abs(row[ix] - 0.008)).toBeLessThan(1e-4);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    for (const k of ['iae', 'ise', 'itae', 'overshoot_pct', 'rise_time_s', 'settling_time_s', 'steady_state_error', 'control_effort', 'saturation_time_s', 'scenario', 'controller', 'seed', 'version']) {
      expect(m).toHaveProperty(k);
    }
    expect(m.settling_time_s).toBeGreaterThan(0);
    expect(m.settling_time_s).toBeLessThan(0.5);
    expect(m.magnet_contact_samples).toBe(0);
    expect(m.floor_contact_samples).toBe(0);
  });

  it('gives a byte-identical run.csv for the same scenario and seed, and a different one for another seed with noise', () => {
    const again = tmp();
    expect(hilbench(['run', 'maglev', '--duration', '2', '--out', again]).code).toBe(0);
    expect(readFileSync(join(again, 'run.csv')).equals(readFileSync(join(out, 'run.csv')))).toBe(true);
    const noisy1 = tmp();
    const noisy2 = tmp();
    const noisy3 = tmp();
    expect(hilbench(['run', 'maglev', '--duration', '1', '--set', 'noise.enabled=true', '--seed', '3', '--out', noisy1]).code).toBe(0);
    expect(hilbench(['run', 'maglev', '--duration', '1', '--set', 'noise.enabled=true', '--seed', '3', '--out', noisy2]).code).toBe(0);
    expect(hilbench(['run', 'maglev', '--duration', '1', '--set', 'noise.enabled=true', '--seed', '4', '--out', noisy3]).code).toBe(0);
    expect(readFileSync(join(noisy1, 'run.csv')).equals(readFileSync(join(noisy2, 'run.csv')))).toBe(true);
    expect(readFileSync(join(noisy1, 'run.csv')).equals(readFileSync(join(noisy3, 'run.csv')))).toBe(false);
  });

  it('keeps the ball near 8 mm under the seed’s current noise (RMS < 0.1 mm, never beyond ±0.2 mm)', () => {
    const dir = tmp();
    expect(hilbench(['run', 'maglev', '--duration', '2', '--set', 'noise.enabled=true', '--out', dir]).code).toBe(0);
    const { header, rows } = readCsv(join(dir, 'run.csv'));
    const ix = header.indexOf('x_m');
    const ii = header.indexOf('i_A');
    const late = rows.filter((row) => row[0] > 0.5);
    for (const row of late) expect(Math.abs(row[ix] - 0.008)).toBeLessThan(2e-4);
    const rms = Math.sqrt(late.reduce((s, row) => s + (row[ix] - 0.008) ** 2, 0) / late.length);
    expect(rms).toBeLessThan(1e-4);
    // The noise is really there: the applied current spans about the seed's 0.02 A p-p plus the sine.
    const currents = late.map((row) => row[ii]);
    expect(Math.max(...currents) - Math.min(...currents)).toBeGreaterThan(0.02);
  });
});

describe('hilbench run: bad input', () => {
  it('a scenario file with a JSON syntax error → exit 1 with file:line:col', () => {
    const dir = tmp();
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{\n  "name": "x",\n  "dt": 0.001,,\n}\n');
    const r = hilbench(['run', f]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${f}:3:`);
  });

  it('a scenario with a wrong value → exit 1 naming the JSON path', () => {
    const dir = tmp();
    const f = join(dir, 'bad.json');
    const maglev = JSON.parse(readFileSync(new URL('../../scenarios/maglev.json', import.meta.url), 'utf8'));
    maglev.sensors[0].kind = 'analog';
    maglev.dt = 'fast';
    writeFileSync(f, JSON.stringify(maglev));
    const r = hilbench(['run', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sensors.0.kind');
    expect(r.stderr).toContain('dt');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown plant parameter in --set → exit 1 naming it', () => {
    const r = hilbench(['run', 'maglev', '--set', 'mass_kg=0.01', '--out', tmp()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('params.mass_kg');
  });

  it('a metrics signal that is not recorded, or a --set through __proto__ → exit 1 naming it, before the run', () => {
    const out = tmp();
    const r = hilbench(['run', 'maglev', '--set', 'metrics.output=nope', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/maglev\.json: metrics\.output: 'nope' is not a recorded signal \(recorded: .*x_m/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(out, 'run.csv'))).toBe(false);
    const p = hilbench(['run', 'maglev', '--set', '__proto__.polluted=1', '--out', tmp()]);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/--set '__proto__\.polluted=1': '__proto__' is not a scenario key/);
  });

  it('a plant producing a non-finite state → exit 1 with t and the signal, samples kept on disk', () => {
    const dir = tmp();
    const f = writeUnstableScenario(dir);
    const out = join(dir, 'out');
    const r = hilbench(['run', f, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/non-finite state 'y' at t = [0-9.]+ s/);
    const { rows } = readCsv(join(out, 'run.csv'));
    expect(rows.length).toBeGreaterThan(500);
    expect(rows.every((row) => row.every(Number.isFinite))).toBe(true);
  });

  it('--help exits 0; an unknown command or option exits 1', () => {
    expect(hilbench(['run', '--help']).code).toBe(0);
    expect(hilbench(['--help']).code).toBe(0);
    expect(hilbench(['frobnicate']).code).toBe(1);
    expect(hilbench(['run', 'maglev', '--no-such-option']).code).toBe(1);
    expect(hilbench(['run', 'maglev', '--duration', 'soon']).code).toBe(1);
  });
});
