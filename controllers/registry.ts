import type { ControllerFactory } from './controller.ts';
import { anfisFactory } from './anfis/anfis-controller.ts';
import { pidFixedFactory } from '../firmware-sim/fixed-point/pid-fixed-controller.ts';
import { sugenoFixedFactory } from '../firmware-sim/fixed-point/sugeno-fixed-controller.ts';
import { fuzzyFactory } from './fuzzy/fuzzy-controller.ts';
import { openLoopFactory } from './open-loop.ts';
import { navigationFactories } from './navigation/index.ts';
import { pidFactory } from './pid/pid-controller.ts';
import { solarFuzzyPicFactory, solarWinterFixFactory } from './solar-tracker/solar-fuzzy-controller.ts';
import { solarFuzzyFloatFactory } from './solar-tracker/solar-fuzzy-float.ts';
import { peltierFuzzyFactory, peltierPidFactory } from './thermal/factories.ts';

/**
 * Controller types by name, as scenarios spell them in `controller.type`.
 * A new controller family adds one line here.
 */
const factories: ControllerFactory[] = [pidFactory, fuzzyFactory, pidFixedFactory, sugenoFixedFactory, openLoopFactory, solarFuzzyPicFactory, solarWinterFixFactory, solarFuzzyFloatFactory, peltierPidFactory, peltierFuzzyFactory, ...navigationFactories, anfisFactory];

export const controllerRegistry: ReadonlyMap<string, ControllerFactory> = new Map(factories.map((f) => [f.type, f]));

export function getControllerFactory(type: string): ControllerFactory {
  const f = controllerRegistry.get(type);
  if (!f) throw new Error(`unknown controller type '${type}' (known: ${[...controllerRegistry.keys()].join(', ')})`);
  return f;
}
