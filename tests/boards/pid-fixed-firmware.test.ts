/**
 * The generated fixed-point PID firmware, compiled by avr-gcc and run on the emulated ATmega328P,
 * computes the same actuator counts as the TypeScript model (controllers/fixed-point), sample for
 * sample: on thousands of open-loop inputs (random walks, extremes, reference jumps) and in the
 * closed maglev loop.
 */
import { describe, expect, it } from 'vitest';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { PidFixedController } from '../../controllers/fixed-point/pid-fixed-controller.ts';
import { PidFixed } from '../../controllers/fixed-point/pid-fixed.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { ColumnStore } from '../../firmware-sim/recorder.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { simulate } from '../../run/simulate.ts';

import { encodeS } from '../../protocol/index.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { EmulatedLink, hello, parseBoardFrame } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const FAST_BAUD = 1_000_000; // exact on a 16 MHz AVR (UBRR 1 with U2X); keeps the emulation short

function firmwareFor(scenario: string, baud?: number) {
  const built = buildRun(loadScenario(scenario));
  const gen = generateFirmware(firmwareDescription(built), { role: 'hil', sketch: 'pid_test', baud });
  return { built, gen, build: buildCached(gen) };
}

describe('pid-fixed firmware on the emulated Uno', () => {
  it('announces itself as the scenario says (115200 baud build)', () => {
    const { gen, build } = firmwareFor('maglev-fixed');
    const board = new AvrBoard(build.hexFile);
    expect(hello(board)).toEqual(['2', 'uno', 'hil/maglev-fixed', '1', '1', '1000', '1']);
    expect(gen.identity).toEqual({ board: 'uno', firmware: 'hil/maglev-fixed', nSensors: 1, nActuators: 1, Ts_us: 1000, nRefs: 1 });
    // The Uno's limits (boards.txt: 32256 B flash, 2048 B RAM), with room left for the stack.
    expect(build.flash_B).toBeLessThan(32256);
    expect(build.ram_B).toBeLessThan(1024);
  });

  it('matches the TypeScript model on 3000 open-loop samples', () => {
    const { built, build } = firmwareFor('maglev-fixed', FAST_BAUD);
    const model = new PidFixed((built.controller as PidFixedController).pid.k);
    const board = new AvrBoard(build.hexFile);
    hello(board);
    const rng = new Xoshiro128(7);
    let y = 546;
    let ref_u = 8000;
    const mismatches: string[] = [];
    const seen = new Set<number>();
    for (let seq = 0; seq < 3000; seq++) {
      // Oscillation about the set point with noise, jumps to the rails and reference steps, so that
      // the output sweeps its range and saturation and anti-windup engage.
      const r = rng.uniform();
      if (r < 0.01) y = r < 0.005 ? 0 : 1023;
      else y = Math.min(1023, Math.max(0, Math.round(546 + 12 * Math.sin(seq / 40) + (rng.uniform() - 0.5) * 6)));
      if (rng.uniform() < 0.005) ref_u = Math.round(7000 + rng.uniform() * 2000);
      const want = model.step(y, ref_u);
      const { type, fields } = parseBoardFrame(board.request(encodeS(seq, [y], [ref_u]).trimEnd(), CLOCK_HZ));
      seen.add(want);
      if (type !== 'A' || Number(fields[0]) !== seq || Number(fields[1]) !== want) {
        mismatches.push(`seq ${seq}: y ${y} ref ${ref_u} → board ${type} ${fields.join(' ')}, model ${want}`);
        if (mismatches.length > 5) break;
      }
    }
    expect(mismatches).toEqual([]);
    // The inputs exercised the whole output range, not one saturated value.
    expect(seen.has(0) && seen.has(255)).toBe(true);
    expect(seen.size).toBeGreaterThan(80);
  });

  it('drives the maglev loop identically to `hilbench run` (actuator counts sample for sample)', () => {
    const simRun = buildRun(loadScenario('maglev-fixed'));
    const sim = new ColumnStore();
    simulate(simRun.config, new ControllerFirmware(simRun.controller, simRun.sensors, simRun.actuators), sim);
    // A separate build for the board's run: same scenario and seed, its own random streams.
    const { built, build } = firmwareFor('maglev-fixed', FAST_BAUD);

    const board = new AvrBoard(build.hexFile);
    const scenarioOrder = built.scenario.references.map((r) => built.config.references.findIndex((x) => x.name === r.name));
    const link = new EmulatedLink(board, built.sensors.length, built.actuators.length, scenarioOrder);
    const hil = new ColumnStore();
    simulate(built.config, link, hil);

    const col = 'i_cmd_A_counts';
    const a = sim.column(col)!;
    const b = hil.column(col)!;
    expect(b.length).toBe(a.length);
    expect(a.length).toBe(2000);
    let firstDiff = -1;
    for (let i = 0; i < a.length && firstDiff < 0; i++) if (a[i] !== b[i]) firstDiff = i;
    expect(firstDiff).toBe(-1);
    // The ball is held at 8 mm in both: same plant trajectory.
    expect(Math.abs(hil.column("x_m")![a.length - 1] - 0.008)).toBeLessThan(2e-5);
    // The firmware answers well within the 1 ms control period (16 000 cycles at 16 MHz).
    const worst = Math.max(...link.computeCycles);
    expect(worst).toBeLessThan(16_000);
  });
});
