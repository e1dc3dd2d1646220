import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectIntactRun, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

// Acceptance on the seeds' own board: the generated PIC16F877 assembly, built by gpasm, running in
// gpsim (boards/pic-bridge) behind a socat pty, driven by `hilbench hil run` through serialport,
// gives actuator columns identical sample for sample to `hilbench run` with the same seed.
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

async function startPic(generateArgs: string[]): Promise<{ emu: Cli; device: string; dir: string }> {
  // No --board: the solar scenario's board is the PIC16F877.
  const hex = await generatedFirmware('solar', generateArgs);
  const dir = freshDir('hilbench-pic-hil-');
  const device = join(dir, 'ttyPIC0');
  const emu = cli(['board', 'emulate', '--board', 'pic16f877', '--firmware', hex, '--device', device, '--fast']);
  children.push(emu);
  await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 60_000, 'the PIC emulator');
  expect(emu.stdout).toContain('emulated pic16f877');
  return { emu, device, dir };
}

// t = 0 is local midnight at utc_offset_h: -8 puts it at 11:00 in Sakarya (UTC+3); four hours cover
// the tracker's midday moves (the seed moves four times, the winter fix on 21 December nine times).
const WINDOW = ['--set', 'utc_offset_h=-8', '--set', 'record.every=1', '--duration', '14400'];

describe.concurrent('sim ≡ hil on the emulated PIC16F877', () => {
  for (const [label, extra] of [
    ['seed controller', []],
    ['winter fix on 21 December', ['--controller', 'winter-fix', '--set', 'plantOptions.date=2025-12-21']],
  ] as const) {
    it(`solar, ${label}: 4 h at 1 s, every tick recorded`, async () => {
      const args = [...WINDOW, ...extra];
      const ctl = extra.slice(0, 2);
      const { emu, device, dir } = await startPic([...ctl]);
      const sim = cli(['run', 'solar', '--out', join(dir, 'sim'), ...args]);
      const hil = cli(['hil', 'run', 'solar', '--port', device, '--out', join(dir, 'hil'), ...args]);
      await Promise.all([ok(sim, 'run'), ok(hil, 'hil run')]);
      process.kill(emu.child.pid as number, 'SIGTERM');
      expect(await emu.done).toBe(0);
      const metrics = JSON.parse(readFileSync(join(dir, 'hil', 'metrics.json'), 'utf8'));
      expect(metrics.mode).toBe('hil');
      expect(metrics.link_badCrc + metrics.link_malformed + metrics.link_nonAscii).toBe(0);
      const s = csv(join(dir, 'sim', 'run.csv'));
      const h = csv(join(dir, 'hil', 'run.csv'));
      expect(s.length - 1).toBe(14400);
      expect(h[0]).toEqual(s[0]);
      for (const name of ['step_rate_cmd_sps_counts', 'lcd_cmd_counts']) {
        const j = s[0].indexOf(name);
        expect(j, name).toBeGreaterThan(0);
        const a = s.slice(1).map((r) => r[j]);
        expect(h.slice(1).map((r) => r[j])).toEqual(a);
        expect(new Set(a).size, `${name} varies`).toBeGreaterThan(1);
      }
      expect(h).toEqual(s);
    }, 900_000);
  }

  it('killing the emulated PIC mid-run: exit 1 within the request timeout, files intact', async () => {
    const { emu, device, dir } = await startPic([]);
    const bridgePid = Number(/pic-bridge pid (\d+)/.exec(emu.stdout)?.[1]);
    expect(bridgePid).toBeGreaterThan(0);
    const out = join(dir, 'run');
    const hil = cli(['hil', 'run', 'solar', '--port', device, '--out', out, ...WINDOW, '--timeout-ms', '250', '--retries', '1']);
    children.push(hil);
    await waitFor(() => {
      try {
        return readFileSync(join(out, 'run.csv'), 'utf8').split('\n').length > 400;
      } catch {
        return false;
      }
    }, 300_000, 'samples in run.csv');
    const killedAt = Date.now();
    process.kill(bridgePid, 'SIGKILL');
    expect(await hil.done).toBe(1);
    const exitedAfter_ms = Date.now() - killedAt;
    const events = expectIntactRun(out, hil.stderr, /(disconnected|stopped answering)/);
    // The emulator stops socat when its bridge dies, so the host sees a hang-up rather than silence.
    const disc = events.find((e) => e.event === 'status' && e.status === 'disconnected');
    expect(disc, JSON.stringify(events.slice(-3))).toBeDefined();
    const detected_ms = Date.parse(disc.wall) - killedAt;
    // The emulator command sees its bridge die, stops socat and exits 1 by itself.
    expect(await emu.done).toBe(1);
    expect(emu.stderr).toMatch(/pic-bridge \(pid \d+\) exited \(SIGKILL\)/);
    console.log(`pic-bridge killed: disconnect seen after ${detected_ms} ms, hil run exited after ${exitedAfter_ms} ms`);
    // The 250 ms request timeout, with room for a loaded machine.
    expect(detected_ms).toBeLessThan(1000);
  }, 600_000);
});
