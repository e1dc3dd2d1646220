import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

// Acceptance: generated firmware, compiled by avr-gcc, running on the emulated Uno behind a socat
// pty, driven by `hilbench hil run` through serialport, gives actuator columns identical sample for
// sample to `hilbench run` with the same seed.
const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.pid) process.kill(c.child.pid, 'SIGTERM');
});

function csv(file: string): string[][] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
}

async function ok(c: Cli, what: string): Promise<void> {
  const code = await c.done;
  if (code !== 0) throw new Error(`${what} exited ${code}: ${c.stderr.trim()}`);
}

async function simEqualsHil(scenario: string, args: string[], generateArgs: string[], hilArgs: string[] = []): Promise<{ sim: string[][]; hil: string[][] }> {
  const dir = freshDir(`hilbench-${scenario}-`);
  const sim = cli(['run', scenario, '--out', join(dir, 'sim'), ...args]);
  const [hex] = await Promise.all([generatedFirmware(scenario, generateArgs), ok(sim, 'run')]);
  const device = join(dir, 'ttyEMU0');
  const emu = cli(['board', 'emulate', '--board', 'uno', '--firmware', hex, '--device', device, '--fast']);
  children.push(emu);
  await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 20_000, 'the emulator');
  const hil = cli(['hil', 'run', scenario, '--port', device, '--out', join(dir, 'hil'), ...args, ...hilArgs]);
  await ok(hil, 'hil run');
  process.kill(emu.child.pid as number, 'SIGTERM');
  expect(await emu.done).toBe(0);
  const metrics = JSON.parse(readFileSync(join(dir, 'hil', 'metrics.json'), 'utf8'));
  expect(metrics.mode).toBe('hil');
  // Retransmissions after a timeout are allowed on a loaded machine (the board answers a repeated seq
  // without stepping again); damaged frames are not expected on a pty.
  expect(metrics.link_badCrc + metrics.link_malformed + metrics.link_nonAscii).toBe(0);
  return { sim: csv(join(dir, 'sim', 'run.csv')), hil: csv(join(dir, 'hil', 'run.csv')) };
}

function expectIdenticalActuators(sim: string[][], hil: string[][], actuatorCols: string[]): void {
  expect(hil[0]).toEqual(sim[0]);
  expect(hil.length).toBe(sim.length);
  for (const name of actuatorCols) {
    const j = sim[0].indexOf(name);
    expect(j, name).toBeGreaterThan(0);
    const a = sim.slice(1).map((r) => r[j]);
    const b = hil.slice(1).map((r) => r[j]);
    expect(b).toEqual(a);
    // A column that never moves would make the comparison empty.
    expect(new Set(a).size, `${name} varies`).toBeGreaterThan(1);
  }
  // Same actuators into the same simulated plant with the same seed: every column matches.
  expect(hil).toEqual(sim);
}

describe.concurrent('sim ≡ hil', () => {
  it('maglev-fixed: fixed-point PID on the emulated Uno, 2000 ticks', async () => {
    const { sim, hil } = await simEqualsHil('maglev-fixed', [], []);
    expect(sim.length - 1).toBe(2000);
    expectIdenticalActuators(sim, hil, ['i_cmd_A_counts']);
  }, 120_000);

  it('solar: integer fuzzy controller on the emulated Uno, 2 h of morning at 1 s, every tick recorded', async () => {
    // t = 0 is local midnight at utc_offset_h: -3 puts it at 06:00 in Sakarya (UTC+3), so two
    // hours cover sunrise and the first moves of the tracker.
    const args = ['--set', 'utc_offset_h=-3', '--set', 'record.every=1', '--duration', '7200'];
    // 1 Mbaud (exact on a 16 MHz Uno) keeps 7200 lockstep ticks short.
    const { sim, hil } = await simEqualsHil('solar', args, ['--board', 'uno', '--baud', '1000000'], ['--baud', '1000000']);
    expect(sim.length - 1).toBe(7200);
    expectIdenticalActuators(sim, hil, ['step_rate_cmd_sps_counts', 'lcd_cmd_counts']);
  }, 120_000);
});
