import type { PlantFactory } from '../plant.ts';
import { solarDefaults } from './params.ts';
import { SolarTracker, type SolarAxis, type SolarParams } from './solar-plant.ts';

export { SolarTracker, POSITIONS_DEG, SENSOR_ANGLES_DEG, SolarEnergyMetrics } from './solar-plant.ts';
export { solarDefaults } from './params.ts';

export const solarFactory: PlantFactory = {
  name: 'solar',
  description: 'single-axis solar tracker with three light sensors and a stepper (Odabaş et al. 2009, PIC16F877)',
  parameterSets: ['sakarya'],
  defaults(set = 'sakarya') {
    if (set !== 'sakarya') throw new Error(`unknown solar parameter set '${set}' (known: sakarya)`);
    return Object.fromEntries(Object.entries(solarDefaults).map(([k, d]) => [k, d.value]));
  },
  docs() {
    return solarDefaults;
  },
  options: ['date', 'axis'],
  checkParams(p) {
    if (p.cloud_dni_min > p.cloud_dni_max) return { param: 'cloud_dni_min', message: `${p.cloud_dni_min} is above cloud_dni_max = ${p.cloud_dni_max}` };
    return undefined;
  },
  create(params, options = {}) {
    const date = options.date ?? '2025-03-20';
    const axis = options.axis ?? 'horizontal';
    if (typeof date !== 'string') throw new Error(`solar option 'date' must be a string YYYY-MM-DD (got ${JSON.stringify(date)})`);
    if (axis !== 'horizontal' && axis !== 'polar') throw new Error(`solar option 'axis' must be 'horizontal' or 'polar' (got ${JSON.stringify(axis)})`);
    return new SolarTracker(params as unknown as SolarParams, { date, axis: axis as SolarAxis });
  },
};
