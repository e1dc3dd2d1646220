/**
 * The solar tracker's integer fuzzy controller generated as C, compiled by avr-gcc and run on the
 * emulated Uno, against the TypeScript controller (controllers/solar-tracker) behind the simulated
 * MCU's converters: thousands of random and breakpoint-sweeping sensor codes, both decision variants,
 * and a whole simulated day in the closed loop.
 */
import { describe, expect, it } from 'vitest';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { ColumnStore } from '../../firmware-sim/recorder.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { buildRun, type BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { simulate } from '../../run/simulate.ts';

import { encodeS } from '../../protocol/index.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { EmulatedLink, hello, parseBoardFrame } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const FAST_BAUD = 1_000_000;

function firmware(built: BuiltRun, sketch: string) {
  return buildCached(generateFirmware(firmwareDescription(built), { role: 'hil', sketch, baud: FAST_BAUD, board: 'uno' }));
}

/** Sensor codes that cross every breakpoint (4Ch, 80h, B3h and the paper's C3h) and the rails. */
function* inputs(rng: Xoshiro128): Generator<[number, number, number, number]> {
  const edges = [0, 1, 15, 16, 17, 0x4b, 0x4c, 0x4d, 0x7f, 0x80, 0x81, 0xb2, 0xb3, 0xb4, 0xc2, 0xc3, 0xc4, 254, 255];
  for (const a of edges) for (const b of edges) yield [a, b, edges[(a + b) % edges.length], Math.round((rng.uniform() - 0.5) * 20000)];
  for (let i = 0; i < 800; i++) {
    const c = () => Math.floor(rng.uniform() * 256);
    yield [c(), c(), c(), Math.round((rng.uniform() - 0.5) * 20000)];
  }
  for (let c = 0; c < 256; c++) yield [255 - c, c, 0x80, 0];
  // One clear low / normal / high code per sensor: all 27 rule patterns fire alone.
  const term = [0x30, 0x80, 0xf0];
  for (let r = 0; r < 27; r++) yield [term[Math.floor(r / 9)], term[Math.floor(r / 3) % 3], term[r % 3], 0];
}

describe('solar integer fuzzy firmware on the emulated Uno', () => {
  for (const variant of ['seed', 'winter-fix'] as const) {
    it(`decides like the TypeScript controller on ${19 * 19 + 800 + 256 + 27} inputs (${variant})`, () => {
      // A decision every control period, so every S frame exercises the fuzzy inference.
      const built = buildRun(loadScenario('solar', { controller: variant, set: [`controllers.${variant}.decideEvery_s=1`] }));
      const board = new AvrBoard(firmware(built, `solar_${variant.replace('-', '_')}`).hexFile);
      expect(hello(board)).toEqual(['2', 'uno', 'hil/solar', '4', '2', '1000000', '0']);
      const model = new ControllerFirmware(built.controller, built.sensors, built.actuators);
      model.reset();
      const counts = new Int32Array(4);
      const none = new Float64Array(0);
      const mismatches: string[] = [];
      const positions = new Set<number>();
      let seq = 0;
      for (const [c1, c2, c3, steps] of inputs(new Xoshiro128(11))) {
        counts.set([c1, c2, c3, steps]);
        const want = Array.from(model.tick(counts, none, seq));
        const { type, fields } = parseBoardFrame(board.request(encodeS(seq, counts, []).trimEnd(), CLOCK_HZ));
        positions.add(want[1]);
        if (type !== 'A' || fields.join(' ') !== `${seq} ${want.join(' ')}`) {
          mismatches.push(`codes ${c1} ${c2} ${c3} steps ${steps}: board ${type} ${fields.join(' ')}, model ${want.join(' ')}`);
          if (mismatches.length > 5) break;
        }
        seq++;
      }
      expect(mismatches).toEqual([]);
      expect([...positions].sort()).toEqual([0, 1, 2, 3, 4]);
    });
  }

  it('tracks a whole day identically to `hilbench run solar` (Ts = 20 s; both actuator columns)', () => {
    // Two independent builds of the same scenario and seed: each run draws its own sensor noise stream.
    const day = () => buildRun(loadScenario('solar', { set: ['Ts=20', 'dt=20', 'record.every=3'] }));
    const simRun = day();
    const sim = new ColumnStore();
    simulate(simRun.config, new ControllerFirmware(simRun.controller, simRun.sensors, simRun.actuators), sim);
    const hilRun = day();
    const board = new AvrBoard(firmware(hilRun, 'solar_day').hexFile);
    const hil = new ColumnStore();
    const link = new EmulatedLink(board, 4, 2, []);
    simulate(hilRun.config, link, hil);
    for (const col of ['step_rate_cmd_sps_counts', 'lcd_cmd_counts']) {
      const a = sim.column(col)!;
      const b = hil.column(col)!;
      expect(a.length).toBe(1440);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
    // The day visited every position from east to west.
    expect(new Set(hil.column('lcd_cmd_counts')).size).toBe(5);
    expect(Math.max(...link.computeCycles)).toBeLessThan(16_000);
  });
});
