/**
 * Every feature of the fixed-point Sugeno generator in C against its TypeScript model on the
 * emulated Uno: signal, error and filtered-derivative inputs, triangles, trapezoids, rectangles and
 * open shoulders, 'not', rule weights, min and product AND in two rule blocks, Linear and Constant
 * consequents, WeightedAverage and WeightedSum, digital actuators, command limits, held outputs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import type { SugenoFixedController } from '../../controllers/fixed-point/sugeno-fixed-controller.ts';
import { SugenoFixed } from '../../controllers/fixed-point/sugeno-fixed.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { encodeS } from '../../protocol/index.ts';
import { buildFromObject } from '../helpers/scenario.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { hello, parseBoardFrame } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const MODEL = `Engine: features
InputVariable: a
  range: 0 5
  term: lo Triangle 0 1 2.5
  term: hi Trapezoid 1.5 3 inf inf
InputVariable: b
  range: -5 5
  term: neg Trapezoid -inf -inf -1 0
  term: pos Rectangle 0 5
InputVariable: c
  range: -100 100
  term: falling Triangle -100 -50 0
  term: rising Triangle 0 50 100
OutputVariable: rate
  range: -250 250
  aggregation: none
  defuzzifier: WeightedAverage TakagiSugeno
  default: nan
  term: lin Linear 10 -20 0.5 3
  term: k Constant -40
OutputVariable: pos
  range: 0 4
  aggregation: none
  defuzzifier: WeightedSum TakagiSugeno
  default: nan
  term: one Constant 1
  term: three Constant 3
RuleBlock: minimum
  conjunction: Minimum
  rule: if a is lo and b is neg then rate is lin and pos is one
  rule: if a is not lo and c is rising then rate is k with 0.5
  rule: if b is pos then pos is three
  rule: if a is hi and b is neg and c is falling then rate is lin and pos is three with 0.75
RuleBlock: product
  conjunction: AlgebraicProduct
  rule: if a is hi and c is rising then rate is lin
`;

describe('sugeno-fixed generator features on the emulated Uno', () => {
  it('matches the TypeScript model on 1500 open-loop samples', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hilbench-sugeno-'));
    writeFileSync(join(dir, 'features.fll'), MODEL);
    const built = buildFromObject(
      {
        name: 'sugeno-features',
        plant: 'solar',
        board: 'uno',
        dt: 0.01,
        Ts: 0.01,
        duration: 1,
        controller: {
          type: 'sugeno-fixed',
          model: 'features.fll',
          inputs: {
            a: { signal: 'S1_meas' },
            b: { signal: 'S2_meas', reference: 'r' },
            c: { signal: 'S1_meas', derivative: true, filter_s: 0.02 },
          },
          outputs: { rate: { command: 'rate_cmd' }, pos: { command: 'lcd_cmd', min: 0, max: 4, initial: 2 } },
          sensors: { S1_meas: { bits: 10, vref: 5, gain: 1 }, S2_meas: { bits: 10, vref: 5, gain: 1 } },
          actuators: { rate_cmd: { kind: 'digital', lsb: 1 }, lcd_cmd: { kind: 'digital', lsb: 1 } },
        },
        sensors: [
          { name: 'S1_meas', from: 'S1_V' },
          { name: 'S2_meas', from: 'S2_V' },
        ],
        actuators: [
          { name: 'rate_cmd', to: 'step_rate_sps', kind: 'digital', lsb: 1, min: -250, max: 250 },
          { name: 'lcd_cmd', to: 'lcd_position', kind: 'digital', lsb: 1, min: 0, max: 4 },
        ],
        references: [{ name: 'r', type: 'constant', value: 2.5 }],
      },
      dir,
    );
    const build = buildCached(generateFirmware(firmwareDescription(built), { role: 'hil', sketch: 'sugeno_features', baud: 1_000_000 }));
    const model = new SugenoFixed((built.controller as SugenoFixedController).fixed.m);
    const board = new AvrBoard(build.hexFile);
    expect(hello(board)).toEqual(['2', 'uno', 'hil/sugeno-features', '2', '2', '10000', '1']);
    const rng = new Xoshiro128(8);
    const act = new Int32Array(2);
    const seen = [new Set<number>(), new Set<number>()];
    const mismatches: string[] = [];
    let s1 = 300;
    for (let seq = 0; seq < 1500; seq++) {
      s1 = Math.min(1023, Math.max(0, s1 + Math.round((rng.uniform() - 0.5) * 60)));
      const s2 = Math.floor(rng.uniform() * 1024);
      const ref_u = 1_500_000 + Math.round(rng.uniform() * 2_000_000);
      model.step([s1, s2], [ref_u], act);
      seen[0].add(act[0]);
      seen[1].add(act[1]);
      const { type, fields } = parseBoardFrame(board.request(encodeS(seq, [s1, s2], [ref_u]).trimEnd(), CLOCK_HZ));
      if (type !== 'A' || fields.join(' ') !== `${seq} ${act[0]} ${act[1]}`) {
        mismatches.push(`seq ${seq}: ${s1} ${s2} ${ref_u} → board ${type} ${fields.join(' ')}, model ${act[0]} ${act[1]}`);
        if (mismatches.length > 5) break;
      }
    }
    expect(mismatches).toEqual([]);
    // Both outputs moved: many rate values (linear consequents, weights), several positions.
    expect(seen[0].size).toBeGreaterThan(50);
    expect(seen[1].size).toBeGreaterThanOrEqual(3);
  });
});
