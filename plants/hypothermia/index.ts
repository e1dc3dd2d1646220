import type { PlantFactory } from '../plant.ts';
import { Hypothermia, type HypothermiaParams } from './hypothermia-plant.ts';
import { hypothermiaDefaults } from './params.ts';

export { Hypothermia, type HypothermiaParams } from './hypothermia-plant.ts';
export { hypothermiaDefaults } from './params.ts';
export { steadyState } from './steady-state.ts';
export { INTERLOCK_BITS } from './interlock-flags.ts';
export { tecFromDatasheet, tecQc, tecQh } from './peltier.ts';

export const hypothermiaFactory: PlantFactory = {
  name: 'hypothermia',
  description: 'rat brain cooled by a Peltier plate: four thermal nodes with perfusion (Demirel & Erkal 2009)',
  parameterSets: ['rat'],
  defaults(set = 'rat') {
    if (set !== 'rat') throw new Error(`unknown hypothermia parameter set '${set}' (known: rat)`);
    return Object.fromEntries(Object.entries(hypothermiaDefaults).map(([k, d]) => [k, d.value]));
  },
  docs() {
    return hypothermiaDefaults;
  },
  options: [],
  create(params) {
    return new Hypothermia(params as unknown as HypothermiaParams);
  },
};
