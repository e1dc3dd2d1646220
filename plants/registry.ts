import { fopdtFactory } from './linear/fopdt.ts';
import { firstOrderFactory } from './linear/first-order.ts';
import { maglevFactory } from './maglev/index.ts';
import { robotFactory } from './robot/index.ts';
import type { PlantFactory } from './plant.ts';
import { solarFactory } from './solar/index.ts';
import { hypothermiaFactory } from './hypothermia/index.ts';

/** Plants by name, as scenarios spell them in `plant`. A new plant adds one line here. */
const factories: PlantFactory[] = [maglevFactory, firstOrderFactory, solarFactory, hypothermiaFactory, robotFactory, fopdtFactory];

export const plantRegistry: ReadonlyMap<string, PlantFactory> = new Map(factories.map((f) => [f.name, f]));

export function getPlantFactory(name: string): PlantFactory {
  const f = plantRegistry.get(name);
  if (!f) throw new Error(`unknown plant '${name}' (known: ${[...plantRegistry.keys()].join(', ')})`);
  return f;
}
