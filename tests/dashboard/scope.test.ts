import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReplay, type ReplayData } from '../../hil/dashboard/replay.ts';
import { DashboardServer } from '../../hil/dashboard/server.ts';
import { LiveSource } from '../../hil/live/live-source.ts';
import { hilbench } from '../helpers/cli.ts';

// The dashboard as a scope, driven in Debian's Chromium on recordings of real maglev runs.
const dir = mkdtempSync(join(tmpdir(), 'hilbench-scope-'));
let browser: Browser;
let short: ReplayData; // 2 s: release from 8.5 mm, settles at 8 mm
let long: ReplayData; // 60 s
const servers: DashboardServer[] = [];

beforeAll(async () => {
  for (const [name, duration] of [['m2', '2'], ['m60', '60']]) {
    const r = hilbench(['run', 'maglev', '--duration', duration, '--out', join(dir, name)], { timeout: 110_000 });
    expect(r.code, r.stderr).toBe(0);
  }
  short = loadReplay(join(dir, 'm2', 'run.csv'));
  long = loadReplay(join(dir, 'm60', 'run.csv'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 240_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await browser?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeout_ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(100);
  }
}

interface Scope {
  plot(): {
    series: { label: string; scale: string }[];
    scales: Record<string, { min: number; max: number }>;
    axes: { scale: string; _splits: number[] }[];
    data: number[][];
  };
  ticksOf(signal: string): string[] | null;
  points: number;
  received: number;
}
type W = { hilbench: Scope };

const scaleOf = (page: Page, signal: string) => page.evaluate((s) => (window as unknown as W).hilbench.plot().series.find((x) => x.label === s)?.scale, signal);
const range = (page: Page, scale: string) =>
  page.evaluate((k) => {
    const sc = (window as unknown as W).hilbench.plot().scales[k];
    return [sc.min, sc.max];
  }, scale);

/** Parses a tick label such as '7.90 mm', '120 mA' or '1.5 s' back to a number in the base unit. */
function parseTick(label: string): number {
  const m = /^(-?[\d.]+) ([pnµmkM]?)(m|A|s)$/.exec(label);
  if (!m) throw new Error(`unexpected tick label '${label}'`);
  const scale: Record<string, number> = { p: 1e-12, n: 1e-9, µ: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6 };
  return Number(m[1]) * scale[m[2]];
}

async function openReplay(data: ReplayData): Promise<Page> {
  const server = await DashboardServer.start({ replay: data }, { port: 0 });
  servers.push(server);
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  await page.goto(server.url);
  await until('the replay to load', () => page.evaluate(() => (window as unknown as W).hilbench.received), (n) => n === data.data[0].length);
  // Jump to the end so the whole recording is on the plot.
  await page.click('#play');
  await page.locator('#scrub').evaluate((el: HTMLInputElement) => {
    el.value = '1000';
    el.dispatchEvent(new Event('input'));
  });
  await until('all points drawn', () => page.evaluate(() => (window as unknown as W).hilbench.points), (n) => n === data.data[0].length);
  return page;
}

describe('dashboard scope on a maglev replay (Chromium)', () => {
  it('labels the gap axis in engineering notation with distinct ticks that match the axis splits', async () => {
    const page = await openReplay(short);
    const ticks = (await page.evaluate(() => (window as unknown as W).hilbench.ticksOf('x_m')))!;
    expect(new Set(ticks).size).toBeGreaterThanOrEqual(3);
    // Each label, read back as a number, is the split uPlot placed it at (to the label's precision).
    const splits = await page.evaluate(() => {
      const h = (window as unknown as W).hilbench;
      const scale = h.plot().series.find((s) => s.label === 'x_m')!.scale;
      return h.plot().axes.find((a) => a.scale === scale)!._splits;
    });
    expect(ticks.length).toBe(splits.length);
    ticks.forEach((label, i) => expect(Math.abs(parseTick(label) - splits[i])).toBeLessThan(1e-6));
    // The readout of the gap at the cursor keeps four significant digits (e.g. 7.943 mm).
    const over = (await page.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.8, over.y + over.height / 2);
    const readout = await page.locator('.u-legend .u-series:nth-child(2) .u-value').textContent();
    expect(readout).toMatch(/^\d\.\d{3} mm$/);
    await page.close();
  });

  it('puts i_A on its own scale; a vertical drag zooms y only; autoscale restores it; a time window narrows t', async () => {
    const page = await openReplay(short);
    await page.check('input[data-signal="i_A"]');
    await until('i_A on the plot', () => scaleOf(page, 'i_A'), (s) => s !== undefined);
    const gapScale = (await scaleOf(page, 'x_m'))!;
    expect(await scaleOf(page, 'i_A')).not.toBe(gapScale);
    expect(await scaleOf(page, 'x_ref_m')).toBe(gapScale);
    const ampTicks = (await page.evaluate(() => (window as unknown as W).hilbench.ticksOf('i_A')))!;
    expect(ampTicks.every((t) => /A$/.test(t))).toBe(true);

    const y0 = await range(page, gapScale);
    const x0 = await range(page, 'x');
    const over = (await page.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height * 0.6, { steps: 6 });
    await page.mouse.up();
    const y1 = await range(page, gapScale);
    expect(y1[1] - y1[0]).toBeLessThan((y0[1] - y0[0]) * 0.5);
    expect(await range(page, 'x')).toEqual(x0);
    await sleep(300); // redraws keep a y zoom
    expect(await range(page, gapScale)).toEqual(y1);

    await page.click('#autoscale');
    const y2 = await range(page, gapScale);
    expect(y2[1] - y2[0]).toBeGreaterThan((y1[1] - y1[0]) * 1.5);

    await page.selectOption('#window', '1');
    await until('a 1 s window', () => range(page, 'x'), (x) => Math.abs(x[1] - x[0] - 1) < 0.01);
    await page.close();
  });

  it('reads Δt and Δy between a clicked reference and the cursor', async () => {
    const page = await openReplay(short);
    const over = (await page.locator('.u-over').boundingBox())!;
    await page.mouse.click(over.x + over.width * 0.25, over.y + over.height / 2);
    await page.mouse.move(over.x + over.width * 0.75, over.y + over.height / 2);
    const text = (await page.locator('#delta').textContent())!;
    const m = /Δt = ([\d.]+) (m?)s/.exec(text);
    expect(m, text).not.toBeNull();
    const dt = Number(m![1]) * (m![2] === 'm' ? 1e-3 : 1);
    // Half the plot width of a 2 s recording.
    expect(dt).toBeGreaterThan(0.9);
    expect(dt).toBeLessThan(1.1);
    expect(text).toMatch(/Δx_m = -?[\d.]+ [µmn]?m/);
    await page.close();
  });
});

describe('dashboard history for a page opened after a finished 60 s run (Chromium)', () => {
  it('shows the run from t = 0 (decimated) to its end at full rate, in bounded memory', async () => {
    const source = new LiveSource('run', 'maglev');
    const server = await DashboardServer.start({ live: source }, { port: 0, frame_ms: 10 });
    servers.push(server);
    source.setColumns(long.columns, long.units);
    const n = long.data[0].length;
    for (let i = 0; i < n; i++) source.push({ row: Float64Array.from(long.data, (col) => col[i] ?? NaN) });
    source.complete('completed');
    await until('the server to frame every sample', async () => server.stats.samplesIn, (k) => k === n);

    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    await page.goto(server.url);
    const t = await until(
      'the history on the page',
      () => page.evaluate(() => (window as unknown as W).hilbench.plot()?.data[0] ?? []),
      (d) => d.length > 0,
    );
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBe(long.data[0][n - 1]);
    // Bounded: 20 000 full-rate samples plus two points per envelope bucket, not the 60 001 rows.
    expect(t.length).toBeLessThan(20000 + 2 * 2048 + 1);
    // The release transient (first 50 ms: gap from 8.5 mm down to its minimum) is inside the envelope.
    const x = await page.evaluate(() => {
      const h = (window as unknown as W).hilbench;
      const i = h.plot().series.findIndex((s) => s.label === 'x_m');
      return h.plot().data[i];
    });
    const early = x.slice(0, t.findIndex((v) => v > 0.05));
    expect(Math.max(...early)).toBeCloseTo(0.0085, 6);
    expect(Math.min(...early)).toBeLessThan(0.00795);
    await page.close();
  }, 120_000);
});
