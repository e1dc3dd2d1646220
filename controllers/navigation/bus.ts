import { Subject, filter, type Subscription } from 'rxjs';

/**
 * The agents' message bus (after the Open Agent Architecture facilitator in Gürel et al.: every
 * message names its sender and topic and flows through one hub). In process it is an RxJS Subject,
 * which delivers synchronously, so a route request is answered within the same control tick.
 */
export interface BusMessage {
  readonly topic: string;
  readonly from: string;
  readonly body: Record<string, unknown>;
  /** Set by a transport bridge on messages that came from the other side (never re-sent). */
  readonly remote?: boolean;
}

export class MessageBus {
  private readonly hub = new Subject<BusMessage>();

  publish(msg: BusMessage): void {
    this.hub.next(msg);
  }

  subscribe(topic: string, handler: (msg: BusMessage) => void): Subscription {
    return this.hub.pipe(filter((m) => m.topic === topic)).subscribe(handler);
  }

  /** Every message, whatever the topic (bridges, logs). */
  subscribeAll(handler: (msg: BusMessage) => void): Subscription {
    return this.hub.subscribe(handler);
  }
}

/** Topics of the route protocol. */
export const ROUTE_REQUEST = 'route.request';
export const ROUTE_REPLY = 'route.reply';

/** Robot → planner: current position and goal (m). */
export interface RouteRequestBody {
  readonly id: number;
  readonly start: readonly [number, number];
  readonly goal: readonly [number, number];
  [key: string]: unknown;
}

/** Planner → robot: the waypoints and cost, or why there is no route. */
export interface RouteReplyBody {
  readonly id: number;
  readonly to: string;
  readonly waypoints?: readonly (readonly [number, number])[];
  readonly cost_m?: number;
  readonly error?: string;
  [key: string]: unknown;
}
