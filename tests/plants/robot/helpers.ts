import { Rk4Integrator } from '../../../firmware-sim/integrators.ts';
import { Xoshiro128 } from '../../../firmware-sim/rng.ts';
import { parseMap, type RobotMap } from '../../../plants/robot/map.ts';
import { robotFactory } from '../../../plants/robot/index.ts';
import { PioneerRobot } from '../../../plants/robot/robot.ts';

/** An empty 20 × 20 m room centred on the origin, plus optional obstacles (mm). */
export function roomMap(obstacles: number[][][] = []): RobotMap {
  return parseMap({ name: 'test-room', room: [-10000, -10000, 10000, 10000], obstacles: obstacles.map((points) => ({ points })) }, 'test');
}

export function makeRobot(params: Record<string, number> = {}, map: RobotMap = roomMap()): PioneerRobot {
  return new PioneerRobot({ ...robotFactory.defaults('p3dx'), ...params } as never, map, { goalColumns: ['x_goal_m', 'y_goal_m'], makeRng: (seed) => new Xoshiro128(seed) });
}

/** Integrates the plant with constant wheel commands; returns the final state. */
export function drive(robot: PioneerRobot, vL: number, vR: number, seconds: number, x0?: Float64Array, dt = 0.01): Float64Array {
  const x = x0 ?? robot.initialState();
  const u = Float64Array.of(vL, vR, 0, 0);
  const rk4 = new Rk4Integrator(x.length, dt);
  const n = Math.round(seconds / dt);
  for (let k = 0; k < n; k++) {
    rk4.step(robot, k, x, u);
    robot.constrain(k * dt, x);
  }
  return x;
}

export function measure(robot: PioneerRobot, x: Float64Array, seed = 1): Float64Array {
  const y = new Float64Array(robot.outputs.length);
  robot.measure(0, x, new Float64Array(4), y, new Xoshiro128(seed));
  return y;
}
