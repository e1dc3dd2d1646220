import SunCalc from 'suncalc';
import { beforeAll, describe, expect, it } from 'vitest';
import { solarGainsTable, type SolarGainRow } from '../../../cli/commands/solar.ts';
import { sunPosition } from '../../../plants/solar/sun.ts';

// plants.md §2, reference gains vs a fixed panel at 90° [C]: continuous / ideal 5-position / seed fuzzy.
const REFERENCE: Record<string, [number, number, number]> = {
  'horizontal equinox': [1.47, 1.43, 1.34],
  'horizontal june': [1.38, 1.35, 1.26],
  'horizontal december': [1.54, 1.51, 0.71],
  'polar equinox': [1.32, 1.29, 1.21],
  'polar june': [1.47, 1.49, 1.36],
  'polar december': [1.16, 1.13, 1.06],
};

describe('solar sun position (plants.md consistency test 7)', () => {
  it('suncalc azimuth is ≈ 0 at solar noon and negative in the morning (measured from south toward west)', () => {
    const noon = SunCalc.getTimes(new Date(Date.UTC(2025, 2, 20, 9)), 40.78, 30.4).solarNoon;
    expect(Math.abs(sunPosition(noon, 40.78, 30.4).az_rad)).toBeLessThan(0.01);
    const morning = new Date(noon.getTime() - 3 * 3600_000);
    const s = sunPosition(morning, 40.78, 30.4);
    expect(s.az_rad).toBeLessThan(0);
    expect(s.e).toBeGreaterThan(0); // east component positive in the morning
    const evening = sunPosition(new Date(noon.getTime() + 3 * 3600_000), 40.78, 30.4);
    expect(evening.az_rad).toBeGreaterThan(0);
    expect(evening.e).toBeLessThan(0);
  });
});

describe('solar daily gains, six cases (issue acceptance)', () => {
  let rows: SolarGainRow[] = [];
  beforeAll(() => {
    rows = solarGainsTable();
  });
  const row = (axis: string, day: string) => rows.find((r) => r.axis === axis && r.day === day)!;

  it('equinox continuous/fixed on a horizontal axis is 1.47 ± 0.02', () => {
    expect(Math.abs(row('horizontal', 'equinox').continuous - 1.47)).toBeLessThanOrEqual(0.02);
  });

  it("the seed's fuzzy controller is within 0.05 of plants.md in all six cases, ideal-5 within 0.02", () => {
    for (const [key, [, ideal5, seed]] of Object.entries(REFERENCE)) {
      const [axis, day] = key.split(' ');
      const r = row(axis, day);
      expect(Math.abs(r.seed - seed), `${key} seed ${r.seed}`).toBeLessThanOrEqual(0.05);
      expect(Math.abs(r.ideal5 - ideal5), `${key} ideal5 ${r.ideal5}`).toBeLessThanOrEqual(0.02);
    }
  });

  it('continuous tracking matches plants.md within 0.02 except June on a polar axis (see docs: clamp of the beam-optimal angle)', () => {
    for (const [key, [cont]] of Object.entries(REFERENCE)) {
      const [axis, day] = key.split(' ');
      const r = row(axis, day);
      if (key === 'polar june') {
        // plants.md clamps atan2 naively (evening sun north of the axis plane → 0°); we turn to the nearer end.
        expect(r.continuous).toBeGreaterThan(cont + 0.03);
        expect(r.continuous).toBeGreaterThanOrEqual(r.ideal5);
      } else expect(Math.abs(r.continuous - cont), `${key} continuous ${r.continuous}`).toBeLessThanOrEqual(0.02);
    }
  });

  it('the seed parks the panel in December on a horizontal axis; the winter fix gains more than 1.0 there', () => {
    const dec = row('horizontal', 'december');
    expect(dec.seed).toBeLessThan(0.8);
    expect(dec.winterFix).toBeGreaterThan(1.0);
    expect(dec.winterFix).toBeGreaterThan(1.3);
    // and the fix costs nothing elsewhere
    for (const r of rows) expect(r.winterFix).toBeGreaterThanOrEqual(r.seed - 0.01);
  });

  it('the seed moves the panel a handful of times a day, not every decision', () => {
    for (const r of rows) {
      expect(r.seedMoves).toBeGreaterThan(2);
      expect(r.seedMoves).toBeLessThan(30);
    }
  });
});
