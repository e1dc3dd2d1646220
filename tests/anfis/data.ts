import type { AnfisData } from '../../controllers/anfis/index.ts';

/** Jang (1993) example 1: z = sinc(x)·sinc(y) on the grid {−10, −8, …, 10}², 121 pairs. */
export function sincData(): AnfisData {
  const sinc = (v: number): number => (v === 0 ? 1 : Math.sin(v) / v);
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let x = -10; x <= 10; x += 2) {
    for (let y = -10; y <= 10; y += 2) {
      inputs.push([x, y]);
      targets.push(sinc(x) * sinc(y));
    }
  }
  return { inputs, targets };
}

/** Jang (1993) example 2: o = (1 + x^0.5 + y^−1 + z^−1.5)² on a cubic grid. */
export function threeInputData(from: number, to: number): AnfisData {
  const f = (x: number, y: number, z: number): number => (1 + Math.sqrt(x) + 1 / y + Math.pow(z, -1.5)) ** 2;
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let x = from; x <= to; x++) {
    for (let y = from; y <= to; y++) {
      for (let z = from; z <= to; z++) {
        inputs.push([x, y, z]);
        targets.push(f(x, y, z));
      }
    }
  }
  return { inputs, targets };
}
