/**
 * Every generated sketch compiles with Debian's avr-gcc for every AVR board profile, within the
 * board's flash and RAM (boards.txt limits, with half the RAM left for the stack).
 */
import { describe, expect, it } from 'vitest';
import { buildTargets } from '../../boards/firmware/board-targets.ts';
import { generateFirmware, type FirmwareRole } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const sketches: [string, FirmwareRole, string?][] = [
  ['maglev-fixed', 'hil'],
  ['maglev-sugeno-fixed', 'hil'],
  ['solar', 'hil', 'winter-fix'],
  ['maglev', 'io'],
];

describe('generated sketches build for every AVR board', () => {
  for (const board of ['nano', 'mega2560'] as const) {
    it(`${board}: ${sketches.map(([s, r]) => `${s} (${r})`).join(', ')}`, () => {
      const t = buildTargets[board];
      for (const [scenario, role, controller] of sketches) {
        const built = buildRun(loadScenario(scenario, { controller }));
        const gen = generateFirmware(firmwareDescription(built), { role, sketch: `b_${board}`, board });
        expect(gen.identity.board).toBe(board);
        const r = buildCached(gen);
        expect(r.flash_B, `${scenario} flash`).toBeLessThan(t.maxFlash_B);
        expect(r.ram_B, `${scenario} RAM`).toBeLessThan(t.maxRam_B / 2);
      }
    });
  }
});
