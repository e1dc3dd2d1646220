import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePicFirmware } from '../../boards/firmware/pic/generate-pic.ts';
import { getBoard } from '../../boards/profiles.ts';
import { buildPicFirmware } from '../../cli/commands/firmware-pic.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { startPicEmulator, type RunningPicEmulator } from '../../hil/emulator/pic-emulator.ts';
import { freshDir } from '../hil/helpers.ts';
import { crc16, frame, Link } from './helpers/pic-link.ts';

// The generated PIC16F877 assembly, built by gpasm and run in gpsim (boards/pic-bridge) behind a
// socat pty, talked to through serialport: protocol conformance, and the solar controller's answers
// against the TypeScript controller the simulation runs, frame for frame.

const running: RunningPicEmulator[] = [];
afterAll(async () => {
  for (const e of running) await e.stop();
});

function picProject(controller?: string, set: string[] = []) {
  const built = buildRun(loadScenario('solar', { controller, set }));
  const dir = join(freshDir('hilbench-pic-'), 'solar_pic');
  mkdirSync(dir, { recursive: true });
  const gen = generatePicFirmware(firmwareDescription(built), getBoard('pic16f877'), { role: 'hil', name: 'solar_pic' });
  for (const [f, t] of Object.entries(gen.files)) writeFileSync(join(dir, f), t);
  return { built, dir, gen, build: buildPicFirmware(dir, 'solar_pic') };
}

async function emulated(hex: string): Promise<{ emu: RunningPicEmulator; link: Link }> {
  const emu = await startPicEmulator({ firmware: hex, device: join(freshDir('hilbench-pic-tty-'), 'tty'), realtime: false });
  running.push(emu);
  return { emu, link: await Link.open(emu.device) };
}

describe('PIC16F877 firmware in gpsim', () => {
  it('the CRC-16 of the protocol check string is 29B1', () => {
    expect(crc16('123456789')).toBe(0x29b1);
  });

  it('builds with gpasm within the PIC16F877 and answers the protocol as docs/protocol.md says', async () => {
    const { build, gen } = picProject();
    expect(build.programWords).toBeGreaterThan(100);
    expect(build.programWords).toBeLessThan(8192);
    expect(build.ram_B).toBeLessThan(368);
    expect(gen.baud).toMatchObject({ spbrg: 10, brgh: 1 });
    const { link, emu } = await emulated(build.hexFile);
    const said = async (raw: string) => link.ask(raw);
    // A fresh port's lone '\n' (section 6) is an empty line: ERR 1.
    expect(await said('\n')).toBe(frame('ERR 1 - crc').trim());
    expect(await said(frame('S 0 1 2 3 4'))).toBe(frame('ERR 6 0 state').trim());
    expect(await said(frame('HELLO 2'))).toBe(frame('READY 2 pic16f877 hil/solar 4 2 1000000 0').trim());
    expect(await said(frame('HELLO 1'))).toBe(frame('ERR 7 - version').trim());
    expect(await said('HELLO 2*00\n')).toBe(frame('ERR 1 - crc').trim());
    expect(await said('HELLO 2*0C18\r\n')).toBe(frame('READY 2 pic16f877 hil/solar 4 2 1000000 0').trim());
    expect(await said(`${'X'.repeat(130)}\n`)).toBe(frame('ERR 2 - toolong').trim());
    expect(await said(`S 7 ${'1'.repeat(130)}\n`)).toBe(frame('ERR 2 7 toolong').trim());
    expect(await said(frame('S 0 1 2\x01 3 4'))).toBe(frame('ERR 3 0 syntax').trim());
    expect(await said(frame('S 0 1 2 3 -0'))).toBe(frame('ERR 3 0 syntax').trim());
    expect(await said(frame('S 0 1 2 3 007'))).toBe(frame('ERR 3 0 syntax').trim());
    expect(await said(frame('S 0 1  2 3 4'))).toBe(frame('ERR 3 0 syntax').trim());
    expect(await said(frame('s 0 1 2 3 4'))).toBe(frame('ERR 3 - syntax').trim());
    expect(await said(frame('S 0 1 2 3'))).toBe(frame('ERR 4 0 arity').trim());
    expect(await said(frame('S 0 1 2 3 4 5'))).toBe(frame('ERR 4 0 arity').trim());
    expect(await said(frame('S 0 256 2 3 4'))).toBe(frame('ERR 5 0 range').trim());
    expect(await said(frame('S 65536 1 2 3 4'))).toBe(frame('ERR 5 - range').trim());
    expect(await said(frame('S 0 1 2 3 2147483648'))).toBe(frame('ERR 5 0 range').trim());
    expect(await said(frame('X 0 1 2'))).toBe(frame('ERR 6 0 state').trim());
    expect(await said(frame('WD 60001'))).toBe(frame('ERR 5 - range').trim());
    // The seq of a damaged S whenever it can be read (section 2.5), '-' otherwise: as the C firmware.
    expect(await said('S 65535 1 2 3 4*00\n')).toBe(frame('ERR 1 65535 crc').trim());
    expect(await said('S 9*00\n')).toBe(frame('ERR 1 9 crc').trim());
    expect(await said('S 9 1 \xff 3 4*00\n')).toBe(frame('ERR 3 9 syntax').trim());
    expect(await said('#xS 9 1 2 3 4*00\n')).toBe(frame('ERR 1 - crc').trim());
    expect(await said('S 09 1 2 3 4*00\n')).toBe(frame('ERR 1 - crc').trim());
    expect(await said('S -9 1 2 3 4*00\n')).toBe(frame('ERR 1 - crc').trim());
    expect(await said('S 9\n')).toBe(frame('ERR 1 - crc').trim());
    expect(await said('S 9\x01 1 2 3 4*00\n')).toBe(frame('ERR 3 - syntax').trim());
    expect(await said('S 9\r 1 2 3 4*00\n')).toBe(frame('ERR 3 - syntax').trim());
    expect(await said(frame('WD 0'))).toBe(frame('WD 0').trim());
    // Lockstep: steps far below the target of position 2 (2 × 1250) → +250 steps/s, motor on (RC0).
    const a0 = await said(frame('S 0 100 200 100 -2147483648'));
    expect(a0).toMatch(/^A 0 250 [0-4]\*[0-9A-F]{4}$/);
    // The same seq again is a retransmission: the same answer, no second step.
    expect(await said(frame('S 0 100 200 100 -2147483648'))).toBe(a0);
    // A host that timed out resends while the board is still computing and answering: the
    // receive ring keeps the bytes, so both copies are answered, the second as a retransmission.
    const a1 = await said(frame('S 1 100 200 100 0') + frame('S 1 100 200 100 0') + frame('S 2 100 200 100 2500'));
    expect(a1).toMatch(/^A 1 250 [0-4]\*[0-9A-F]{4}$/);
    expect(await said('')).toBe(a1);
    expect(await said('')).toMatch(/^A 2 -?\d+ [0-4]\*[0-9A-F]{4}$/);
    await link.close();
    await emu.stop();
  }, 120_000);

  for (const controller of [undefined, 'winter-fix']) {
    it(`${controller ?? 'seed'}: 400 random S frames give the TypeScript controller's A frames (a decision every tick)`, async () => {
      const set = ['controller.decideEvery_s=1'];
      const { built, build } = picProject(controller, set);
      const reference = buildRun(loadScenario('solar', { controller, set })).controller;
      reference.reset();
      const { link } = await emulated(build.hexFile);
      expect(await link.ask(frame('HELLO 2'))).toMatch(/^READY 2 pic16f877 hil\/solar 4 2 1000000 0\*/);
      const rng = new Xoshiro128(7);
      const y = new Float64Array(4);
      const u = new Float64Array(2);
      const positions = new Set<number>();
      const int = (n: number) => Math.floor(rng.uniform() * n);
      for (let seq = 0; seq < 400; seq++) {
        // Codes near the breakpoints and anywhere; steps near the targets and far off.
        const code = () => (rng.uniform() < 0.5 ? int(256) : [0x4c, 0x80, 0xb3][int(3)] + int(5) - 2);
        const c = [code(), code(), code()];
        const steps = rng.uniform() < 0.8 ? int(6000) - 500 : int(2 ** 31) * (rng.uniform() < 0.5 ? -1 : 1);
        for (let i = 0; i < 3; i++) y[i] = ((c[i] + 0.5) * 5) / 256;
        y[3] = steps;
        reference.update(y, new Float64Array(0), seq * built.scenario.Ts, u);
        positions.add(u[1]);
        const body = `A ${seq} ${u[0]} ${u[1]}`;
        expect(await link.ask(frame(`S ${seq} ${c.join(' ')} ${steps}`)), `codes ${c} steps ${steps}`).toBe(frame(body).trim());
      }
      expect(positions.size).toBeGreaterThanOrEqual(3);
      await link.close();
    }, 300_000);
  }

  it('with WD armed and the host silent, the firmware stops the motor (RC0 low) and sends FAULT WATCHDOG', async () => {
    const { build } = picProject();
    const emu = await startPicEmulator({
      firmware: build.hexFile,
      device: join(freshDir('hilbench-pic-tty-'), 'tty'),
      realtime: false,
      hostSilenceMs: 200,
    });
    running.push(emu);
    const link = await Link.open(emu.device);
    await link.ask(frame('HELLO 2'));
    expect(await link.ask(frame('WD 50'))).toBe(frame('WD 50').trim());
    expect(await link.ask(frame('S 0 100 200 100 0'))).toMatch(/^A 0 250 /);
    // The answer is sent before the pins are written; wait for the bridge's pin report.
    const t0 = Date.now();
    while (!(emu.pins.C & 1) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(emu.pins.C & 0b11).toBe(0b01); // running, forward
    const motorOnAt = emu.pins.cycle;
    // Silence: after the host-silence grace the board runs in real time and its 50 ms watchdog expires.
    const fault = await link.ask('', 10_000);
    expect(fault).toBe(frame('FAULT WATCHDOG').trim());
    while (emu.pins.C & 1 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    expect(emu.pins.C & 1).toBe(0);
    // 50 ms of board time (5 MHz instruction clock) after the last frame, give or take the answer's bytes.
    const afterMs = (emu.pins.cycle - motorOnAt) / 5000;
    expect(afterMs).toBeGreaterThanOrEqual(45);
    expect(afterMs).toBeLessThan(60);
    expect(emu.pins.B).toBe(2); // the display holds its position
    expect(await link.ask(frame('S 1 100 200 100 0'))).toBe(frame('ERR 6 1 faulted').trim());
    await link.close();
  }, 120_000);
});
