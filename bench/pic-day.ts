/**
 * `npm run bench -- pic-day`: the whole-day check of sim ≡ hil on the emulated PIC16F877 (the test
 * suite checks a 4 h window): `hilbench hil run solar --duration 86400` against the generated
 * firmware in gpsim, and `hilbench run solar`, for the seed controller and the winter fix; the
 * actuator columns must be identical sample for sample. Sets a failing exit code on a difference.
 * The two controllers run at the same time.
 */
import { firmwareDescription } from '../firmware-sim/scenario/firmware-description.ts';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePicFirmware } from '../boards/firmware/pic/generate-pic.ts';
import { getBoard } from '../boards/profiles.ts';
import { buildPicFirmware } from '../cli/commands/firmware-pic.ts';
import { buildRun } from '../firmware-sim/scenario/build.ts';
import { readCsvFile } from '../formats/csv.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { startPicEmulator } from '../hil/emulator/pic-emulator.ts';

const hilbench = (args: string[]) =>
  new Promise<number | null>((r) => spawn(process.execPath, ['bin/hilbench.js', ...args], { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', r));

const columns = (file: string, names: string[]) => {
  const table = readCsvFile(file);
  const idx = names.map((n) => table.header.indexOf(n));
  return table.rows.map((r) => idx.map((j) => r[j]).join(','));
};

export async function benchPicDay(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'hilbench-pic-day-'));
  // Both days at once: each waits mostly on its serial round trips (host, socat, bridge), not on a core.
  // allSettled: a failing day still lets the other finish and stop its emulator before the error.
  const days = await Promise.allSettled(['seed', 'winter-fix'].map((controller) => checkDay(root, controller)));
  for (const d of days) if (d.status === 'rejected') throw d.reason;
}

async function checkDay(root: string, controller: string): Promise<void> {
  const built = buildRun(loadScenario('solar', { controller }));
  const dir = join(root, controller, 'fw');
  mkdirSync(dir, { recursive: true });
  for (const [f, t] of Object.entries(generatePicFirmware(firmwareDescription(built), getBoard('pic16f877'), { role: 'hil', name: 'fw' }).files)) writeFileSync(join(dir, f), t);
  const b = buildPicFirmware(dir, 'fw');
  const emu = await startPicEmulator({ firmware: b.hexFile, device: join(root, controller, 'tty') });
  const t0 = performance.now();
  const args = ['solar', '--controller', controller, '--duration', '86400', '--set', 'record.every=1'];
  const [hilCode, simCode] = await Promise.all([
    // Equality is the point here, not timing: a generous request timeout rides out a loaded machine.
    hilbench(['hil', 'run', ...args, '--port', emu.device, '--out', join(root, controller, 'hil'), '--timeout-ms', '2000']),
    hilbench(['run', ...args, '--out', join(root, controller, 'sim')]),
  ]);
  await emu.stop();
  if (hilCode !== 0 || simCode !== 0) throw new Error(`${controller}: hil run exited ${hilCode}, run exited ${simCode}`);
  const names = ['step_rate_cmd_sps_counts', 'lcd_cmd_counts'];
  const sim = columns(join(root, controller, 'sim', 'run.csv'), names);
  const hil = columns(join(root, controller, 'hil', 'run.csv'), names);
  const firstDiff = sim.findIndex((r, i) => hil[i] !== r);
  const same = sim.length === 86400 && hil.length === sim.length && firstDiff < 0;
  console.log(
    `${controller.padEnd(11)} ${hil.length} of ${sim.length} samples, actuator columns ${same ? 'identical' : `DIFFER (first at sample ${firstDiff})`}; ${((performance.now() - t0) / 1000).toFixed(0)} s wall`,
  );
  if (!same) process.exitCode = 1;
}
