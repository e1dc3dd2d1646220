import { UserError } from '../../errors/user-error.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import type { RunResult } from '../run-scenario.ts';
import { runIoLoop } from '../runners/io-run.ts';
import { LinkLog } from '../runners/link-log.ts';
import { FirmataBoard } from './firmata-board.ts';

/** PWM pins in actuator order (docs/protocol.md §5). */
const PWM_PINS = [9, 10, 3, 11, 5, 6];

export interface FirmataRunOptions {
  readonly port: string;
  readonly outDir: string;
  readonly baudRate?: number;
  /** Firmata sampling interval; default the scenario's Ts, at least 10 ms. */
  readonly samplingMs?: number;
}

/**
 * `hilbench hil run --mode io --firmata`: the controller on the host, a StandardFirmata board as
 * sensors (A0…) and PWM outputs (D9, D10, …) through johnny-five. The scenario's Ts should not be
 * shorter than the Firmata sampling interval, or ticks reuse the previous reading.
 */
export async function runFirmataIo(built: BuiltRun, opts: FirmataRunOptions): Promise<RunResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const log = new LinkLog(join(opts.outDir, 'link.ndjson'));
  const samplingMs = Math.max(10, Math.round(opts.samplingMs ?? built.scenario.Ts * 1000));
  for (const a of built.actuators) {
    if (a.kind !== 'pwm' || a.bits !== 8) throw new UserError(`--firmata drives 8-bit PWM pins; actuator '${a.name}' is ${a.kind} with ${a.bits} bits`);
  }
  const board = new FirmataBoard({
    path: opts.port,
    baudRate: opts.baudRate,
    analogPins: built.sensors.map((_, i) => i),
    pwmPins: PWM_PINS.slice(0, built.actuators.length),
    samplingMs,
  });
  log.event('status', { status: 'opening' });
  try {
    await board.open().catch((e: Error) => {
      log.event('fault', { reason: e.message });
      throw e;
    });
    log.event('ready', { firmware: board.firmware, samplingMs });
    return await runIoLoop(built, board, {
      outDir: opts.outDir,
      log,
      extraMetrics: () => ({ link_port: opts.port, link_firmware: board.firmware, firmata_sampling_ms: samplingMs, firmata_readings: board.readings }),
    });
  } finally {
    await board.close();
  }
}
