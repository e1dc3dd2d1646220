import type { FirmwareDescription } from '../../boards/firmware/description.ts';
import { version } from '../version.ts';
import type { BuiltRun } from './build.ts';

/** A built scenario as the firmware generator (boards/firmware/generate.ts) takes it. */
export function firmwareDescription(built: BuiltRun): FirmwareDescription {
  const s = built.scenario;
  return {
    name: s.name,
    file: built.file,
    Ts: s.Ts,
    references: s.references.map((r) => r.name),
    controllerType: String(s.controller.type),
    controllerModel: String(s.controller.model),
    controller: built.controller,
    board: built.board,
    sensors: built.sensors,
    actuators: built.actuators,
    version,
  };
}
