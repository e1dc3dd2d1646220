import { expect } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(repoRoot, 'tests/hil/fixtures/test-firmware.c');
const cacheDir = join(tmpdir(), 'hilbench-test-cache');

/** Compiles the hand-written test firmware with avr-gcc (cached by source hash and defines). */
export function buildTestFirmware(role: 'hil' | 'io', defines: string[] = []): string {
  const src = readFileSync(fixture);
  const key = createHash('sha256').update(src).update(role).update(defines.join(' ')).digest('hex').slice(0, 16);
  mkdirSync(cacheDir, { recursive: true });
  const hex = join(cacheDir, `test-firmware-${role}-${key}.hex`);
  if (existsSync(hex)) return hex;
  const elf = `${hex}.elf`;
  const flags = ['-mmcu=atmega328p', '-DF_CPU=16000000UL', '-Os', '-Wall', ...(role === 'io' ? ['-DROLE_IO'] : []), ...defines.map((d) => `-D${d}`)];
  execFileSync('avr-gcc', [...flags, '-o', elf, fixture]);
  execFileSync('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elf, `${hex}.tmp`]);
  execFileSync('mv', [`${hex}.tmp`, hex]);
  return hex;
}

export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Cli {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly done: Promise<number | null>;
}

/** Runs `hilbench …` as a child process, as a user would. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/hilbench.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const c: Cli = {
    child,
    stdout: '',
    stderr: '',
    done: new Promise((r) => child.on('exit', (code) => r(code))),
  };
  child.stdout?.on('data', (d: Buffer) => (c.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (c.stderr += d.toString()));
  return c;
}

/** Waits until `cond()` holds, polling every 20 ms. */
export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

/**
 * Generated firmware (`hilbench firmware generate … --build`), cached in the temp dir by the hash of
 * the generator's sources, the scenario file and the arguments, so several tests share one build.
 */
export async function generatedFirmware(scenario: string, args: string[] = []): Promise<string> {
  const h = createHash('sha256');
  for (const f of [...filesUnder(join(repoRoot, 'boards')), ...filesUnder(join(repoRoot, 'controllers/fixed-point')), ...filesUnder(join(repoRoot, 'protocol')), join(repoRoot, `scenarios/${scenario}.json`)]) {
    h.update(f).update(readFileSync(f));
  }
  h.update(args.join(' '));
  const key = h.digest('hex').slice(0, 16);
  const sketch = join(cacheDir, `gen-${key}`, `${scenario.replace(/[^A-Za-z0-9]/g, '_')}_fw`);
  const hex = join(sketch, 'build', `${sketch.split('/').pop()}.hex`);
  if (existsSync(hex)) return hex;
  mkdirSync(cacheDir, { recursive: true });
  const c = cli(['firmware', 'generate', scenario, '--out', sketch, '--build', ...args]);
  const code = await c.done;
  if (code !== 0 || !existsSync(hex)) throw new Error(`firmware generate ${scenario} failed (${code}): ${c.stderr.trim()}`);
  return hex;
}

/**
 * A `hil run` stopped mid-run (link fault, Ctrl-C): one stderr line `hilbench: <reason>… samples kept`,
 * run.csv with complete rows only and as many as metrics.json (status failed) says, more than 300,
 * and link.ndjson ending with the fault record that metrics.json's error starts with. Returns the
 * link.ndjson records.
 */
export function expectIntactRun(out: string, stderr: string, reason: RegExp): any[] {
  const err = stderr.trim().split('\n');
  expect(err.length, stderr).toBe(1);
  expect(err[0]).toMatch(new RegExp(`^hilbench: .*${reason.source}.*samples kept`));
  const csv = readFileSync(join(out, 'run.csv'), 'utf8');
  expect(csv.endsWith('\n')).toBe(true);
  const rows = csv.trimEnd().split('\n');
  const width = rows[0].split(',').length;
  for (const r of rows) expect(r.split(',').length).toBe(width);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  expect(metrics.status).toBe('failed');
  expect(metrics.samples).toBe(rows.length - 1);
  expect(metrics.samples).toBeGreaterThan(300);
  const events = readFileSync(join(out, 'link.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const last = events[events.length - 1];
  expect(last.event).toBe('fault');
  expect(last.reason).toMatch(reason);
  expect(metrics.error.startsWith(last.reason)).toBe(true);
  return events;
}
