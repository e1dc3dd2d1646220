import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// report.html opened from disk in Debian's Chromium, as a user opens it: with no network.

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/hilbench.js');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

function hilbench(args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hilbench ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Opens a report and records every request the page makes besides the file itself. */
async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { hilbenchReport?: unknown }).hilbenchReport !== undefined, undefined, { timeout: 30_000 });
  return { page, requests, errors };
}

type ReportWindow = { hilbenchReport: { plots: { series: { label: string }[]; scales: { x: { min: number; max: number } } }[]; xRange: (i: number) => [number, number] } };

/** Labels of the signals every plot draws. */
const plottedLabels = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as ReportWindow).hilbenchReport.plots.flatMap((p) => p.series.slice(1).map((s) => s.label)));

/** run.csv's columns whose every value is the same: read from the CSV, not from the report. */
function constantColumns(csv: string): { name: string; value: number }[] {
  const lines = csv.trim().split('\n');
  const header = lines[0].split(',');
  const first = lines[1].split(',').map(Number);
  const varying = new Set<number>();
  for (const line of lines.slice(2)) {
    const cells = line.split(',');
    for (let i = 0; i < header.length; i++) if (Number(cells[i]) !== first[i]) varying.add(i);
  }
  return header.map((name, i) => ({ name, value: first[i] })).filter((_, i) => !varying.has(i));
}

describe('report.html of a maglev run in Chromium', () => {
  const out = mkdtempSync(join(tmpdir(), 'hilbench-report-browser-'));
  hilbench(['run', 'maglev', '--duration', '1', '--out', out]);
  const file = join(out, 'report.html');

  it('opens offline: no request beyond the file, no script error, interactive plots drawn', async () => {
    const { page, requests, errors } = await open(file);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('.uplot').count()).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8')).not.toMatch(/<script[^>]+src=|<link /);
    await page.close();
  });

  it('puts the summary and the plots before the tables, the plots the full width', async () => {
    const { page } = await open(file);
    const pos = await page.evaluate(() => {
      const top = (el: Element | null) => (el ? el.getBoundingClientRect().top + window.scrollY : NaN);
      const plot = document.querySelector('.uplot')!;
      return {
        summary: top(document.querySelector('#summary')),
        plots: top(plot),
        table: top(document.querySelector('table')),
        plotWidth: plot.getBoundingClientRect().width,
        pageWidth: document.body.getBoundingClientRect().width,
      };
    });
    expect(pos.summary).toBeLessThan(pos.plots);
    expect(pos.plots).toBeLessThan(pos.table);
    expect(pos.plotWidth).toBeGreaterThan(0.9 * pos.pageWidth);
    // The gap in mm in the summary, as in its plot's axis.
    expect(await page.locator('#summary [data-key="x_min_m"] dd').textContent()).toMatch(/^7\.9\d* mm$/);
    const axis = await page.evaluate(() => (window as unknown as ReportWindow).hilbenchReport.plots.map((p: any) => p.axes[1].label));
    expect(axis[0]).toBe('[mm]');
    await page.close();
  });

  it('a drag zooms the time axis of every plot', async () => {
    const { page } = await open(file);
    const before = await page.evaluate(() => [0, 1].map((i) => (window as unknown as ReportWindow).hilbenchReport.xRange(i)));
    const over = (await page.locator('.u-over').first().boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.1, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.3, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    const after = await page.evaluate(() => [0, 1].map((i) => (window as unknown as ReportWindow).hilbenchReport.xRange(i)));
    const span = (r: number[]) => r[1] - r[0];
    expect(span(after[0])).toBeLessThan(0.3 * span(before[0]));
    expect(after[0][0]).toBeGreaterThan(before[0][0]);
    expect(after[1]).toEqual(after[0]); // one time axis
    await page.close();
  });

  it('lists the constant signals with their value instead of plotting them', async () => {
    const constants = constantColumns(readFileSync(join(out, 'run.csv'), 'utf8'));
    expect(constants.map((c) => c.name)).toContain('x_ref_m'); // the setpoint holds 8 mm for the whole run
    const { page } = await open(file);
    const plotted = await plottedLabels(page);
    const listed = await page.locator('#constants li').allTextContents();
    expect(plotted).toContain('x_m');
    for (const c of constants) {
      if (c.name === 't_s') continue;
      expect(plotted, c.name).not.toContain(c.name);
      // Listed only if some panel would have drawn it.
      if (listed.some((l) => l.startsWith(`${c.name} =`))) continue;
      expect(listed.join('\n')).not.toContain(c.name);
    }
    expect(listed.find((l) => l.startsWith('x_ref_m ='))).toMatch(/^x_ref_m = 8 mm /);
    await page.close();
  });
});

describe('the tune report in Chromium', () => {
  it('shows the WARNING the terminal printed, and its tables give units', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hilbench-tune-browser-'));
    // Gains around a tuned point whose linear loop has a delay margin under one sample.
    const stdout = hilbench(['tune', 'maglev', '--method', 'random', '--budget', '2', '--workers', '0', '--params', 'kp=278.3:278.5,ki=168.3:168.5,kd=3.887:3.889', '--no-robustness', '--no-progress', '--out', out]);
    const warning = /^ {2}WARNING: (.*)$/m.exec(stdout)?.[1];
    expect(warning).toMatch(/the tuned loop is marginal/);
    const { page, requests, errors } = await open(join(out, 'report.html'));
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('#warnings').textContent()).toContain(`WARNING: ${warning}`);
    const pos = await page.evaluate(() => ({
      plots: document.querySelector('.uplot')!.getBoundingClientRect().top,
      table: document.querySelector('table')!.getBoundingClientRect().top,
    }));
    expect(pos.plots).toBeLessThan(pos.table);
    const headers = await page.locator('table#params th').allTextContents();
    expect(headers).toContain('unit');
    const kpUnit = await page.locator('table#params tr:has(td:first-child:text-is("kp")) td').nth(2).textContent();
    expect(kpUnit).toBe('A/m');
    await page.close();
  }, 300_000);
});
