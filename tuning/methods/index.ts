import { Cmaes } from './cmaes.ts';
import { GridSearch } from './grid.ts';
import type { SearchMethod } from './method.ts';
import { NelderMead } from './nelder-mead.ts';
import { RandomSearch } from './random.ts';
import { UserError } from '../../errors/user-error.ts';

export const searchMethodNames = ['grid', 'random', 'nelder-mead', 'cmaes'] as const;
export type SearchMethodName = (typeof searchMethodNames)[number];

/** Builds a search method; `x0` is the untuned point in unit coordinates. */
export function makeMethod(name: string, x0: readonly number[], budget: number, seed: number, options: { sigma?: number; popsize?: number } = {}): SearchMethod {
  switch (name) {
    case 'grid':
      return new GridSearch(x0.length, budget);
    case 'random':
      return new RandomSearch(x0.length, seed);
    case 'nelder-mead':
      return new NelderMead(x0);
    case 'cmaes':
      return new Cmaes(x0, { seed, sigma: options.sigma, lambda: options.popsize });
    default:
      throw new UserError(`--method '${name}': unknown (known: ${searchMethodNames.join(', ')}, relay)`);
  }
}
