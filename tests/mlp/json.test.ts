import { describe, expect, it } from 'vitest';
import { Mlp, fitScaling, initNguyenWidrow, mlpFromJson, mlpToJson, trainLm } from '../../controllers/mlp/index.ts';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';

describe('MLP JSON', () => {
  it('round-trips a trained network to identical predictions, in engineering units', () => {
    const data = { inputs: [[30], [32], [34], [36]], targets: [[20.1], [23.5], [27.2], [30.0]] };
    const n = new Mlp([1, 4, 1]);
    fitScaling(n, data);
    initNguyenWidrow(n, new Xoshiro128(2));
    trainLm(n, data, { epochs: 30 });
    const back = mlpFromJson(JSON.parse(JSON.stringify(mlpToJson(n))));
    for (const x of [29, 31.5, 33, 37]) expect(back.predict([x])[0]).toBe(n.predict([x])[0]);
    expect(n.predict([34])[0]).toBeCloseTo(27.2, 1);
  });

  it('rejects a malformed file with a message naming the field', () => {
    const good = mlpToJson(new Mlp([1, 2, 1]));
    expect(() => mlpFromJson({ ...good, weights: [1, 2] }, 'm.json')).toThrow(/m\.json: weights: expected 7 numbers/);
    expect(() => mlpFromJson({ ...good, format: 'x' }, 'm.json')).toThrow(/format/);
    expect(() => mlpFromJson({ ...good, sizes: [1, 0, 1] }, 'm.json')).toThrow(/sizes/);
    let caught: unknown;
    try {
      mlpFromJson(null, 'm.json');
    } catch (e) {
      caught = e;
    }
    expect((caught as { userError?: boolean }).userError).toBe(true);
  });
});
