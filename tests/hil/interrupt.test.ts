import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectIntactRun, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

// Real components: generated firmware on the emulated board behind socat, `hilbench hil run` as a user starts it.
const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
});

function rowsOf(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n');
}

describe('Ctrl-C during hil run (without --live)', () => {
  it('stops at the next tick with every recorded row on disk, metrics.json and a fault record, exit 1 with one line', async () => {
    const hex = await generatedFirmware('maglev-fixed');
    const dir = freshDir('hilbench-int-');
    const device = join(dir, 'ttyEMU0');
    const emu = cli(['board', 'emulate', '--firmware', hex, '--device', device, '--fast']);
    children.push(emu);
    await waitFor(() => emu.stdout.includes('Ctrl-C stops'), 30_000, 'the emulator');
    const out = join(dir, 'run');
    const hil = cli(['hil', 'run', 'maglev-fixed', '--port', device, '--out', out, '--duration', '120', '--realtime']);
    children.push(hil);
    await waitFor(() => {
      try {
        return rowsOf(join(out, 'run.csv')).length > 300;
      } catch {
        return false;
      }
    }, 60_000, 'samples in run.csv');
    hil.child.kill('SIGINT');
    expect(await hil.done).toBe(1);
    expectIntactRun(out, hil.stderr, /stopped by Ctrl-C/);
  }, 120_000);
});
