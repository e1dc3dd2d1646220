import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, encodeS } from '../../hil/protocol/index.ts';
import { startEmulator, type RunningEmulator } from '../../hil/emulator/index.ts';
import { SerialLink, type LinkStatus } from '../../hil/transport/index.ts';
import { buildTestFirmware, freshDir } from './helpers.ts';
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
    link = new SerialLink({ path: device });
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
  }, 30_000);

  it('the board rejects a bad CRC with ERR 1 and a corrupted line is never executed', async () => {
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil'), device });
    link = new SerialLink({ path: device, retries: 0 });
    await link.open();
    const good = encodeS(0, [100], [0]);
    const bad = good.replace('S 0 100', 'S 0 900');
    const f = await link.request(bad, 'A', 0);
    expect(f).toEqual({ type: 'ERR', code: 1, text: 'crc' });
    const model = piModel();
    expect(await link.request(good, 'A', 0)).toEqual({ type: 'A', seq: 0, values: [model(100, 0)] });
  }, 30_000);

  it('typed errors: no such port, busy port, silent device', async () => {
    const l1 = new SerialLink({ path: '/nonexistent/ttyX' });
    await expect(l1.open()).rejects.toMatchObject({ noSuchPort: true, userError: true });
    const device = join(freshDir('hilbench-t-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: buildTestFirmware('hil'), device });
    link = new SerialLink({ path: device });
    await link.open();
    const l2 = new SerialLink({ path: device });
    const busy = await l2.open().catch((e) => e);
    expect(busy).toMatchObject({ busy: true });
    expect(String(busy.message)).toMatch(/busy.*close/);
    await l2.close();
    expect(existsSync(device)).toBe(true);
    // A watchdog frame is acknowledged.
    await link.setWatchdog(0);
    expect(encodeFrame({ type: 'WD', ms: 0 })).toBe('WD 0*8D\n');
  }, 30_000);
});
