import { WebSocket, WebSocketServer } from 'ws';
import type { BusMessage, MessageBus } from './bus.ts';

/**
 * Carries chosen topics of a MessageBus over a WebSocket, so the planner agent and the robot agent
 * can run in different processes (the seed's agents talk through a facilitator over the network).
 * Messages are JSON `{topic, from, body}`; anything else received is dropped and counted.
 */
export class WsBusBridge {
  dropped = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly bus: MessageBus,
    private readonly socket: WebSocket,
    topics: readonly string[],
  ) {
    const wanted = new Set(topics);
    const sub = bus.subscribeAll((m) => {
      if (m.remote || !wanted.has(m.topic) || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ topic: m.topic, from: m.from, body: m.body }));
    });
    this.unsubscribe = () => sub.unsubscribe();
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('close', () => this.unsubscribe());
  }

  private receive(text: string): void {
    let m: unknown;
    try {
      m = JSON.parse(text);
    } catch {
      this.dropped++;
      return;
    }
    const o = m as Partial<BusMessage>;
    if (typeof o !== 'object' || o === null || typeof o.topic !== 'string' || typeof o.from !== 'string' || typeof o.body !== 'object' || o.body === null) {
      this.dropped++;
      return;
    }
    this.bus.publish({ topic: o.topic, from: o.from, body: o.body as Record<string, unknown>, remote: true });
  }

  close(): void {
    this.unsubscribe();
    this.socket.close();
  }
}

/** Serves a bus on 127.0.0.1 (port 0: any free port); every client is bridged for `topics`. */
export async function serveBus(
  bus: MessageBus,
  topics: readonly string[],
  port = 0,
): Promise<{ url: string; bridges: WsBusBridge[]; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const bridges: WsBusBridge[] = [];
  server.on('connection', (socket) => bridges.push(new WsBusBridge(bus, socket, topics)));
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `ws://127.0.0.1:${actualPort}`,
    bridges,
    close: () =>
      new Promise<void>((ok) => {
        for (const b of bridges) b.close();
        server.close(() => ok());
      }),
  };
}

/** Joins a served bus: resolves once connected. */
export async function joinBus(bus: MessageBus, url: string, topics: readonly string[]): Promise<WsBusBridge> {
  const socket = new WebSocket(url);
  await new Promise<void>((ok, fail) => {
    socket.once('open', () => ok());
    socket.once('error', (e) => fail(new Error(`cannot join the agent bus at ${url}: ${e.message}`)));
  });
  return new WsBusBridge(bus, socket, topics);
}
