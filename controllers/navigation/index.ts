import type { ControllerFactory } from '../controller.ts';
import { astarFactory } from './astar-factory.ts';
import { bug1Factory, bug2Factory, distBugFactory } from './bug-factories.ts';

/** The navigation controller types, registered in controllers/registry.ts. */
export const navigationFactories: readonly ControllerFactory[] = [bug1Factory, bug2Factory, distBugFactory, astarFactory];
