import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, readFll } from '../../../controllers/fuzzy/index.ts';
import {
  BREAKPOINTS_ADC,
  BREAKPOINTS_PAPER,
  MU_ONE,
  adcCode8,
  inferPositionInt,
  makeScratch,
  membershipsInt,
} from '../../../controllers/solar-tracker/fuzzy-int.ts';
import { RULE_POSITION } from '../../../controllers/solar-tracker/rules.ts';
import { solarFll } from '../../../controllers/solar-tracker/solar-fll.ts';

// Independent reference: the paper's eqs. 1–3 in volts and the TVFI written out plainly here.
function mu(v: number, lo = 1.5, mid = 2.5, hi = 3.5): [number, number, number] {
  const low = v <= lo ? 1 : v >= mid ? 0 : (mid - v) / (mid - lo);
  const high = v <= mid ? 0 : v >= hi ? 1 : (v - mid) / (hi - mid);
  const normal = v <= lo || v >= hi ? 0 : v <= mid ? (v - lo) / (mid - lo) : (hi - v) / (hi - mid);
  return [low, normal, high];
}

function tvfiAngle(m1: number[], m2: number[], m3: number[], rules: readonly number[]): number {
  let w = 0;
  let wc = 0;
  for (let r = 0; r < 27; r++) {
    const s = Math.min(m1[Math.floor(r / 9)], m2[Math.floor(r / 3) % 3], m3[r % 3]);
    w += s;
    wc += s * 45 * rules[r];
  }
  return wc / w;
}

// Rule table transcribed from the paper (Odabaş et al. 2009, Tablo 1; fixtures/README.md).
const csvRules = (() => {
  const text = readFileSync(new URL('./fixtures/solar_rules.csv', import.meta.url), 'utf8') as string;
  const rows = text.trim().split('\n').slice(1).map((l) => l.split(','));
  const idx = { low: 0, normal: 1, high: 2 } as Record<string, number>;
  const out = new Array<number>(27).fill(-1);
  for (const [, s1, s2, s3, pos] of rows) out[9 * idx[s1] + 3 * idx[s2] + idx[s3]] = Number(pos);
  return out;
})();

describe('solar worked example (plants.md consistency test 5)', () => {
  it('the 27 rules match the paper\'s table', () => {
    expect(RULE_POSITION).toEqual(csvRules);
  });

  it('recomputed memberships of (4.0, 2.9, 1.7) V are S2 = (0, 0.6, 0.4), S3 = (0.8, 0.2, 0)', () => {
    const s1 = mu(4.0);
    const s2 = mu(2.9);
    const s3 = mu(1.7);
    expect(s1).toEqual([0, 0, 1]);
    s2.forEach((v, i) => expect(v).toBeCloseTo([0, 0.6, 0.4][i], 12));
    s3.forEach((v, i) => expect(v).toBeCloseTo([0.8, 0.2, 0][i], 12));
    const angle = tvfiAngle(s1, s2, s3, csvRules);
    expect(angle).toBeCloseTo(64.2857, 3);
    expect(Math.round(angle / 45)).toBe(1);
  });

  it("the paper's printed memberships give 74.5° → Konum2 instead", () => {
    const angle = tvfiAngle([0, 0, 1], [0, 0.34375, 0.65625], [1, 0, 0], csvRules);
    expect(angle).toBeCloseTo(74.53, 2);
    expect(Math.round(angle / 45)).toBe(2);
    // 0.65625 = 21/32 with 21 = 0x95 − 0x80; the paper's own eq. 5 would give 21/67.
    expect(0x95 - 0x80).toBe(21);
    expect(21 / (0xc3 - 0x80)).toBeCloseTo(0.313, 3);
  });

  it('the fuzzy engine (FLL model) gives 64.3° → Konum1', () => {
    const engine = compile(readFll(solarFll(), 'solar'));
    const out = new Float64Array(1);
    engine.evaluate(Float64Array.of(4.0, 2.9, 1.7), out);
    expect(out[0] * 45).toBeCloseTo(64.2857, 3);
  });

  it('the integer firmware: codes CCh, 94h, 57h → memberships within 1 LSB of 1/255, position 1', () => {
    const codes = [adcCode8(4.0), adcCode8(2.9), adcCode8(1.7)];
    expect(codes).toEqual([0xcc, 0x94, 0x57]);
    const m = new Int32Array(3);
    const expectMu = (code: number, volts: [number, number, number]) => {
      membershipsInt(code, BREAKPOINTS_ADC, m, 0);
      // Quantisation of the code (≤ 1 LSB = 1/51 of a membership span) plus truncation (1/255).
      for (let i = 0; i < 3; i++) expect(Math.abs(m[i] / MU_ONE - volts[i])).toBeLessThan(1 / 51 + 1 / 255 + 1e-12);
    };
    expectMu(0x94, [0, 0.6, 0.4]);
    expectMu(0x57, [0.8, 0.2, 0]);
    const scratch = makeScratch();
    expect(inferPositionInt(0xcc, 0x94, 0x57, BREAKPOINTS_ADC, RULE_POSITION, scratch)).toBe(1);
    const angle = (45 * scratch[10]) / scratch[9];
    expect(Math.abs(angle - 64.29)).toBeLessThan(1);
    // The paper's own (1 LSB high) codes and its C3h breakpoint still give position 1.
    expect(inferPositionInt(0xcd, 0x95, 0x57, BREAKPOINTS_PAPER, RULE_POSITION, scratch)).toBe(1);
  });

  it('is not mirror-symmetric: rule pairs 2/10, 3/19, 6/22, 9/25 disagree with their mirror images', () => {
    const mirror = (r: number) => 9 * (r % 3) + 3 * (Math.floor(r / 3) % 3) + Math.floor(r / 9);
    for (const [a, b] of [[2, 10], [3, 19], [6, 22], [9, 25]]) {
      expect(mirror(a - 1)).toBe(b - 1);
      expect(4 - csvRules[a - 1]).not.toBe(csvRules[b - 1]);
    }
  });
});
