import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PlannerAgent, RobotAgentController } from '../../controllers/navigation/agents.ts';
import { MessageBus, ROUTE_REPLY, ROUTE_REQUEST, type BusMessage } from '../../controllers/navigation/bus.ts';
import { OccupancyGrid } from '../../controllers/navigation/grid.ts';
import { PathFollower } from '../../controllers/navigation/path-follower.ts';
import { HeadingControl } from '../../controllers/navigation/robot-io.ts';
import { joinBus, serveBus } from '../../controllers/navigation/ws-bus.ts';
import { defaultMapFile, loadMap } from '../../plants/robot/index.ts';

const grid = new OccupancyGrid(loadMap(defaultMapFile), 1, 0, 0, 0);
const robotInputs = (x: number, y: number): Float64Array => {
  const v = new Float64Array(19).fill(5);
  v[16] = x;
  v[17] = y;
  v[18] = 0;
  return v;
};
const newRobot = (bus: MessageBus): RobotAgentController =>
  new RobotAgentController(bus, new PathFollower(new HeadingControl(0.1, 1.5, 0.8), 0.05, 0.1), 0.33, 5);

describe('planner agent and robot agent (Gürel et al.)', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });

  it('exchange a route request and its reply on the in-process bus within one tick', () => {
    const bus = new MessageBus();
    const log: BusMessage[] = [];
    bus.subscribeAll((m) => log.push(m));
    const planner = new PlannerAgent(bus, grid);
    const robot = newRobot(bus);
    const u = new Float64Array(4);
    robot.update(robotInputs(0, 0), Float64Array.of(7, 5), 0, u);
    expect(log.map((m) => [m.topic, m.from])).toEqual([[ROUTE_REQUEST, 'robot'], [ROUTE_REPLY, 'planner']]);
    expect(planner.requests).toBe(1);
    expect(robot.route?.cost_m).toBeCloseTo(6 + 3 * Math.SQRT2, 12);
    expect(u[3]).toBeCloseTo(10.2426, 4); // route cost channel
    expect(u[0] + u[1]).toBeGreaterThan(0); // already driving
  });

  it('works across a real WebSocket: planner served on one bus, robot on another', async () => {
    const plannerBus = new MessageBus();
    new PlannerAgent(plannerBus, grid);
    const server = await serveBus(plannerBus, [ROUTE_REPLY]);
    closers.push(server.close);
    const robotBus = new MessageBus();
    const bridge = await joinBus(robotBus, server.url, [ROUTE_REQUEST]);
    closers.push(() => bridge.close());
    const robot = newRobot(robotBus);
    const u = new Float64Array(4);
    robot.update(robotInputs(0, 0), Float64Array.of(7, 5), 0, u);
    expect(u[0]).toBe(0); // waiting for the reply: stands still
    for (let i = 0; i < 100 && !robot.route; i++) await new Promise((r) => setTimeout(r, 10));
    expect(robot.route?.waypoints).toEqual([[0, 0], [1, 0], [2, 0], [3, 0], [4, 1], [5, 2], [6, 2], [6, 3], [6, 4], [7, 5]]);
    robot.update(robotInputs(0, 0), Float64Array.of(7, 5), 0.1, u);
    expect(u[3]).toBeCloseTo(6 + 3 * Math.SQRT2, 3);
  });

  it('the ws bridge drops malformed frames and counts them', async () => {
    const bus = new MessageBus();
    const seen: BusMessage[] = [];
    bus.subscribe(ROUTE_REQUEST, (m) => seen.push(m));
    const server = await serveBus(bus, []);
    closers.push(server.close);
    const ws = new WebSocket(server.url);
    await new Promise((r) => ws.once('open', r));
    ws.send('not json');
    ws.send(JSON.stringify({ topic: 3 }));
    ws.send(JSON.stringify({ topic: ROUTE_REQUEST, from: 'x', body: { id: 1, start: [0, 0], goal: [1, 1] } }));
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    ws.close();
    expect(seen).toHaveLength(1);
    expect(seen[0].remote).toBe(true);
    expect(server.bridges[0].dropped).toBe(2);
  });
});
