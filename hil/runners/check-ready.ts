import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { LinkError } from '../transport/errors.ts';
import type { ReadyFrame } from '../transport/serial-link.ts';
import { wrongFirmwareHint } from './firmware-hint.ts';

/**
 * Compares the board's READY with what the run needs (docs/protocol.md §2.1) and fails with one
 * line naming both sides when the flashed firmware does not fit the scenario, and what to run
 * instead (`port` goes into the commands of the hint).
 */
export function checkReady(ready: ReadyFrame, built: BuiltRun, mode: 'hil' | 'io', port: string, expectFirmware?: string): void {
  const s = built.scenario;
  const fail = (what: string) => {
    throw new LinkError(`wrong firmware on the board: ${what}; ${wrongFirmwareHint(ready, built, mode, port)}`, { wrongFirmware: true });
  };
  const role = ready.firmware.split('/')[0];
  if (role !== mode) fail(`it runs '${ready.firmware}' (role ${role}), this is a ${mode}-mode run`);
  if (mode === 'hil') {
    const want = expectFirmware ?? `hil/${s.name}`;
    if (ready.firmware !== want) fail(`it runs '${ready.firmware}', the scenario needs '${want}'`);
    if (ready.nSensors !== built.sensors.length) fail(`it reads ${ready.nSensors} sensor(s), the scenario has ${built.sensors.length}`);
    if (ready.nActuators !== built.actuators.length) fail(`it drives ${ready.nActuators} actuator(s), the scenario has ${built.actuators.length}`);
    const Ts_us = Math.round(s.Ts * 1e6);
    if (ready.Ts_us !== Ts_us) fail(`it was built for Ts = ${ready.Ts_us} µs, the scenario has ${Ts_us} µs`);
    if (ready.nRefs !== built.config.references.length) fail(`it takes ${ready.nRefs} reference(s), the scenario has ${built.config.references.length}`);
  } else {
    if (ready.nSensors < built.sensors.length) fail(`it samples ${ready.nSensors} input(s), the scenario needs ${built.sensors.length}`);
    if (ready.nActuators < built.actuators.length) fail(`it drives ${ready.nActuators} output(s), the scenario needs ${built.actuators.length}`);
  }
  // The board id may differ from the scenario's: firmware built with `--board uno` for a PIC scenario
  // keeps the scenario's converters in the S-frame counts, so it runs bit-exact all the same.
}
