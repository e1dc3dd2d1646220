import type { ControllerFactory } from '../../controllers/controller.ts';
import { controllerFactories } from '../../controllers/registry.ts';
import { pidFixedFactory } from '../../controllers/fixed-point/pid-fixed-controller.ts';
import { sugenoFixedFactory } from '../../controllers/fixed-point/sugeno-fixed-controller.ts';

/**
 * Every controller type a scenario may name: the pure controllers of controllers/ plus the
 * fixed-point ones that compute exactly as the generated firmware does.
 */
const allTypes: ReadonlyMap<string, ControllerFactory> = new Map(
  [...controllerFactories, pidFixedFactory, sugenoFixedFactory].map((f) => [f.type, f]),
);

export function getControllerFactory(type: string): ControllerFactory {
  const f = allTypes.get(type);
  if (!f) throw new Error(`unknown controller type '${type}' (known: ${[...allTypes.keys()].join(', ')})`);
  return f;
}
