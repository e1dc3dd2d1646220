/**
 * The fixed-point Takagi-Sugeno controller generated as C runs on the emulated Uno exactly like its
 * TypeScript model: open-loop on random and extreme inputs (memberships, product AND, derivative
 * filter, saturation), and in the closed maglev loop of scenarios/maglev-sugeno-fixed.json.
 */
import { describe, expect, it } from 'vitest';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import type { SugenoFixedController } from '../../controllers/fixed-point/sugeno-fixed-controller.ts';
import { SugenoFixed } from '../../controllers/fixed-point/sugeno-fixed.ts';
import { ColumnStore } from '../../firmware-sim/recorder.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { simulate } from '../../run/simulate.ts';

import { encodeS } from '../../protocol/index.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { EmulatedLink, hello, parseBoardFrame } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const FAST_BAUD = 1_000_000;

describe('sugeno-fixed firmware on the emulated Uno', () => {
  it('matches the TypeScript model on 2000 open-loop samples', () => {
    const built = buildRun(loadScenario('maglev-sugeno-fixed'));
    const build = buildCached(generateFirmware(firmwareDescription(built), { role: 'hil', sketch: 'sugeno_test', baud: FAST_BAUD }));
    expect(build.ram_B).toBeLessThan(1024);
    const model = new SugenoFixed((built.controller as SugenoFixedController).fixed.m);
    const board = new AvrBoard(build.hexFile);
    expect(hello(board)).toEqual(['2', 'uno', 'hil/maglev-sugeno-fixed', '1', '1', '1000', '1']);
    const rng = new Xoshiro128(3);
    const act = new Int32Array(1);
    const seen = new Set<number>();
    const mismatches: string[] = [];
    let y = 546;
    for (let seq = 0; seq < 2000; seq++) {
      const r = rng.uniform();
      if (r < 0.02) y = r < 0.01 ? 0 : 1023;
      else y = Math.min(1023, Math.max(0, Math.round(546 + 60 * Math.sin(seq / 30) + (rng.uniform() - 0.5) * 10)));
      const ref_u = seq % 500 < 250 ? 8000 : 7000 + Math.round(rng.uniform() * 2000);
      model.step([y], [ref_u], act);
      seen.add(act[0]);
      const { type, fields } = parseBoardFrame(board.request(encodeS(seq, [y], [ref_u]).trimEnd(), CLOCK_HZ));
      if (type !== 'A' || fields.join(' ') !== `${seq} ${act[0]}`) {
        mismatches.push(`seq ${seq}: y ${y} ref ${ref_u} → board ${type} ${fields.join(' ')}, model ${act[0]}`);
        if (mismatches.length > 5) break;
      }
    }
    expect(mismatches).toEqual([]);
    expect(seen.size).toBeGreaterThan(80);
  });

  it('holds the maglev ball identically to `hilbench run` (actuator counts sample for sample)', () => {
    const simRun = buildRun(loadScenario('maglev-sugeno-fixed'));
    const sim = new ColumnStore();
    simulate(simRun.config, new ControllerFirmware(simRun.controller, simRun.sensors, simRun.actuators), sim);
    const hilRun = buildRun(loadScenario('maglev-sugeno-fixed'));
    const board = new AvrBoard(buildCached(generateFirmware(firmwareDescription(hilRun), { role: 'hil', sketch: 'sugeno_test', baud: FAST_BAUD })).hexFile);
    const hil = new ColumnStore();
    const link = new EmulatedLink(board, 1, 1, [0]);
    simulate(hilRun.config, link, hil);
    const a = sim.column('i_cmd_A_counts')!;
    expect(Array.from(hil.column('i_cmd_A_counts')!)).toEqual(Array.from(a));
    expect(new Set(a).size).toBeGreaterThan(5);
    const x = hil.column('x_m')!;
    expect(Math.abs(x[x.length - 1] - 0.008)).toBeLessThan(5e-5);
    expect(Math.max(...link.computeCycles)).toBeLessThan(16_000);
  });
});
