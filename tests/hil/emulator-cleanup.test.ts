/**
 * `hilbench board emulate` must never leave socat behind: a bad --device is one line and exit 1
 * with nothing started, and closing the terminal (SIGHUP) stops socat like Ctrl-C does.
 * Each emulator gets its own TMPDIR, so a socat it started is recognisable by its command line.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestFirmware, cli, freshDir, waitFor, type Cli } from './helpers.ts';

const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

/** PIDs of running socat processes whose command line mentions `marker`. */
function socatsMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'))?.[1];
      if (cmd.startsWith('socat\0') && cmd.includes(marker) && state !== 'Z') found.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function emulate(device: string): Promise<{ c: Cli; tmp: string; t0: number }> {
  const tmp = freshDir('hilbench-emu-tmp-');
  const c = cli(['board', 'emulate', '--firmware', buildTestFirmware('hil'), '--device', device], { TMPDIR: tmp });
  children.push(c);
  return { c, tmp, t0: Date.now() };
}

describe('board emulate cleans up after itself', () => {
  it('--device in a missing directory: one line, exit 1, quickly, no socat left', async () => {
    const { c, tmp, t0 } = await emulate(`/nonexistent-dir-${process.pid}/tty`);
    const code = await c.done;
    const took_ms = Date.now() - t0;
    expect(code, c.stderr).toBe(1);
    expect(c.stderr.trim().split('\n'), c.stderr).toEqual([
      `hilbench: --device /nonexistent-dir-${process.pid}/tty: directory /nonexistent-dir-${process.pid} does not exist; choose a path in an existing directory such as /tmp/ttyEMU0`,
    ]);
    // Startup of the CLI through tsx plus the check; the reviewer saw a 10-minute hang here.
    expect(took_ms).toBeLessThan(15_000);
    console.log(`missing --device directory: exit 1 after ${took_ms} ms`);
    expect(socatsMentioning(tmp)).toEqual([]);
  }, 30_000);

  it('--device where no link can be made (socat already started): one line, exit 1, socat stopped', async () => {
    const { c, tmp } = await emulate('/proc/hilbench-tty');
    const code = await c.done;
    expect(code, c.stderr).toBe(1);
    expect(c.stderr.trim().split('\n'), c.stderr).toHaveLength(1);
    expect(c.stderr).toMatch(/--device \/proc\/hilbench-tty: cannot create the link \(ENOENT\)/);
    await waitFor(() => socatsMentioning(tmp).length === 0, 3000, 'socat to stop');
  }, 30_000);

  it('SIGHUP (terminal closed) stops socat and removes the device link', async () => {
    const device = join(freshDir('hilbench-hup-'), 'ttyEMU0');
    const { c, tmp } = await emulate(device);
    await waitFor(() => c.stdout.includes('Ctrl-C stops'), 30_000, 'the emulator');
    const socat = Number(/socat pid (\d+)/.exec(c.stdout)?.[1]);
    expect(socatsMentioning(tmp)).toEqual([socat]);
    expect(lstatSync(device).isSymbolicLink()).toBe(true);
    c.child.kill('SIGHUP');
    await c.done;
    await waitFor(() => socatsMentioning(tmp).length === 0, 3000, `socat ${socat} to stop`);
    expect(existsSync(device)).toBe(false);
  }, 60_000);

  it('kill -9 of the emulator: the kernel stops socat with it (setpriv --pdeathsig)', async () => {
    const device = join(freshDir('hilbench-kill9-'), 'ttyEMU0');
    const { c, tmp } = await emulate(device);
    await waitFor(() => c.stdout.includes('Ctrl-C stops'), 90_000, 'the emulator');
    const socat = Number(/socat pid (\d+)/.exec(c.stdout)?.[1]);
    expect(socatsMentioning(tmp)).toEqual([socat]);
    const abandoned = readdirSync(tmp).filter((n) => n.startsWith('hilbench-pty-'));
    expect(abandoned).toHaveLength(1);
    c.child.kill('SIGKILL');
    await c.done;
    await waitFor(() => socatsMentioning(tmp).length === 0, 10_000, `socat ${socat} to stop`);
    // Nothing ran the killed emulator's cleanup: the next one removes its pty directory.
    expect(existsSync(join(tmp, abandoned[0]))).toBe(true);
    const next = cli(['board', 'emulate', '--firmware', buildTestFirmware('hil'), '--device', device], { TMPDIR: tmp });
    children.push(next);
    await waitFor(() => next.stdout.includes('Ctrl-C stops'), 90_000, 'the next emulator');
    expect(existsSync(join(tmp, abandoned[0]))).toBe(false);
    next.child.kill('SIGTERM');
    await next.done;
  }, 180_000);
});
