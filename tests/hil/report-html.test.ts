import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../report/format.ts';
import { STANDARD_METRICS } from '../../report/metric-docs.ts';
import { reportHtml } from '../../report/report-html.ts';
import { integralUnit, unitFromSuffix } from '../../report/units.ts';
import { reportTitle } from '../../report/write-report.ts';
import { hilbench, repoRoot } from '../helpers/cli.ts';

/** docs/formats.md's metric table: key → { unit (in y and u), definition } with `\|` unescaped. */
function docTable(): Map<string, { unit: string; definition: string }> {
  const md = readFileSync(join(repoRoot, 'docs/formats.md'), 'utf8');
  const rows = new Map<string, { unit: string; definition: string }>();
  for (const line of md.split('\n')) {
    const m = /^\| `([a-z_]+)` \| ([^|]+) \| (.*) \|$/.exec(line);
    if (m && m[1] in STANDARD_METRICS) rows.set(m[1], { unit: m[2].trim(), definition: m[3].replace(/\\\|/g, '|') });
  }
  return rows;
}

/** The table row of a metric key in report.html, as plain text cells. */
function reportRow(html: string, key: string): string[] {
  const row = new RegExp(`<tr><th>[^<]*<code>${key}</code></th>(.*?)</tr>`).exec(html);
  if (!row) throw new Error(`no row for ${key}`);
  return [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

describe('report.html of a maglev run', () => {
  const out = mkdtempSync(join(tmpdir(), 'hilbench-report-'));
  const r = hilbench(['run', 'maglev', '--duration', '1', '--out', out]);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const meta = JSON.parse(readFileSync(join(out, 'run.meta.json'), 'utf8'));
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));

  it('gives IAE in m·s, because the judged x_m is in metres, with the docs definition', () => {
    expect(r.code).toBe(0);
    expect(meta.units.x_m).toBe('m'); // the plant declares the gap in metres
    const [value, unit, definition] = reportRow(html, 'iae');
    expect(unit).toBe('m·s');
    expect(definition).toBe(docTable().get('iae')!.definition);
    // The value is metrics.json's, in 4 significant digits.
    expect(Math.abs(Number(value) - metrics.iae) / metrics.iae).toBeLessThan(5e-4);
  });

  it('gives every standard metric the unit and definition of docs/formats.md (y = m, u = A)', () => {
    const doc = docTable();
    expect([...doc.keys()].sort()).toEqual(Object.keys(STANDARD_METRICS).sort());
    for (const [key, d] of doc) {
      const [, unit, definition] = reportRow(html, key);
      expect(unit, key).toBe(d.unit.replace(/y/g, 'm').replace(/u/g, 'A'));
      expect(definition, key).toBe(d.definition);
    }
  });

  it('names the judged signals, the band setting, and titles the page by mode', () => {
    expect(html).toContain('<h1>hilbench run: maglev</h1>');
    expect(html).toMatch(/Judged output <code>x_m<\/code> \(m\) against reference <code>x_ref_m<\/code> \(m\); command u = <code>i_A<\/code> \(A\)/);
    // maglev.json: bandAbs 0.0001 m
    expect(html).toContain('settling band fixed at ±100e-6 m');
    expect(html.slice(0, html.indexOf('<h2>Signals'))).not.toMatch(/0\.0000[0-9]/); // no long zero-padded decimals left
  });

  it('draws the output and reference panel with a y axis in mm (the gap stays under 0.1 m)', () => {
    const svg = readFileSync(join(out, 'plot.svg'), 'utf8');
    // The gap is 8 mm ± 0.5 mm: the axis runs around 7.9–8.5 (mm), not 0.0079–0.0085 (m).
    const axes = [...svg.matchAll(/aria-label="Y-axis titled '([^']*)' for a linear scale with values from ([−\d.]+) to ([−\d.]+)"/g)];
    const first = axes[0];
    expect(first[1]).toBe('mm');
    expect(Number(first[2])).toBeGreaterThan(7);
    expect(Number(first[3])).toBeLessThan(9);
  });
});

describe('report pieces', () => {
  it('formats numbers in 4 significant digits, engineering notation outside 0.001–10000', () => {
    expect(formatNumber(3.2442056753625114e-5)).toBe('32.44e-6');
    expect(formatNumber(3.0650402355796054e-9)).toBe('3.065e-9');
    expect(formatNumber(0.0001)).toBe('100e-6');
    expect(formatNumber(0.021)).toBe('0.021');
    expect(formatNumber(15.456541463680626)).toBe('15.46');
    expect(formatNumber(-1.1422282317844687e-5)).toBe('-11.42e-6');
    expect(formatNumber(6946800.5)).toBe('6.947e6');
    expect(formatNumber(999.96e-6)).toBe('1e-3');
    expect(formatNumber(86400)).toBe('86400');
  });

  it('derives units from name suffixes and builds integral units', () => {
    expect(unitFromSuffix('x_ref_m')).toBe('m');
    expect(unitFromSuffix('i_cmd_A_counts')).toBe('counts');
    expect(unitFromSuffix('max_cooling_rate_C_per_min')).toBe('°C/min');
    expect(unitFromSuffix('rtt_p99_us')).toBe('µs');
    expect(unitFromSuffix('nav_status')).toBeUndefined();
    expect(integralUnit('m', 2)).toBe('m²·s');
    expect(integralUnit('m/s', 2)).toBe('(m/s)²·s');
    expect(integralUnit('°C', 1, 1)).toBe('°C·s²');
    expect(integralUnit('', 1)).toBe('s');
  });

  it('titles every mode the same way', () => {
    expect(reportTitle({ mode: 'sim', scenario: 'maglev' }, 'x')).toBe('hilbench run: maglev');
    expect(reportTitle({ mode: 'hil', scenario: 'maglev' }, 'x')).toBe('hilbench hil run: maglev');
    expect(reportTitle({ mode: 'io', scenario: 'maglev' }, 'x')).toBe('hilbench io run: maglev');
  });

  it('labels board-paced io timing as such and warns that a failed run’s figures are partial', async () => {
    const html = await reportHtml({
      title: 't',
      subtitle: 's',
      specs: [],
      metrics: { scenario: 'maglev', mode: 'io', status: 'failed', io_pacing: 'board', iae: 1e-5, settling_time_s: null, tick_jitter_p99_us: 120, io_overruns: 3, rtt_p50_us: 800 },
    });
    expect(reportRow(html, 'tick_jitter_p99_us')[2]).toMatch(/^board-paced/);
    expect(reportRow(html, 'tick_jitter_p99_us')[1]).toBe('µs');
    expect(html).toContain('Board-paced io run');
    expect(reportRow(html, 'settling_time_s')[0]).toBe('did not settle');
    expect(html).toMatch(/stopped early: these figures cover only the samples recorded/);
  });
});
