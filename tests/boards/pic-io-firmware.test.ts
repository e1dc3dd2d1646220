/**
 * The PIC16F877 io firmware (`firmware generate solar --board pic16f877 --role io`), built by gpasm
 * and run in gpsim (boards/pic-bridge) behind a socat pty, talked to through serialport: X applies
 * the step rate and display index, M answers the ADC codes and the step count, HELLO's period
 * paces the ticks on board time, ranges are enforced and the watchdog stops the motor.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePicFirmware } from '../../boards/firmware/pic/generate-pic.ts';
import { getBoard } from '../../boards/profiles.ts';
import { buildPicFirmware } from '../../cli/commands/firmware-pic.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { startPicEmulator, type RunningPicEmulator } from '../../hil/emulator/pic-emulator.ts';
import { freshDir } from '../hil/helpers.ts';
import { frame, Link } from './helpers/pic-link.ts';

const CYCLES_PER_S = 5e6; // 20 MHz / 4
const running: RunningPicEmulator[] = [];
afterAll(async () => {
  for (const e of running) await e.stop();
});

function ioProject() {
  const built = buildRun(loadScenario('solar'));
  const dir = join(freshDir('hilbench-pic-io-'), 'solar_io');
  mkdirSync(dir, { recursive: true });
  const gen = generatePicFirmware(firmwareDescription(built), getBoard('pic16f877'), { role: 'io', name: 'solar_io' });
  for (const [f, t] of Object.entries(gen.files)) writeFileSync(join(dir, f), t);
  return { gen, build: buildPicFirmware(dir, 'solar_io') };
}

const project = ioProject();

async function emulated(opts: { latency?: boolean; hostSilenceMs?: number } = {}): Promise<{ emu: RunningPicEmulator; link: Link }> {
  const emu = await startPicEmulator({ firmware: project.build.hexFile, device: join(freshDir('hilbench-pic-io-tty-'), 'tty'), realtime: false, ...opts });
  running.push(emu);
  return { emu, link: await Link.open(emu.device) };
}

const said = (link: Link, body: string) => link.ask(frame(body));
const answer = (body: string) => frame(body).trim();

/** Waits for the bridge's pin report to satisfy `ok` (pins are reported after the board's answer). */
async function pinsSettle(emu: RunningPicEmulator, ok: () => boolean): Promise<void> {
  const t0 = Date.now();
  while (!ok() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
}

describe('PIC16F877 io firmware in gpsim', () => {
  it('announces io/generic with the solar channels; HELLO takes a whole-millisecond period up to 1 s', async () => {
    expect(project.gen.identity).toMatchObject({ firmware: 'io/generic', nSensors: 4, nActuators: 2, Ts_us: 0, nRefs: 0 });
    expect(project.build.ram_B).toBeLessThan(368);
    const { link, emu } = await emulated();
    expect(await said(link, 'X 0 0 0')).toBe(answer('ERR 6 0 state'));
    expect(await said(link, 'HELLO 2')).toBe(answer('READY 2 pic16f877 io/generic 4 2 0 0'));
    expect(await said(link, 'HELLO 2 1000000')).toBe(answer('READY 2 pic16f877 io/generic 4 2 1000000 0'));
    expect(await said(link, 'HELLO 2 20000')).toBe(answer('READY 2 pic16f877 io/generic 4 2 20000 0'));
    expect(await said(link, 'HELLO 2 0')).toBe(answer('READY 2 pic16f877 io/generic 4 2 0 0'));
    expect(await said(link, 'HELLO 2 1500')).toBe(answer('ERR 5 - range')); // not whole milliseconds
    expect(await said(link, 'HELLO 2 1001000')).toBe(answer('ERR 5 - range'));
    expect(await said(link, 'HELLO 2 -1000')).toBe(answer('ERR 5 - range'));
    expect(await said(link, 'HELLO 2 2 3')).toBe(answer('ERR 4 - arity'));
    expect(await said(link, 'HELLO 3 1000')).toBe(answer('ERR 7 - version'));
    // Lockstep frames belong to hil firmware.
    expect(await said(link, 'S 0 1 2 3 4')).toBe(answer('ERR 4 0 arity'));
    await link.close();
    await emu.stop();
  }, 120_000);

  it('X drives PORTD/RC1/RC0 and PORTB, M answers ADRESH of AN0-AN2; counts outside the channels are refused', async () => {
    const { link, emu } = await emulated();
    // Mid-code voltages: the 8-bit code c is floor(V / 5 V · 256) whatever the converter's rounding.
    const codes = [200, 128, 3];
    codes.forEach((c, i) => emu.setAnalog(i, ((c + 0.5) * 5) / 256));
    expect(await said(link, 'HELLO 2')).toMatch(/^READY /);
    expect(await said(link, 'X 0 -120 3')).toMatch(new RegExp(`^M 0 ${codes.join(' ')} -?\\d+\\*`));
    await pinsSettle(emu, () => emu.pins.D === 120);
    expect(emu.pins).toMatchObject({ B: 3, D: 120 });
    expect(emu.pins.C & 0b11).toBe(0b11); // running, reverse
    expect(await said(link, 'X 1 250 4')).toMatch(new RegExp(`^M 1 ${codes.join(' ')} -?\\d+\\*`));
    await pinsSettle(emu, () => emu.pins.D === 250);
    expect(emu.pins.C & 0b11).toBe(0b01);
    for (const bad of ['X 2 251 0', 'X 2 -251 0', 'X 2 0 5', 'X 2 0 -1', 'X 2 2147483647 0', 'X 2 -32768 0']) {
      expect(await said(link, bad), bad).toBe(answer('ERR 5 2 range'));
    }
    expect(await said(link, 'X 2 0 1')).toMatch(/^M 2 /);
    await pinsSettle(emu, () => emu.pins.D === 0);
    expect(emu.pins.C & 0b01).toBe(0);
    expect(emu.pins.B).toBe(1);
    await link.close();
    await emu.stop();
  }, 120_000);

  it('HELLO 2 1000000: each X is applied and sampled on the board’s 1 s grid; the step count integrates the rate exactly', async () => {
    const { link, emu } = await emulated({ latency: true });
    expect(await said(link, 'HELLO 2 1000000')).toMatch(/^READY 2 pic16f877 io\/generic 4 2 1000000 0\*/);
    const rates = [250, 250, 250, -100, -100, 0, 17];
    const steps: number[] = [];
    for (let k = 0; k < rates.length; k++) {
      const m = /^M (\d+) \d+ \d+ \d+ (-?\d+)\*/.exec(await said(link, `X ${k} ${rates[k]} 2`));
      expect(m, `M ${k}`).not.toBeNull();
      expect(Number(m![1])).toBe(k);
      steps.push(Number(m![2]));
    }
    // Sampled before each X takes effect: the sum of the rates applied for whole seconds before it.
    expect(steps).toEqual([0, 250, 500, 750, 650, 550, 550]);
    await emu.stop();
    // Board time from each X's '\n' to its M: the first X starts the grid at once; every later X
    // waits for the boundary one period after the previous one, less the bytes exchanged meanwhile
    // (an M and an X: under 60 bytes, 5.3 ms at 113 636 baud).
    const lat = emu.latencies.map((c) => c / CYCLES_PER_S);
    expect(lat).toHaveLength(rates.length + 1); // with HELLO's
    expect(lat[1]).toBeLessThan(0.001);
    for (const l of lat.slice(2)) {
      expect(l).toBeGreaterThan(0.99);
      expect(l).toBeLessThan(1.0);
    }
    // Fast mode jumped over the firmware's idle loops for most of those seconds.
    expect(emu.stats!.skipped / emu.stats!.cycles).toBeGreaterThan(0.9);
    console.log(`PIC io, board pacing: ${(emu.stats!.cycles / CYCLES_PER_S).toFixed(2)} s of board time, ${((100 * emu.stats!.skipped) / emu.stats!.cycles).toFixed(1)} % skipped in idle loops, ${emu.stats!.busy_s.toFixed(3)} s simulating`);
    await link.close();
  }, 120_000);

  it('with WD armed and the host silent, the motor stops (PORTD 0, RC0 low), the display holds, FAULT WATCHDOG', async () => {
    const { link, emu } = await emulated({ hostSilenceMs: 200 });
    await said(link, 'HELLO 2');
    expect(await said(link, 'WD 50')).toBe(answer('WD 50'));
    expect(await said(link, 'X 0 200 3')).toMatch(/^M 0 /);
    await pinsSettle(emu, () => emu.pins.D === 200);
    expect(emu.pins.C & 1).toBe(1);
    expect(await link.ask('', 10_000)).toBe(answer('FAULT WATCHDOG'));
    await pinsSettle(emu, () => emu.pins.D === 0 && (emu.pins.C & 1) === 0);
    expect(emu.pins).toMatchObject({ B: 3, D: 0 });
    expect(emu.pins.C & 1).toBe(0);
    expect(await said(link, 'X 1 200 3')).toBe(answer('ERR 6 1 faulted'));
    await link.close();
  }, 120_000);
});
