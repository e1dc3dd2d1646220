import type { ControllerFactory } from './controller.ts';
import { anfisFactory } from './anfis/anfis-controller.ts';
import { fuzzyFactory } from './fuzzy/fuzzy-controller.ts';
import { openLoopFactory } from './open-loop.ts';
import { navigationFactories } from './navigation/index.ts';
import { pidFactory } from './pid/pid-controller.ts';
import { solarFuzzyPicFactory, solarWinterFixFactory } from './solar-tracker/solar-fuzzy-controller.ts';
import { solarFuzzyFloatFactory } from './solar-tracker/solar-fuzzy-float.ts';
import { peltierFuzzyFactory, peltierPidFactory } from './thermal/factories.ts';

/**
 * Controller types by name, as scenarios spell them in `controller.type`.
 * A new controller family adds one line here. (The fixed-point controllers that mirror generated
 * firmware live in firmware-sim and are added in firmware-sim/scenario/controller-types.ts.)
 */
export const controllerFactories: readonly ControllerFactory[] = [pidFactory, fuzzyFactory, openLoopFactory, solarFuzzyPicFactory, solarWinterFixFactory, solarFuzzyFloatFactory, peltierPidFactory, peltierFuzzyFactory, ...navigationFactories, anfisFactory];
