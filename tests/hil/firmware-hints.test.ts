import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { checkReady } from '../../hil/runners/check-ready.ts';
import { cli, freshDir, generatedFirmware, repoRoot, waitFor, type Cli } from './helpers.ts';

// Every hint of a wrong-firmware refusal is a command: each test copies the commands out of the
// message and runs them as they are, in a fresh working directory (the hints write fw/…), and ends
// with the suggested run completing against the firmware the hints built. Two things are added to
// what is copied: `--dry-run` to a flash (no real board here), and to a run a shorter `--duration`
// and patient timeouts (the emulator shares a busy machine).

const bin = join(repoRoot, 'bin/hilbench.js');
const patient = ['--timeout-ms', '10000', '--handshake-ms', '30000'];
const emulators: Cli[] = [];
afterAll(() => {
  for (const e of emulators) if (e.child.exitCode === null && e.child.pid) process.kill(e.child.pid, 'SIGTERM');
});

/** Runs a copied `hilbench …` command in `cwd`; resolves with its exit code and output. */
function run(command: string, cwd: string, extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (process.env.HINT_DEBUG) console.log(new Date().toISOString(), command);
  const [head, ...args] = command.split(' ');
  expect(head).toBe('hilbench');
  const child = spawn(process.execPath, [bin, ...args, ...extra], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
}

/** Starts a copied `hilbench board emulate …` command and waits until its serial device is up. */
async function emulate(command: string, cwd: string): Promise<Cli> {
  const [head, ...args] = command.split(' ');
  expect(head).toBe('hilbench');
  expect(args.slice(0, 2)).toEqual(['board', 'emulate']);
  const emu = cli(args.map((a) => (a.startsWith('fw/') ? join(cwd, a) : a)));
  emulators.push(emu);
  await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 180_000, 'the emulator');
  if (emu.child.exitCode !== null) throw new Error(`${command}: exited ${emu.child.exitCode}: ${emu.stderr}`);
  return emu;
}

async function stop(emu: Cli): Promise<void> {
  process.kill(emu.child.pid as number, 'SIGTERM');
  await emu.done;
}

/** The backquoted commands of a one-line refusal, in order. */
function commands(stderr: string): string[] {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^hilbench: wrong firmware on the board: /);
  return [...lines[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

async function ok(r: Promise<{ code: number | null; stdout: string; stderr: string }>, what: string): Promise<string> {
  const x = await r;
  if (x.code !== 0) throw new Error(`${what} exited ${x.code}: ${x.stderr.trim()}`);
  return x.stdout;
}

describe('wrong-firmware hints are commands that work when copied', () => {
  it('hil run maglev against maglev-fixed firmware: the maglev-fixed run; --mode io: io firmware', async () => {
    const work = freshDir('hilbench-hint-');
    const device = join(work, 'ttyEMU0');
    const first = await emulate(`hilbench board emulate --firmware ${await generatedFirmware('maglev-fixed')} --device ${device} --fast`, work);
    const refused = await run(`hilbench hil run maglev --port ${device}`, work, patient);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/'maglev' cannot run in the board: its controller type 'pid' has no firmware generator/);
    expect(commands(refused.stderr)).toEqual([`hilbench hil run maglev-fixed --port ${device}`]);
    const [hilRun] = commands(refused.stderr);
    expect(await ok(run(hilRun, work, ['--duration', '0.1', ...patient]), hilRun)).toMatch(/maglev-fixed: completed/);

    const io = await run(`hilbench hil run maglev --mode io --port ${device}`, work, patient);
    expect(io.code).toBe(1);
    const [generate, flash, restart, ...rest] = commands(io.stderr);
    expect(rest).toEqual([]);
    expect(generate).toBe('hilbench firmware generate maglev --board uno --role io --out fw/maglev_io --build');
    expect(await ok(run(generate, work), generate)).toMatch(/READY 2 uno io\/generic /);
    expect(await ok(run(flash, work, ['--dry-run']), flash)).toMatch(new RegExp(`^avrdude .*-P ${device} .*maglev_io\\.hex`));
    await stop(first);
    const second = await emulate(restart, work);
    expect(second.stdout).toContain(join(work, 'fw/maglev_io/build/maglev_io.hex'));
  }, 900_000);

  it('hil run solar against an Uno with maglev-fixed firmware: solar firmware for the Uno', async () => {
    const work = freshDir('hilbench-hint-');
    const device = join(work, 'ttyEMU0');
    const first = await emulate(`hilbench board emulate --firmware ${await generatedFirmware('maglev-fixed')} --device ${device} --fast`, work);
    const refused = await run(`hilbench hil run solar --port ${device}`, work, patient);
    expect(refused.code).toBe(1);
    const [generate, flash, restart, ...rest] = commands(refused.stderr);
    expect(rest).toEqual([]);
    expect(generate).toBe('hilbench firmware generate solar --board uno --out fw/solar --build');
    await ok(run(generate, work), generate);
    await ok(run(flash, work, ['--dry-run']), flash);
    await stop(first);
    await emulate(restart, work);
    expect(await ok(run(`hilbench hil run solar --port ${device}`, work, ['--duration', '30', ...patient]), 'hil run solar')).toMatch(/solar: completed/);
  }, 900_000);

  it('a PIC16F877 with other firmware: the solar hint builds with gpasm and runs in gpsim', async () => {
    const work = freshDir('hilbench-hint-');
    const device = join(work, 'ttyPIC0');
    const ready = { type: 'READY', version: 1, board: 'pic16f877', firmware: 'hil/other', nSensors: 4, nActuators: 2, Ts_us: 1_000_000, nRefs: 0 } as const;
    let message = '';
    try {
      checkReady(ready, buildRun(loadScenario('solar')), 'hil', device);
    } catch (e) {
      message = `hilbench: ${(e as Error).message}`;
    }
    const [generate, flash, restart, ...rest] = commands(message);
    expect(rest).toEqual([]);
    expect(generate).toBe('hilbench firmware generate solar --board pic16f877 --out fw/solar --build');
    await ok(run(generate, work), generate);
    expect(await ok(run(flash, work, ['--dry-run']), flash)).toMatch(/^pk2cmd -PPIC16F877 -F.*fw\/solar\/build\/solar\.hex/);
    await emulate(restart, work);
    expect(await ok(run(`hilbench hil run solar --port ${device}`, work, ['--duration', '30', ...patient]), 'hil run solar')).toMatch(/solar: completed/);
  }, 900_000);
});
