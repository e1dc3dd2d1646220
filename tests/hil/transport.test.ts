import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, encodeS } from '../../protocol/index.ts';
import { startEmulator, type RunningEmulator } from '../../hil/emulator/index.ts';
import { SerialLink, type LinkStatus } from '../../hil/transport/index.ts';
import { buildTestFirmware, freshDir, waitFor } from './helpers.ts';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

// Real components: hand-written avr-gcc firmware in avr8js, behind a socat pty, opened by serialport.
let emu: RunningEmulator | undefined;
let link: SerialLink | undefined;
afterEach(async () => {
  await link?.close();
  await emu?.stop();
  link = emu = undefined;
});

// The fixture's integer PI, written again here from its comment in tests/hil/fixtures/test-firmware.c.
function piModel() {
  let acc = 0;
  return (s: number, rMicro: number) => {
    const e = Math.trunc(rMicro / 1000) - s;
    acc = Math.max(-20000, Math.min(20000, acc + e));
    return Math.max(0, Math.min(255, 128 + Math.trunc(e / 2) + Math.trunc(acc / 64)));
  };
}

describe('serial link to the emulated board', () => {
  it('handshakes with HELLO (no banner needed), runs lockstep, retransmits without double-stepping', async () => {
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil'), device });
    // The emulator runs in real time and slips when the machine is busy: its answers then come late
    // by the wall clock though on time by the board's. Waits bounded by the test's time only keep
    // timeouts (and the retransmissions they cause) out of a test of the board's own retransmission.
    link = new SerialLink({ path: device, requestTimeoutMs: 20_000, handshakeTimeoutMs: 20_000 });
    const statuses: LinkStatus[] = [];
    link.status$.subscribe((s) => statuses.push(s));
    const ready = await link.open();
    expect(ready).toMatchObject({ board: 'uno', firmware: 'hil/fixture', nSensors: 1, nActuators: 1, Ts_us: 1000, nRefs: 1 });
    const model = piModel();
    let last = -1;
    for (let seq = 0; seq < 50; seq++) {
      const s = (seq * 37) % 1024;
      const f = await link.request(encodeS(seq, [s], [500_000]), 'A', seq);
      last = model(s, 500_000);
      expect(f).toEqual({ type: 'A', seq, values: [last] });
    }
    // Same seq again: the board resends its answer without a second controller step.
    const again = await link.request(encodeS(49, [(49 * 37) % 1024], [500_000]), 'A', 49);
    const next = await link.request(encodeS(50, [3], [500_000]), 'A', 50);
    expect(again).toEqual({ type: 'A', seq: 49, values: [last] });
    expect(next).toEqual({ type: 'A', seq: 50, values: [model(3, 500_000)] });
    expect(statuses).toEqual(['closed', 'opening', 'open']);
    expect(link.counters.badCrc + link.counters.malformed + link.counters.outOfSequence).toBe(0);
    expect(link.counters.comments).toBeLessThanOrEqual(1);
    await link.close();
    await link.close(); // idempotent
    expect(link.status$.value).toBe('closed');
  }, 180_000);

  it('the board rejects a bad CRC with ERR 1 and a corrupted line is never executed', async () => {
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil'), device });
    // Real-time emulator: long waits, so that only the board's answers decide (see above).
    link = new SerialLink({ path: device, retries: 0, requestTimeoutMs: 20_000, handshakeTimeoutMs: 20_000 });
    await link.open();
    const good = encodeS(0, [100], [0]);
    const bad = good.replace('S 0 100', 'S 0 900');
    const f = await link.request(bad, 'A', 0);
    expect(f).toEqual({ type: 'ERR', code: 1, seq: 0, text: 'crc' });
    const model = piModel();
    expect(await link.request(good, 'A', 0)).toEqual({ type: 'A', seq: 0, values: [model(100, 0)] });
  }, 30_000);

  it('typed errors: no such port, busy port, silent device', async () => {
    const l1 = new SerialLink({ path: '/nonexistent/ttyX' });
    await expect(l1.open()).rejects.toMatchObject({ noSuchPort: true, userError: true });
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil'), device });
    link = new SerialLink({ path: device, requestTimeoutMs: 20_000, handshakeTimeoutMs: 20_000 });
    await link.open();
    const l2 = new SerialLink({ path: device });
    const busy = await l2.open().catch((e) => e);
    expect(busy).toMatchObject({ busy: true });
    expect(String(busy.message)).toMatch(/busy.*close/);
    await l2.close();
    expect(existsSync(device)).toBe(true);
    // A watchdog frame is acknowledged.
    await link.setWatchdog(0);
    expect(encodeFrame({ type: 'WD', ms: 0 })).toBe('WD 0*510E\n');
  }, 30_000);
});

describe('diagnosis and reconnect', () => {
  it('a board answering only unreadable bytes is diagnosed as a wrong baud rate', async () => {
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil', ['NOISE']), device, realtime: false });
    link = new SerialLink({ path: device, handshakeTimeoutMs: 800 });
    const e = await link.open().catch((x) => x);
    expect(e).toMatchObject({ wrongBaud: true, timeout: true, userError: true });
    expect(e.message).toMatch(/baud/);
    expect(link.counters.nonAscii).toBeGreaterThan(0);
  }, 30_000);

  it('READY from firmware for another scenario is refused with both names and the fix', async () => {
    const { checkReady } = await import('../../hil/runners/check-ready.ts');
    const { buildRun } = await import('../../firmware-sim/scenario/build.ts');
    const { loadScenario } = await import('../../firmware-sim/scenario/load.ts');
    const built = buildRun(loadScenario('maglev-fixed'));
    const ready = { type: 'READY', version: 2, board: 'uno', firmware: 'hil/solar', nSensors: 4, nActuators: 2, Ts_us: 1000000, nRefs: 0 } as const;
    expect(() => checkReady(ready, built, 'hil', '/dev/ttyACM0')).toThrow(/wrong firmware.*'hil\/solar'.*'hil\/maglev-fixed'.*firmware generate maglev-fixed/);
    expect(() => checkReady({ ...ready, firmware: 'io/generic' }, built, 'hil', '/dev/ttyACM0')).toThrow(/role io/);
    expect(() => checkReady({ ...ready, firmware: 'hil/maglev-fixed', nSensors: 1, nActuators: 1, Ts_us: 2000, nRefs: 1 }, built, 'hil', '/dev/ttyACM0')).toThrow(/Ts = 2000 µs.*1000 µs/);
    expect(() => checkReady({ ...ready, firmware: 'hil/maglev-fixed', nSensors: 1, nActuators: 1, Ts_us: 1000, nRefs: 1 }, built, 'hil', '/dev/ttyACM0')).not.toThrow();
  });

  it('reconnects after the board goes away and comes back at the same path, with a fresh handshake', async () => {
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    const hex = buildTestFirmware('hil');
    emu = await startEmulator({ board: 'uno', firmware: hex, device });
    link = new SerialLink({ path: device, reconnect: true, reconnectTimeoutMs: 15_000 });
    const statuses: LinkStatus[] = [];
    link.status$.subscribe((s) => statuses.push(s));
    await link.open();
    expect(await link.request(encodeS(0, [10], [0]), 'A', 0)).toMatchObject({ type: 'A', seq: 0 });
    await emu.stop(); // socat stopped by PID: the host's end hangs up
    await waitFor(() => statuses.includes('reconnecting'), 15_000, 'reconnecting');
    await expect(link.request(encodeS(1, [10], [0]), 'A', 1)).rejects.toMatchObject({ disconnected: true });
    emu = await startEmulator({ board: 'uno', firmware: hex, device });
    await waitFor(() => statuses.filter((s) => s === 'open').length === 2, 15_000, 'a second open');
    expect(statuses).toEqual(['closed', 'opening', 'open', 'disconnected', 'reconnecting', 'open']);
    // The board was reset by HELLO: seq starts again and the controller state is fresh.
    expect(await link.request(encodeS(0, [10], [0]), 'A', 0)).toEqual({ type: 'A', seq: 0, values: [Math.max(0, 128 - 5 + Math.trunc(-10 / 64))] });
  }, 60_000);
  it('notices when its path comes to name another device, even while the old one still answers', async () => {
    const { startPtyPair } = await import('../../hil/emulator/index.ts');
    const { unlinkSync, symlinkSync } = await import('node:fs');
    const dir = freshDir('hilbench-t-');
    const device = join(dir, 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil'), device });
    link = new SerialLink({ path: device });
    const statuses: LinkStatus[] = [];
    link.status$.subscribe((s) => statuses.push(s));
    await link.open();
    // Re-point the path at another pty; the first emulator keeps running, so no read fails.
    const other = await startPtyPair(join(dir, 'ttyOTHER'));
    try {
      unlinkSync(device);
      symlinkSync(other.hostEnd, device);
      await waitFor(() => statuses.includes('disconnected'), 15_000, 'disconnected');
      await expect(link.request(encodeS(0, [10], [0]), 'A', 0)).rejects.toMatchObject({ disconnected: true });
      expect(statuses).toEqual(['closed', 'opening', 'open', 'disconnected']);
    } finally {
      other.stop();
    }
  }, 30_000);
});

describe('pty pair', () => {
  it('replaces a stale symlink at --device, refuses a regular file, removes its link on stop', async () => {
    const { startPtyPair } = await import('../../hil/emulator/index.ts');
    const { symlinkSync, writeFileSync, lstatSync, readlinkSync } = await import('node:fs');
    const dir = freshDir('hilbench-pty-');
    const device = join(dir, 'ttyEMU0');
    symlinkSync(join(dir, 'gone'), device); // left by a killed emulator
    const pty = await startPtyPair(device);
    expect(readlinkSync(device)).toBe(pty.hostEnd);
    expect(lstatSync(pty.boardEnd).isSymbolicLink()).toBe(true);
    pty.stop();
    pty.stop(); // idempotent
    expect(existsSync(device)).toBe(false);
    expect(existsSync(pty.dir)).toBe(false);
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    await expect(startPtyPair(file)).rejects.toMatchObject({ userError: true });
  });
});
