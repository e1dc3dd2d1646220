import { describe, expect, it } from 'vitest';
import { encodeS, encodeX } from '../../protocol/index.ts';
import { SerialLink } from '../../hil/transport/index.ts';

// Real hardware, serialport's TEST_PORT pattern: set HIL_PORT=/dev/ttyACM0 (a board flashed with
// firmware from `hilbench firmware generate … --build` + `hilbench firmware flash`) to run these;
// without it they are reported as not run (skipped), never as passed.
const HIL_PORT = process.env.HIL_PORT;
const HIL_BAUD = Number(process.env.HIL_BAUD ?? 115200);

describe(`real board on HIL_PORT (${HIL_PORT ?? 'not set: not run'})`, () => {
  it.runIf(!!HIL_PORT)('handshakes after the auto-reset, answers 100 requests in order, refuses a second opener as busy', async () => {
    const link = new SerialLink({ path: HIL_PORT as string, baudRate: HIL_BAUD, handshakeTimeoutMs: 5000 });
    try {
      const ready = await link.open();
      expect(ready.version).toBe(1);
      const hil = ready.firmware.startsWith('hil/');
      for (let seq = 0; seq < 100; seq++) {
        const line = hil
          ? encodeS(seq, new Array(ready.nSensors).fill(512), new Array(ready.nRefs).fill(0))
          : encodeX(seq, new Array(ready.nActuators).fill(0));
        const f = await link.request(line, hil ? 'A' : 'M', seq);
        expect(f.type).toBe(hil ? 'A' : 'M');
      }
      expect(link.counters.badCrc + link.counters.malformed + link.counters.outOfSequence).toBe(0);
      const second = new SerialLink({ path: HIL_PORT as string, baudRate: HIL_BAUD });
      await expect(second.open()).rejects.toMatchObject({ busy: true });
      await second.close();
    } finally {
      await link.close();
    }
  }, 60_000);
});
