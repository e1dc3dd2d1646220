import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/hilbench.js');
const artifacts = join(root, 'tests/artifacts');
const children: ChildProcess[] = [];
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await browser?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T> | T, ok: (v: T) => boolean, timeout_ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(100);
  }
}

/** Starts `hilbench …` and resolves once it prints the dashboard's address. */
async function startCli(args: string[]): Promise<{ proc: ChildProcess; url: string; out: () => string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = await until('the dashboard address', () => /(?:dashboard: |at )(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1], (u) => u !== undefined, 60_000);
  return { proc, url: url!, out: () => out, exited };
}

interface PageState {
  points: number;
  received: number;
  frames: number;
  dropped: number;
}
const pageState = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const s = (window as unknown as { hilbench: PageState }).hilbench;
    return { points: s.points, received: s.received, frames: s.frames, dropped: s.dropped };
  });

/**
 * Decodes a screenshot in the browser and measures it: distinct colours and the share of pixels
 * that differ from the most common (background) colour. A blank page has 1 colour and 0 %.
 */
async function measurePng(png: Buffer): Promise<{ colours: number; inked: number }> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const counts = new Map<number, number>();
      for (let i = 0; i < d.length; i += 4) {
        const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const top = Math.max(...counts.values());
      const n = d.length / 4;
      return { colours: counts.size, inked: (n - top) / n };
    }, `data:image/png;base64,${png.toString('base64')}`);
  } finally {
    await page.close();
  }
}

function csvRows(path: string): number {
  return readFileSync(path, 'utf8').trimEnd().split('\n').length - 1;
}

describe('dashboard in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-dash-'));

  it('plots a live simulated run as it grows; pause, zoom, metrics; run.csv unchanged by --live', async () => {
    const live = await startCli(['run', 'maglev', '--duration', '8', '--live', '127.0.0.1:0', '--out', join(dir, 'live')]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(live.url);

    const first = await until('points on the page', () => pageState(page), (s) => s.points > 0);
    const later = await until('the plot to grow', () => pageState(page), (s) => s.points > first.points + 300);
    expect(later.frames).toBeGreaterThan(first.frames);
    // Metrics update while the run goes on.
    const samplesShown = () => page.locator('#metrics tr', { hasText: 'samples' }).first().locator('td').nth(1).textContent();
    const m1 = Number(await samplesShown());
    await until('metrics to update', async () => Number(await samplesShown()), (m) => m > m1);

    // Pause: data keeps arriving but the plot stands still; resume catches up.
    await page.click('#pause');
    const paused = await pageState(page);
    await until('data while paused', () => pageState(page), (s) => s.received > paused.received + 200);
    expect((await pageState(page)).points).toBe(paused.points);
    await page.click('#pause');
    await until('the plot to catch up', () => pageState(page), (s) => s.points > paused.points + 200);

    // Zoom: drag across the middle of the plot narrows the time axis.
    const before = (await page.evaluate(() => (window as unknown as { hilbench: { xRange(): number[] } }).hilbench.xRange()))!;
    const over = (await page.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.3, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = (await page.evaluate(() => (window as unknown as { hilbench: { xRange(): number[] } }).hilbench.xRange()))!;
    expect(zoomed[1] - zoomed[0]).toBeLessThan((before[1] - before[0]) * 0.5);
    await page.click('#resetZoom');

    await until('the end of the run', () => page.locator('#messages').textContent(), (t) => /run completed/.test(t ?? ''), 60_000);
    await sleep(300);
    const end = await pageState(page);
    const rows = csvRows(join(dir, 'live', 'run.csv'));
    expect(rows).toBe(8000);
    if (end.dropped === 0) expect(end.received).toBe(rows);
    else expect(end.received).toBeLessThan(rows);

    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(artifacts, 'dashboard-live.png'), png);
    const look = await measurePng(png);
    expect(look.colours).toBeGreaterThan(20);
    expect(look.inked).toBeGreaterThan(0.02);
    await page.close();

    live.proc.kill('SIGINT');
    expect(await live.exited).toBe(0);
    expect(live.out()).toMatch(/maglev: completed, 8 s simulated, 8000 samples/);

    // Pacing and streaming change nothing in the recorded numbers.
    const plain = spawn(process.execPath, [bin, 'run', 'maglev', '--duration', '8', '--out', join(dir, 'plain')], { cwd: root, stdio: 'ignore' });
    expect(await new Promise((r) => plain.once('exit', r))).toBe(0);
    expect(readFileSync(join(dir, 'live', 'run.csv')).equals(readFileSync(join(dir, 'plain', 'run.csv')))).toBe(true);
  }, 150_000);

  it('replays a recorded run.csv: the plot grows with the replay clock, the scrubber jumps to the end', async () => {
    const csv = join(dir, 'plain', 'run.csv');
    const replay = await startCli(['dashboard', '--replay', csv, '--listen', '127.0.0.1:0']);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(replay.url);
    const first = await until('replayed points', () => pageState(page), (s) => s.points > 0);
    expect(first.received).toBe(8000);
    const later = await until('the replay to advance', () => pageState(page), (s) => s.points > first.points + 300);
    expect(later.points).toBeLessThan(8000);
    expect(await page.locator('#clock').textContent()).toMatch(/^t = [\d.]+ s of 7\.999 s$/);

    await page.click('#play'); // pause the replay
    await page.locator('#scrub').evaluate((el: HTMLInputElement) => {
      el.value = '1000';
      el.dispatchEvent(new Event('input'));
    });
    const end = await until('the scrubber to reach the end', () => pageState(page), (s) => s.points === 8000);
    expect(end.points).toBe(csvRows(csv));
    await page.locator('#scrub').evaluate((el: HTMLInputElement) => {
      el.value = '500';
      el.dispatchEvent(new Event('input'));
    });
    const half = await until('the scrubber to go back', () => pageState(page), (s) => s.points < 8000);
    expect(Math.abs(half.points - 4000)).toBeLessThanOrEqual(2);

    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(artifacts, 'dashboard-replay.png'), png);
    const look = await measurePng(png);
    expect(look.colours).toBeGreaterThan(20);
    expect(look.inked).toBeGreaterThan(0.02);
    await page.close();
    replay.proc.kill('SIGINT');
    expect(await replay.exited).toBe(0);
  }, 120_000);
});
