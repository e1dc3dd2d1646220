import { loadMap } from '../../plants/robot/map.ts';
import type { ControllerFactory } from '../controller.ts';
import { optionalNumber, optionalString } from '../params.ts';
import { PlannerAgent, RobotAgentController } from './agents.ts';
import { MessageBus } from './bus.ts';
import { OccupancyGrid } from './grid.ts';
import { PathFollower } from './path-follower.ts';
import { HeadingControl } from './robot-io.ts';

/**
 * `astar`: the seed's two agents on an in-process bus. The planner agent gets the map (a known
 * environment, Gürel et al.), the robot agent is the controller. Parameters: map (file, relative to
 * the scenario), cell_m (1), margin_m (0), originX_m/originY_m (a grid node; default the start 0, 0),
 * speed_mps (0.1), kTheta, wMax_radps, switch_m (0.05), goalTolerance_m (0.1).
 */
export const astarFactory: ControllerFactory = {
  type: 'astar',
  description: 'A* route on a 1 m grid from a planner agent over a message bus, followed by the robot agent (Gürel et al.)',
  create(p, ctx) {
    const mapFile = optionalString(p, 'map') ?? 'maps/yufka-fitted.json';
    const map = loadMap(mapFile, ctx.baseDir);
    const cell = optionalNumber(p, 'cell_m') ?? 1;
    const margin = optionalNumber(p, 'margin_m') ?? 0;
    if (!(cell > 0)) throw new Error(`controller.cell_m: must be > 0 (got ${cell})`);
    if (!(margin >= 0)) throw new Error(`controller.margin_m: must be ≥ 0 (got ${margin})`);
    const grid = new OccupancyGrid(map, cell, optionalNumber(p, 'originX_m') ?? 0, optionalNumber(p, 'originY_m') ?? 0, margin);
    const bus = new MessageBus();
    new PlannerAgent(bus, grid);
    const heading = new HeadingControl(optionalNumber(p, 'speed_mps') ?? 0.1, optionalNumber(p, 'kTheta') ?? 1.5, optionalNumber(p, 'wMax_radps') ?? 0.8);
    const follower = new PathFollower(heading, optionalNumber(p, 'switch_m') ?? 0.05, optionalNumber(p, 'goalTolerance_m') ?? 0.1);
    return new RobotAgentController(bus, follower, ctx.plantParams.track_m ?? 0.33, ctx.plantParams.sonar_max_m ?? 5);
  },
};
