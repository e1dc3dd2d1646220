// Regenerates docs/screenshots/*.png: the dashboard on a 2 s maglev replay, in Debian's Chromium.
// Run: node --import tsx docs/screenshots/make.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadReplay } from '../../hil/dashboard/replay.ts';
import { DashboardServer } from '../../hil/dashboard/server.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('.', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hilbench-shots-'));
const run = spawnSync(process.execPath, [join(root, 'bin/hilbench.js'), 'run', 'maglev', '--duration', '2', '--out', join(work, 'm')], { stdio: 'inherit' });
if (run.status !== 0) throw new Error('maglev run failed');

const server = await DashboardServer.start({ replay: loadReplay(join(work, 'm', 'run.csv')) }, { port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { hilbench: { replay?: { loaded: number; rows: number } } }).hilbench.replay?.loaded === 2000);
  await page.click('#play');
  await page.locator('#scrub').evaluate((el: HTMLInputElement) => {
    el.value = '1000';
    el.dispatchEvent(new Event('input'));
  });
  await page.check('input[data-signal="i_A"]');
  await page.waitForTimeout(300);
  const over = (await page.locator('.u-over').boundingBox())!;
  // Zoom t to the first ~0.1 s (the release transient), then set reference A and move the cursor.
  await page.mouse.move(over.x + 2, over.y + over.height / 2);
  await page.mouse.down();
  await page.mouse.move(over.x + over.width * 0.05, over.y + over.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(200);
  await page.mouse.click(over.x + over.width * 0.2, over.y + over.height / 2);
  await page.mouse.move(over.x + over.width * 0.55, over.y + over.height / 2);
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(outDir, 'dashboard.png') });
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
