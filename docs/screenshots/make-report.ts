// Regenerates docs/screenshots/report.png: the first screen of a 2 s maglev run's report.html, with
// the plots zoomed to the release transient, in Debian's Chromium.
// Run: node --import tsx docs/screenshots/make-report.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('.', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hilbench-shots-'));
const run = spawnSync(process.execPath, [join(root, 'bin/hilbench.js'), 'run', 'maglev', '--duration', '2', '--out', join(work, 'm')], { stdio: 'inherit' });
if (run.status !== 0) throw new Error('maglev run failed');

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(pathToFileURL(join(work, 'm', 'report.html')).href);
  await page.waitForFunction(() => (window as unknown as { hilbenchReport?: unknown }).hilbenchReport !== undefined);
  // Zoom the first plot (every plot follows) to the first 0.1 s, then put the cursor on the transient.
  const over = (await page.locator('.u-over').first().boundingBox())!;
  await page.mouse.move(over.x + 1, over.y + over.height / 2);
  await page.mouse.down();
  await page.mouse.move(over.x + over.width * 0.05, over.y + over.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(over.x + over.width * 0.3, over.y + over.height / 2);
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(outDir, 'report.png') });
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
