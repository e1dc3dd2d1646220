import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import type { SearchMethod } from './method.ts';

/** Uniform random search in the unit cube from a seeded generator, in batches of `batchSize`. */
export class RandomSearch implements SearchMethod {
  readonly name = 'random';
  private readonly rng: Xoshiro128;

  constructor(
    private readonly dims: number,
    seed: number,
    private readonly batchSize = 16,
  ) {
    this.rng = new Xoshiro128(seed);
  }

  ask(): number[][] {
    return Array.from({ length: this.batchSize }, () => Array.from({ length: this.dims }, () => this.rng.uniform()));
  }

  tell(): void {}
}
