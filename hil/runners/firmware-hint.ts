import { resolve } from 'node:path';
import { buildTargets } from '../../boards/firmware/board-targets.ts';
import { firmwareControllerTypes } from '../../boards/firmware/controllers/index.ts';
import { generateFirmware, sketchNameFrom } from '../../boards/firmware/generate.ts';
import { generatePicFirmware } from '../../boards/firmware/pic/generate-pic.ts';
import { getBoard } from '../../boards/profiles.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { builtinScenarioDir, listBuiltinScenarios } from '../../firmware-sim/scenario/load.ts';
import type { ReadyFrame } from '../transport/serial-link.ts';

const PIC = 'pic16f877';

/** How to name the scenario in a command: its built-in name, or the file it was loaded from. */
function scenarioArg(built: BuiltRun): string {
  const name = built.scenario.name;
  return resolve(builtinScenarioDir, `${name}.json`) === resolve(built.file) ? name : built.file;
}

/** Whether `firmware generate` accepts this scenario for this board and role (generated in memory, nothing written). */
function generates(built: BuiltRun, board: string, role: 'hil' | 'io'): boolean {
  try {
    const d = firmwareDescription(built);
    if (board === PIC) generatePicFirmware(d, getBoard(PIC), { role, name: 'hint' });
    else generateFirmware(d, { role, sketch: 'hint', board });
    return true;
  } catch {
    return false;
  }
}

/**
 * The board to build for: the one that answered, else the scenario's, else an Uno (whose firmware
 * keeps the scenario's converter counts), the first the generator accepts; undefined when none does.
 */
function targetBoard(ready: ReadyFrame, built: BuiltRun, role: 'hil' | 'io'): string | undefined {
  const candidates = [...new Set([ready.board, built.board.id, 'uno'])].filter((b) => b in buildTargets || b === PIC);
  return candidates.find((b) => generates(built, b, role));
}

/** Generate + build, then flash (or restart the emulator) with the .hex it writes: commands to copy as they are. */
function buildAndLoad(scenario: string, board: string, role: 'hil' | 'io', sketchBase: string, port: string): string {
  const sketch = `${sketchBase.replace(/[^A-Za-z0-9_]/g, '_')}${role === 'io' ? '_io' : ''}`;
  const dir = `fw/${sketch}`;
  // The name `firmware generate` gives the .hex (and a PIC project's .asm).
  const hex = `${dir}/build/${sketchNameFrom(dir)}.hex`;
  const generate = `hilbench firmware generate ${scenario} --board ${board}${role === 'io' ? ' --role io' : ''} --out ${dir} --build`;
  const flash = board === PIC ? `hilbench firmware flash --board ${PIC} --port ${port} --hex ${hex}` : `hilbench firmware flash --board ${board} --port ${port} --dir ${dir}`;
  const emulate = `hilbench board emulate --board ${board} --firmware ${hex} --device ${port} --fast`;
  return `build the firmware with \`${generate}\`, then flash it with \`${flash}\` (an emulated board: stop it and start \`${emulate}\`)`;
}

/**
 * What to do when the board's firmware does not fit the run, as commands that work when copied
 * (tests/hil/firmware-hints.test.ts runs each): firmware generated for this scenario; or, when the
 * scenario's controller has no firmware generator, the scenario the board's firmware was built for,
 * with the reason the asked one cannot run in the board.
 */
export function wrongFirmwareHint(ready: ReadyFrame, built: BuiltRun, mode: 'hil' | 'io', port: string): string {
  const s = built.scenario;
  const scenario = scenarioArg(built);
  if (mode === 'io') return `for --mode io the board needs io firmware: ${buildAndLoad(scenario, targetBoard(ready, built, 'io') ?? 'uno', 'io', s.name, port)}`;
  const hilBoard = targetBoard(ready, built, 'hil');
  if (hilBoard) return buildAndLoad(scenario, hilBoard, 'hil', s.name, port);
  const type = String(s.controller.type);
  const hints: string[] = [];
  const [role, flashed] = ready.firmware.split('/');
  if (role === 'hil' && flashed !== s.name && listBuiltinScenarios().includes(flashed)) {
    hints.push(`the board runs the firmware of scenario '${flashed}': \`hilbench hil run ${flashed} --port ${port}\``);
  }
  hints.push(`'${s.name}' cannot run in the board: its controller type '${type}' has no firmware generator (types with one: ${firmwareControllerTypes.join(', ')})`);
  return hints.join('; ');
}
