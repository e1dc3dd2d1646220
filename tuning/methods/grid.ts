import type { SearchMethod } from './method.ts';

/**
 * Full factorial grid: m points per axis with m^n ≤ budget (m ≥ 2), endpoints included,
 * enumerated with the first parameter varying fastest. Batches of `batchSize`.
 */
export class GridSearch implements SearchMethod {
  readonly name = 'grid';
  readonly perAxis: number;
  private readonly total: number;
  private next = 0;

  constructor(
    private readonly dims: number,
    budget: number,
    private readonly batchSize = 16,
  ) {
    let m = Math.max(2, Math.floor(Math.pow(budget, 1 / dims) + 1e-9));
    while (m > 2 && Math.pow(m, dims) > budget) m--;
    this.perAxis = m;
    this.total = Math.pow(m, dims);
  }

  ask(): number[][] | null {
    if (this.next >= this.total) return null;
    const out: number[][] = [];
    const m = this.perAxis;
    for (; this.next < this.total && out.length < this.batchSize; this.next++) {
      let k = this.next;
      const x: number[] = [];
      for (let d = 0; d < this.dims; d++) {
        x.push((k % m) / (m - 1));
        k = Math.floor(k / m);
      }
      out.push(x);
    }
    return out;
  }

  tell(): void {}
}
