/**
 * The PID generator's other branches in C against the TypeScript model on the emulated Uno:
 * every anti-windup scheme, forward integration, setpoint weights, direct action, a sensor offset
 * (reference offset in micro-units) and a user-set derivative filter time; with setpoint weight
 * b < 1 under clamp and conditional, the integral leaves the output range (goes below outMin − bias),
 * as it must at steady state, and the board still agrees.
 */
import { describe, expect, it } from 'vitest';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import type { PidFixedController } from '../../controllers/fixed-point/pid-fixed-controller.ts';
import { PidFixed } from '../../controllers/fixed-point/pid-fixed.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { encodeS } from '../../protocol/index.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { hello, parseBoardFrame } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const variants: Record<string, string[]> = {
  'conditional, backward': ['controller.antiWindup="conditional"'],
  'back-calculation, forward, b = 0.5, c = 0.5': ['controller.antiWindup="back-calculation"', 'controller.integration="forward"', 'controller.b=0.5', 'controller.c=0.5'],
  'none, direct action, Tf = 2 ms': ['controller.antiWindup="none"', 'controller.direction="direct"', 'controller.Tf_s=0.002', 'controller.ki=50'],
  'clamp, forward, sensor offset 1 mm': ['controller.integration="forward"', 'sensors.0.offset=0.001'],
  'clamp, backward, b = 0, ki = 3000': ['controller.b=0', 'controller.ki=3000'],
  'conditional, backward, b = 0.7': ['controller.antiWindup="conditional"', 'controller.b=0.7'],
  'clamp, forward, b = 0.5': ['controller.integration="forward"', 'controller.b=0.5'],
};
/**
 * Variants whose integral must leave the output range: b < 1 with an anti-windup that once limited it
 * there. Their first 400 samples sit 40 counts below the reference: the reverse-acting integral winds
 * down while the P term (b·r − y weighted) keeps the unclamped output above outMin.
 */
const pastOutputRange = new Set(['clamp, backward, b = 0, ki = 3000', 'conditional, backward, b = 0.7', 'clamp, forward, b = 0.5']);

describe('pid-fixed firmware variants', () => {
  for (const [label, set] of Object.entries(variants)) {
    it(`matches the TypeScript model (${label})`, () => {
      const built = buildRun(loadScenario('maglev-fixed', { set }));
      const build = buildCached(generateFirmware(firmwareDescription(built), { role: 'hil', sketch: 'pid_variant', baud: 1_000_000 }));
      const model = new PidFixed((built.controller as PidFixedController).pid.k);
      const board = new AvrBoard(build.hexFile);
      hello(board);
      const rng = new Xoshiro128(label.length);
      const seen = new Set<number>();
      const mismatches: string[] = [];
      const k = model.k;
      let integralMin = Infinity;
      for (let seq = 0; seq < 800; seq++) {
        const y = Math.min(1023, Math.max(0, Math.round(546 + 40 * Math.sin(seq / 25) + (rng.uniform() - 0.5) * 8 + (seq > 400 ? 60 : pastOutputRange.has(label) ? -40 : 0))));
        const ref_u = seq % 300 < 150 ? 8000 : 8500;
        const want = model.step(y, ref_u);
        seen.add(want);
        integralMin = Math.min(integralMin, model.integralQ16);
        const { fields } = parseBoardFrame(board.request(encodeS(seq, [y], [ref_u]).trimEnd(), CLOCK_HZ));
        if (fields.join(' ') !== `${seq} ${want}`) {
          mismatches.push(`seq ${seq}: y ${y} ref ${ref_u} → board ${fields.join(' ')}, model ${want}`);
          if (mismatches.length > 5) break;
        }
      }
      expect(mismatches).toEqual([]);
      expect(seen.size).toBeGreaterThan(20);
      if (pastOutputRange.has(label)) expect(integralMin).toBeLessThan(k.outMin_q16 - k.bias_q16);
    });
  }
});
