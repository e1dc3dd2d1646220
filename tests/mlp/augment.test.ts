import { describe, expect, it } from 'vitest';
import { gaussianJitter, smoteRegression } from '../../controllers/augment/index.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';

const samples = [0, 1, 2, 3, 4, 5].map((x) => ({ x: [x, 10 * x], y: [3 * x + 1] }));

describe('SMOTE-style regression interpolation', () => {
  it('puts every synthetic sample on a segment between two originals, target interpolated with it', () => {
    const out = smoteRegression(samples, new Xoshiro128(1), { count: 200, k: 2 });
    expect(out).toHaveLength(200);
    for (const s of out) {
      // the originals lie on y = 3·x0 + 1 and x1 = 10·x0, so interpolants must too
      expect(s.y[0]).toBeCloseTo(3 * s.x[0] + 1, 12);
      expect(s.x[1]).toBeCloseTo(10 * s.x[0], 12);
      expect(s.x[0]).toBeGreaterThanOrEqual(0);
      expect(s.x[0]).toBeLessThanOrEqual(5);
    }
  });

  it('with k = 1 interpolates only between nearest neighbours (gaps of at most 1)', () => {
    const out = smoteRegression(samples, new Xoshiro128(2), { count: 100, k: 1 });
    const seen = new Set(out.map((s) => Math.floor(s.x[0])));
    expect(seen.size).toBeGreaterThan(3);
  });
});

describe('Gaussian jitter', () => {
  it('adds noise of the requested σ to inputs and leaves targets when σ_y = 0', () => {
    const out = gaussianJitter(samples, new Xoshiro128(3), { count: 4000, sigmaX: [0.5, 0] });
    const dev = out.map((s) => s.x[0] - s.x[1] / 10);
    const mean = dev.reduce((a, b) => a + b, 0) / dev.length;
    const sd = Math.sqrt(dev.reduce((a, b) => a + (b - mean) ** 2, 0) / dev.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeGreaterThan(0.47);
    expect(sd).toBeLessThan(0.53);
    for (const s of out) expect((s.y[0] - 1) / 3).toBeCloseTo(s.x[1] / 10, 12);
  });
});
