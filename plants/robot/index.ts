import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MakeRng, PlantFactory } from '../plant.ts';
import { loadMap } from './map.ts';
import { robotParameterSets, type RobotParams } from './params.ts';
import { PioneerRobot } from './robot.ts';

export { PioneerRobot, NAV_STATUS } from './robot.ts';
export { loadMap, parseMap, type RobotMap } from './map.ts';
export { P3DX_SONAR_POSES_MM_DEG } from './sonar.ts';

/** Built-in maps live next to the built-in scenarios. */
export const builtinMapDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios/maps');
export const defaultMapFile = resolve(builtinMapDir, 'yufka-fitted.json');

export const robotFactory: PlantFactory = {
  name: 'robot',
  description: 'Pioneer 3-DX differential-drive robot with 16 sonars in a polygon map (Yufka & Parlaktuna 2009; Gürel et al. 2009)',
  parameterSets: Object.keys(robotParameterSets),
  defaults(set = 'p3dx') {
    const docs = robotParameterSets[set];
    if (!docs) throw new Error(`unknown robot parameter set '${set}' (known: ${Object.keys(robotParameterSets).join(', ')})`);
    return Object.fromEntries(Object.entries(docs).map(([k, d]) => [k, d.value]));
  },
  docs(set = 'p3dx') {
    return robotParameterSets[set] ?? {};
  },
  options: ['map', 'goalReferences'],
  checkParams(p) {
    if (p.sonar_min_m >= p.sonar_max_m) return { param: 'sonar_min_m', message: `${p.sonar_min_m} m is not below sonar_max_m = ${p.sonar_max_m} m` };
    return undefined;
  },
  create(params, options = {}) {
    const baseDir = typeof options.baseDir === 'string' ? options.baseDir : process.cwd();
    const mapOpt = options.map ?? defaultMapFile;
    if (typeof mapOpt !== 'string') throw new Error(`robot option 'map' must be a map file path (got ${JSON.stringify(mapOpt)})`);
    const goal = options.goalReferences ?? ['x_goal_m', 'y_goal_m'];
    if (!Array.isArray(goal) || goal.length !== 2 || goal.some((g) => typeof g !== 'string')) {
      throw new Error(`robot option 'goalReferences' must be two reference names (got ${JSON.stringify(goal)})`);
    }
    const makeRng = options.makeRng as MakeRng | undefined;
    if (typeof makeRng !== 'function') throw new Error('robot needs a seeded random source factory (options.makeRng), which the run builder passes');
    return new PioneerRobot(params as unknown as RobotParams, loadMap(mapOpt, baseDir), { goalColumns: [goal[0], goal[1]], makeRng });
  },
};
