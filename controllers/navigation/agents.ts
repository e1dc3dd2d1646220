import type { Subscription } from 'rxjs';
import type { Controller } from '../controller.ts';
import { planRoute } from './astar.ts';
import { ROUTE_REPLY, ROUTE_REQUEST, type BusMessage, type MessageBus, type RouteReplyBody, type RouteRequestBody } from './bus.ts';
import type { OccupancyGrid } from './grid.ts';
import { PathFollower } from './path-follower.ts';
import { driveWheels, NAV_INPUTS, NAV_REFERENCES, SonarView, STATUS_REACHED, STATUS_RUNNING, STATUS_UNREACHABLE } from './robot-io.ts';

/** The path construction agent: knows the map, answers route requests with A* routes. */
export class PlannerAgent {
  private readonly sub: Subscription;
  requests = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly grid: OccupancyGrid,
    readonly name = 'planner',
  ) {
    this.sub = bus.subscribe(ROUTE_REQUEST, (m) => this.answer(m));
  }

  private answer(m: BusMessage): void {
    this.requests++;
    const b = m.body as RouteRequestBody;
    const route = planRoute(this.grid, b.start[0], b.start[1], b.goal[0], b.goal[1]);
    const reply: RouteReplyBody = route
      ? { id: b.id, to: m.from, waypoints: route.waypoints, cost_m: route.cost_m }
      : { id: b.id, to: m.from, error: `no route from (${b.start.join(', ')}) to (${b.goal.join(', ')}) m on the ${this.grid.cell_m} m grid` };
    this.bus.publish({ topic: ROUTE_REPLY, from: this.name, body: reply });
  }

  close(): void {
    this.sub.unsubscribe();
  }
}

/**
 * The mobile agent as a controller: at its first tick it asks the planner for a route from its
 * odometric position to the goal, then follows the waypoints. It stands still while waiting, and
 * reports the goal unreachable when the planner has no route. The planned cost goes out on the
 * `route_cost_m` channel so the run records it.
 */
export class RobotAgentController implements Controller {
  readonly inputs = NAV_INPUTS;
  readonly references = NAV_REFERENCES;
  readonly outputs = ['vL_cmd_mps', 'vR_cmd_mps', 'nav_status', 'route_cost_m'] as const;
  private readonly view: SonarView;
  private readonly sub: Subscription;
  private requestId = 0;
  private asked = false;
  private status = STATUS_RUNNING;
  /** The route received, if any. */
  route: RouteReplyBody | undefined;

  constructor(
    private readonly bus: MessageBus,
    private readonly follower: PathFollower,
    private readonly track_m: number,
    sonarMax_m: number,
    readonly name = 'robot',
  ) {
    this.view = new SonarView(sonarMax_m);
    this.sub = bus.subscribe(ROUTE_REPLY, (m) => this.receive(m));
  }

  private receive(m: BusMessage): void {
    const b = m.body as RouteReplyBody;
    if (b.to !== this.name || b.id !== this.requestId) return;
    this.route = b;
    if (b.waypoints && b.waypoints.length > 0) this.follower.setPath(b.waypoints);
    else this.status = STATUS_UNREACHABLE;
  }

  reset(): void {
    this.asked = false;
    this.route = undefined;
    this.status = STATUS_RUNNING;
    this.follower.setPath([]);
  }

  update(y: Float64Array, ref: Float64Array, t: number, u: Float64Array): void {
    const v = this.view;
    v.read(y);
    if (!this.asked) {
      this.asked = true;
      this.requestId++;
      const body: RouteRequestBody = { id: this.requestId, start: [v.x, v.y], goal: [ref[0], ref[1]] };
      this.bus.publish({ topic: ROUTE_REQUEST, from: this.name, body });
    }
    const cost = this.route?.cost_m ?? 0;
    if (this.status === STATUS_RUNNING && this.route?.waypoints) {
      if (this.follower.step(v.x, v.y, v.theta, ref[0], ref[1])) this.status = STATUS_REACHED;
    }
    if (this.status !== STATUS_RUNNING || !this.route) driveWheels(u, 0, 0, this.track_m, this.status);
    else driveWheels(u, this.follower.heading.v, this.follower.heading.w, this.track_m, this.status);
    u[3] = cost;
  }

  close(): void {
    this.sub.unsubscribe();
  }
}
