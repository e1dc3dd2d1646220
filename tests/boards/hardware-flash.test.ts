/**
 * Real hardware, serialport's TEST_PORT pattern: with HIL_PORT=/dev/ttyACM0 and HIL_FLASH=1 this
 * flashes the maglev fixed-point PID onto the board with `hilbench firmware flash` (avrdude) and
 * checks, through the product's serial link, that the board computes the TypeScript model's counts
 * bit for bit. Without both variables it is reported as not run, never as passed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PidFixedController } from '../../controllers/fixed-point/pid-fixed-controller.ts';
import { PidFixed } from '../../controllers/fixed-point/pid-fixed.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { encodeS } from '../../protocol/index.ts';
import { SerialLink } from '../../hil/transport/index.ts';
import { hilbench } from '../helpers/cli.ts';

const PORT = process.env.HIL_PORT;
const FLASH = process.env.HIL_FLASH === '1';
const BOARD = process.env.HIL_BOARD ?? 'uno';

describe(`flash and compare on a real ${BOARD} (HIL_PORT=${PORT ?? 'unset'}, HIL_FLASH=${FLASH ? '1' : 'unset'}: ${PORT && FLASH ? 'run' : 'not run'})`, () => {
  it.runIf(!!PORT && FLASH)('flashes maglev-fixed and answers 500 S frames exactly as the TypeScript model', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hilbench-hw-')), 'maglev_hw');
    const gen = hilbench(['firmware', 'generate', 'maglev-fixed', '--board', BOARD, '--out', dir, '--build']);
    expect(gen.code, gen.stderr).toBe(0);
    const flash = hilbench(['firmware', 'flash', '--port', PORT as string, '--board', BOARD, '--dir', dir], { timeout: 120_000 });
    expect(flash.code, flash.stderr).toBe(0);
    const built = buildRun(loadScenario('maglev-fixed'));
    const model = new PidFixed((built.controller as PidFixedController).pid.k);
    const link = new SerialLink({ path: PORT as string, baudRate: 115200, handshakeTimeoutMs: 5000 });
    try {
      const ready = await link.open();
      expect(ready.firmware).toBe('hil/maglev-fixed');
      for (let seq = 0; seq < 500; seq++) {
        const y = 546 + Math.round(30 * Math.sin(seq / 20));
        const f = await link.request(encodeS(seq, [y], [8000]), 'A', seq);
        expect(f.type === 'A' ? f.values : f).toEqual([model.step(y, 8000)]);
      }
    } finally {
      await link.close();
    }
  }, 180_000);
});
