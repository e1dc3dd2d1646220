/**
 * The fixed-point Takagi-Sugeno controller against Debian's fuzzylite (the reference engine) on the
 * same physical inputs: the solar tracker's 27-rule model (min AND, singletons) and the maglev PD
 * model (product AND, infinite shoulders, error and reference inputs) agree to within one actuator
 * count; unsupported models are refused with the reason.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFile } from '../../../controllers/fuzzy/index.ts';
import { SugenoFixedController, type SugenoFixedSpec } from '../../../controllers/fixed-point/sugeno-fixed-controller.ts';
import { membershipQ15, termInX } from '../../../controllers/fixed-point/sugeno-fixed.ts';
import { Xoshiro128 } from '../../../firmware-sim/rng.ts';
import { builtinScenarioDir } from '../../../firmware-sim/scenario/load.ts';
import { fuzzyliteAvailable, fuzzyliteEval } from '../../fuzzy/fuzzylite-reference.ts';

const models = join(builtinScenarioDir, 'models');
const adc10 = { kind: 'adc' as const, bits: 10, vref: 5, lsb: 1, gain: 1, offset: 0 };

describe('sugeno-fixed against fuzzylite', () => {
  it('has the reference engine installed (Debian package fuzzylite)', () => expect(fuzzyliteAvailable()).toBe(true));

  it('solar tracker model: positions within one count of 0…4 on 10 bits, 1500 sensor triples', () => {
    const file = join(models, 'solar-tracker.fll');
    const spec: SugenoFixedSpec = {
      engine: readModelFile(file),
      inputs: { S1: { signal: 's1' }, S2: { signal: 's2' }, S3: { signal: 's3' } },
      outputs: { position: { command: 'pos' } },
      sensors: { s1: adc10, s2: adc10, s3: adc10 },
      actuators: { pos: { kind: 'pwm', min: 0, max: 4, bits: 10, lsb: 1 } },
      Ts: 1,
    };
    const c = new SugenoFixedController(spec);
    const rng = new Xoshiro128(21);
    const counts: number[][] = [];
    for (let k = 0; k < 1500; k++) counts.push([0, 1, 2].map(() => Math.floor(rng.uniform() * 1024)));
    const volts = counts.map((r) => r.map((n) => (n * 5) / 1024));
    const ref = fuzzyliteEval(file, volts);
    const y = new Float64Array(3);
    const u = new Float64Array(1);
    let worst = 0;
    let exact = 0;
    for (let k = 0; k < counts.length; k++) {
      y.set(volts[k]);
      c.update(y, new Float64Array(0), k, u);
      const want = Math.round((ref[k][3] / 4) * 1023);
      const got = Math.round((u[0] / 4) * 1023);
      worst = Math.max(worst, Math.abs(got - want));
      if (got === want) exact++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(exact / counts.length).toBeGreaterThan(0.95);
  });

  it('maglev PD model: coil current within one PWM count over errors ±3 mm and rates ±250 mm/s', () => {
    const file = join(models, 'maglev-pd-sugeno.fll');
    const spec: SugenoFixedSpec = {
      engine: readModelFile(file),
      inputs: { e: { signal: 'x', reference: 'r', gain: 1000 }, de: { signal: 'v', gain: 1 } },
      outputs: { di: { command: 'i', offset: 0.0955, min: 0, max: 0.15 } },
      sensors: { x: { ...adc10, gain: 0.003 }, v: { ...adc10, gain: 100, offset: -250 } },
      actuators: { i: { kind: 'pwm', min: 0, max: 0.15, bits: 8, lsb: 1 } },
      Ts: 0.001,
    };
    const c = new SugenoFixedController(spec);
    expect(c.inputs).toEqual(['x', 'v']);
    expect(c.references).toEqual(['r']);
    const rng = new Xoshiro128(4);
    const rows: number[][] = [];
    const inputs: [number, number][] = [];
    for (let k = 0; k < 1500; k++) {
      const xc = Math.floor(546 + (rng.uniform() - 0.5) * 420);
      const vc = Math.floor(rng.uniform() * 1024);
      const x = (xc * 5 * 0.003) / 1024;
      const v = (vc * 5 * 100) / 1024 - 250;
      inputs.push([x, v]);
      rows.push([1000 * (0.008 - x), v]);
    }
    const ref = fuzzyliteEval(file, rows);
    const u = new Float64Array(1);
    let worst = 0;
    for (let k = 0; k < rows.length; k++) {
      c.update(Float64Array.from(inputs[k]), Float64Array.of(0.008), k * 0.001, u);
      const cmd = Math.min(0.15, Math.max(0, ref[k][2] + 0.0955));
      const want = Math.round((cmd / 0.15) * 255);
      worst = Math.max(worst, Math.abs(Math.round((u[0] / 0.15) * 255) - want));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('sugeno-fixed building blocks', () => {
  it('membership ramps in Q15 follow the triangle, with open shoulders and a mirrored slope', () => {
    const t = termInX('Triangle', [-1, 0, 1], 1, 1 / 100, 0, 'test'); // x = 100·value
    expect([t.a, t.b, t.c, t.d]).toEqual([-100, 0, 0, 100]);
    expect(membershipQ15(t, 0)).toBe(32768);
    // Ramps multiply by floor(2^30/width): at most one LSB below the ideal value, never above.
    const near = (got: number, ideal: number) => expect(ideal - got >= 0 && ideal - got <= 1, `${got} vs ${ideal}`).toBe(true);
    near(membershipQ15(t, -50), 16384);
    near(membershipQ15(t, 75), 8192);
    expect(membershipQ15(t, 101)).toBe(0);
    const left = termInX('Trapezoid', [-Infinity, -Infinity, -1, 0], 1, 1 / 100, 0, 'test');
    expect(membershipQ15(left, -32768)).toBe(32768);
    near(membershipQ15(left, -50), 16384);
    const mirrored = termInX('Trapezoid', [-Infinity, -Infinity, -1, 0], 1, -1 / 100, 0, 'test'); // x = −100·value
    expect(membershipQ15(mirrored, 32767)).toBe(32768);
    near(membershipQ15(mirrored, 50), 16384);
    expect(membershipQ15(mirrored, -1)).toBe(0);
  });

  it('refuses what has no exact fixed-point form', () => {
    expect(() => termInX('Gaussian', [0, 1], 1, 1, 0, "input 'e', term 'z'")).toThrow(/Gaussian terms are not supported/);
    expect(() => termInX('Triangle', [0, 1, 2], 0.5, 1, 0, "input 'e', term 'z'")).toThrow(/height/);
  });
});
