import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
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
