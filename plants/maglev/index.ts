import type { PlantFactory } from '../plant.ts';
import { Maglev, type MaglevInputMode, type MaglevParams } from './maglev.ts';
import { maglevParameterSets } from './params.ts';

export { Maglev } from './maglev.ts';
export { maglevParameterSets } from './params.ts';
export { opticalDetector } from './optical-sensor.ts';

export const maglevFactory: PlantFactory = {
  name: 'maglev',
  description: 'steel ball under an electromagnet (Erkal 2009 seed, Khalil model)',
  parameterSets: Object.keys(maglevParameterSets),
  defaults(set = 'A') {
    const docs = maglevParameterSets[set];
    if (!docs) throw new Error(`unknown maglev parameter set '${set}' (known: ${Object.keys(maglevParameterSets).join(', ')})`);
    return Object.fromEntries(Object.entries(docs).map(([k, d]) => [k, d.value]));
  },
  docs(set = 'A') {
    return maglevParameterSets[set] ?? {};
  },
  options: ['input'],
  checkParams(p) {
    if (p.x0_m > p.x_max_m) return { param: 'x0_m', message: `${p.x0_m} m is outside the rig: the gap runs from 0 (magnet) to x_max_m = ${p.x_max_m} m (floor)` };
    return undefined;
  },
  create(params, options = {}) {
    const mode = (options.input ?? 'current') as MaglevInputMode;
    if (mode !== 'current' && mode !== 'voltage') {
      throw new Error(`maglev option 'input' must be 'current' or 'voltage' (got '${String(mode)}')`);
    }
    return new Maglev(params as unknown as MaglevParams, mode);
  },
};
