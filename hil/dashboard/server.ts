import { UserError } from '../../errors/user-error.ts';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { auditTime, type Subscription } from 'rxjs';
import { WebSocket, WebSocketServer } from 'ws';
import type { LiveSample, LiveSource } from '../live/live-source.ts';
import { SampleHistory } from './history.ts';
import { hostAllowed, isLoopbackHost, originAllowed } from './origin.ts';
import type { ReplayData } from './replay.ts';

/** What the page may change when the server was started with a token. */
export interface ControlSpec {
  /** Reference signals whose value can be set from the page. */
  readonly setpoints: readonly { readonly name: string; readonly value: number }[];
  readonly stop: boolean;
}

export type ControlRequest = { readonly action: 'setpoint'; readonly name: string; readonly value: number } | { readonly action: 'stop' };

export interface DashboardOptions {
  /** Interface to bind. Default '127.0.0.1' (this machine only). */
  readonly host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Enables control messages (setpoint, stop) from pages that present it. Default: read-only. */
  readonly token?: string;
  /** Extra origins (exact, e.g. 'http://lab-pc:8080') allowed to open the WebSocket. Default none. */
  readonly allowOrigins?: readonly string[];
  /** Display frame period in ms. Default 50 (20 frames/s). */
  readonly frame_ms?: number;
  /** A client with more than this many bytes queued gets no display frames until it catches up. Default 1 MiB. */
  readonly maxBuffered_bytes?: number;
  /** Samples kept at full rate for pages that connect mid-run (older ones as a min/max envelope). Default 20000. */
  readonly history?: number;
  /** Time buckets of the min/max envelope of the whole run. Default 2048. */
  readonly historyBuckets?: number;
  readonly controls?: ControlSpec;
  /** Applies a control request (after the token check); returns an error text to refuse it. */
  readonly onControl?: (req: ControlRequest) => string | undefined;
}

interface Client {
  readonly ws: WebSocket;
  droppedFrames: number;
  sentFrames: number;
  /** Replay only: the next row to send. */
  replayRow: number;
}

export interface DashboardStats {
  clients: number;
  samplesIn: number;
  framesBuilt: number;
  framesSent: number;
  framesDropped: number;
  /** Messages from pages refused (bad JSON, unknown type, no token …); none is ever fatal. */
  controlRefused: number;
  connectionsRefused: number;
  /** Replay rows sent, over all clients. */
  replayRowsSent: number;
}

const require = createRequire(import.meta.url);
/** Approximate size of one replay message (rows per chunk = this / (20 bytes × columns)). */
const REPLAY_CHUNK_BYTES = 256 * 1024;
const STATIC_DIR = new URL('./static/', import.meta.url);

function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const uplot = (f: string) => readFileSync(require.resolve(`uplot/dist/${f}`));
  return new Map([
    ['/', { type: 'text/html; charset=utf-8', body: readFileSync(new URL('index.html', STATIC_DIR)) }],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('app.js', STATIC_DIR)) }],
    ['/uPlot.iife.min.js', { type: 'text/javascript; charset=utf-8', body: uplot('uPlot.iife.min.js') }],
    ['/uPlot.min.css', { type: 'text/css; charset=utf-8', body: uplot('uPlot.min.css') }],
  ]);
}

/**
 * The dashboard: an HTTP server for one static page (uPlot from node_modules) and a `ws`
 * WebSocket that streams a LiveSource (or a recorded run for replay) to every page.
 * Samples are batched into display frames every `frame_ms`; a client whose socket is backed up
 * simply misses frames (counted and shown on its page) — the recorder subscribes to the source on
 * its own and never waits for a browser. Control messages need the token and are checked here.
 */
export class DashboardServer {
  readonly stats: DashboardStats = { clients: 0, samplesIn: 0, framesBuilt: 0, framesSent: 0, framesDropped: 0, controlRefused: 0, connectionsRefused: 0, replayRowsSent: 0 };
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly assets = loadAssets();
  private readonly subs: Subscription[] = [];
  private columns: readonly string[] = ['t_s'];
  private units: Readonly<Record<string, string>> = {};
  private pending: LiveSample[] = [];
  private readonly history: SampleHistory;
  private timer: NodeJS.Timeout | undefined;
  private metrics: Record<string, unknown> = {};
  private ended: { status: string; error?: string } | undefined;
  private readonly host: string;
  private readonly frame_ms: number;
  private readonly maxBuffered: number;

  private constructor(
    private readonly source: { live: LiveSource } | { replay: ReplayData },
    private readonly options: DashboardOptions,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.frame_ms = options.frame_ms ?? 50;
    this.maxBuffered = options.maxBuffered_bytes ?? 1 << 20;
    this.history = new SampleHistory(options.history ?? 20000, options.historyBuckets ?? 2048);
    this.history.reset(1);
    this.http = createServer((req, res) => this.serveHttp(req, res));
    this.wss = new WebSocketServer({
      server: this.http,
      path: '/ws',
      maxPayload: 4096,
      verifyClient: (info: { origin?: string; req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        const origin = info.req.headers.origin;
        if (!originAllowed(origin, options.allowOrigins ?? []) || !hostAllowed(info.req.headers.host, this.host)) {
          this.stats.connectionsRefused++;
          done(false, 403, 'origin not allowed');
        } else done(true);
      },
    });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    // ws re-emits the HTTP server's 'error' (EADDRINUSE …) on the WebSocketServer, where an
    // unheard 'error' would crash the process; start() reports it from the HTTP server instead.
    this.wss.on('error', () => undefined);
  }

  /** Starts serving; resolves once listening. Errors (port in use …) reject with a user error. */
  static async start(source: { live: LiveSource } | { replay: ReplayData }, options: DashboardOptions = {}): Promise<DashboardServer> {
    const server = new DashboardServer(source, options);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', (e: NodeJS.ErrnoException) =>
        reject(new UserError(`dashboard: cannot listen on ${server.host}:${options.port ?? 8080} (${e.code ?? e.message})`)),
      );
      server.http.listen(options.port ?? 8080, server.host, () => resolve());
    });
    if ('live' in source) server.attach(source.live);
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The page's address (with the token in the fragment, which browsers never send to a server). */
  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    return `http://${h}:${this.port}/${this.options.token ? `#token=${encodeURIComponent(this.options.token)}` : ''}`;
  }

  get exposed(): boolean {
    return !isLoopbackHost(this.host);
  }

  private attach(live: LiveSource): void {
    this.subs.push(
      live.columns$.subscribe((c) => {
        this.sendFrame();
        this.columns = c.columns;
        this.units = c.units;
        this.history.reset(c.columns.length);
        this.broadcast(JSON.stringify({ type: 'columns', columns: this.columns, units: this.units }), true);
      }),
      live.samples$.subscribe((s) => {
        this.stats.samplesIn++;
        this.pending.push(s);
      }),
      live.metrics$.pipe(auditTime(200)).subscribe((m) => {
        this.metrics = m;
        this.broadcast(JSON.stringify({ type: 'metrics', values: m }), false);
      }),
      live.events$.subscribe((e) => {
        if (e.type === 'bad' || e.type === 'frame') return; // counted in the metrics; too many to forward one by one
        if (e.type === 'end') {
          this.sendFrame();
          this.ended = e;
        }
        this.broadcast(JSON.stringify({ type: 'event', event: e }), true);
      }),
    );
    this.timer = setInterval(() => this.sendFrame(), this.frame_ms);
    this.timer.unref();
  }

  private encodeData(samples: readonly LiveSample[], extra: Record<string, unknown> = {}): string {
    const n = this.columns.length;
    const t: number[] = new Array(samples.length);
    const v: (number | null)[][] = [];
    for (let c = 1; c < n; c++) v.push(new Array(samples.length));
    for (let i = 0; i < samples.length; i++) {
      const { row, missing } = samples[i];
      t[i] = row[0];
      for (let c = 1; c < n; c++) v[c - 1][i] = c < row.length && !(missing && missing[c]) ? row[c] : null;
    }
    return JSON.stringify({ type: 'data', t, v, ...extra });
  }

  private sendFrame(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // History holds what has been framed, so a page joining later gets each sample once.
    for (const s of batch) this.history.add(s);
    if (this.clients.size === 0) return;
    const frame = this.encodeData(batch);
    this.stats.framesBuilt++;
    for (const c of this.clients) {
      if (c.ws.bufferedAmount > this.maxBuffered) {
        c.droppedFrames++;
        this.stats.framesDropped++;
        continue;
      }
      c.ws.send(c.droppedFrames ? frame.slice(0, -1) + `,"dropped":${c.droppedFrames}}` : frame);
      c.sentFrames++;
      this.stats.framesSent++;
    }
  }

  /** Sends to every client; `always` messages (column sets, events) ignore backpressure. */
  private broadcast(msg: string, always: boolean): void {
    for (const c of this.clients) if (always || c.ws.bufferedAmount <= this.maxBuffered) c.ws.send(msg);
  }

  private onConnection(ws: WebSocket): void {
    const client: Client = { ws, droppedFrames: 0, sentFrames: 0, replayRow: 0 };
    this.clients.add(client);
    this.stats.clients = this.clients.size;
    const control = this.options.token !== undefined && this.options.controls ? this.options.controls : undefined;
    if ('replay' in this.source) {
      const r = this.source.replay;
      ws.send(JSON.stringify({ type: 'hello', mode: 'replay', title: r.file, columns: r.columns, units: r.units, preferred: r.preferred, control: null }));
      ws.send(JSON.stringify({ type: 'replay', rows: r.data[0].length, notes: r.notes, tornTail: r.tornTail }));
      ws.send(JSON.stringify({ type: 'metrics', values: r.metrics }));
      this.pumpReplay(client, r);
    } else {
      const live = this.source.live;
      ws.send(
        JSON.stringify({ type: 'hello', mode: live.mode, title: live.title, columns: this.columns, units: this.units, preferred: live.preferred, control: control ?? null }),
      );
      const h = this.history.snapshot();
      if (h.t.length) ws.send(JSON.stringify({ type: 'data', t: h.t, v: h.v, history: true, decimated: h.decimated }));
      ws.send(JSON.stringify({ type: 'metrics', values: this.metrics }));
      if (this.ended) ws.send(JSON.stringify({ type: 'event', event: { type: 'end', ...this.ended } }));
    }
    ws.on('message', (data, isBinary) => {
      // Nothing a page sends may end the run: any failure here only refuses that message.
      try {
        this.onMessage(ws, isBinary ? '' : data.toString());
      } catch (e) {
        this.refuse(ws, `bad request (${e instanceof Error ? e.message : 'error'})`);
      }
    });
    ws.on('close', () => {
      this.clients.delete(client);
      this.stats.clients = this.clients.size;
    });
    ws.on('error', () => ws.terminate());
  }

  /**
   * Streams a recorded run to one page in chunks, one chunk in flight at a time: the next is sent
   * when the previous one has left the process, so a page that stops reading holds at most one
   * chunk (and never more than maxBuffered_bytes) in this process, as a live client would.
   */
  private pumpReplay(client: Client, r: ReplayData): void {
    const rows = r.data[0].length;
    const chunk = Math.max(64, Math.floor(REPLAY_CHUNK_BYTES / (20 * r.columns.length)));
    const next = (err?: Error): void => {
      if (err || client.ws.readyState !== WebSocket.OPEN || client.replayRow >= rows) return;
      if (client.ws.bufferedAmount > this.maxBuffered) {
        setTimeout(next, this.frame_ms).unref();
        return;
      }
      const i = client.replayRow;
      const j = Math.min(rows, i + chunk);
      client.replayRow = j;
      this.stats.replayRowsSent += j - i;
      client.ws.send(JSON.stringify({ type: 'replay-data', t: r.data[0].slice(i, j), v: r.data.slice(1).map((c) => c.slice(i, j)), done: j === rows }), next);
    };
    next();
  }

  /** Bytes queued in this process for all pages (what a stalled page can cost). */
  get queuedBytes(): number {
    let n = 0;
    for (const c of this.clients) n += c.ws.bufferedAmount;
    return n;
  }

  private onMessage(ws: WebSocket, text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.refuse(ws, 'not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.refuse(ws, 'expected a JSON object');
    const msg = parsed as { type?: unknown; token?: unknown; action?: unknown; name?: unknown; value?: unknown };
    if (msg.type !== 'control') return this.refuse(ws, `unknown message type '${String(msg.type)}'`);
    const token = this.options.token;
    if (token === undefined) return this.refuse(ws, 'read-only dashboard: start it with --token to allow control');
    if (typeof msg.token !== 'string' || !tokenMatches(msg.token, token)) return this.refuse(ws, 'wrong token');
    if (!this.options.onControl) return this.refuse(ws, 'nothing to control here');
    let req: ControlRequest;
    if (msg.action === 'stop') req = { action: 'stop' };
    else if (msg.action === 'setpoint' && typeof msg.name === 'string' && typeof msg.value === 'number' && Number.isFinite(msg.value)) {
      req = { action: 'setpoint', name: msg.name, value: msg.value };
    } else return this.refuse(ws, 'expected {action:"stop"} or {action:"setpoint", name, value (finite number)}');
    const error = this.options.onControl(req);
    if (error) return this.refuse(ws, error);
    ws.send(JSON.stringify({ type: 'control-result', ok: true, action: req.action }));
  }

  private refuse(ws: WebSocket, reason: string): void {
    this.stats.controlRefused++;
    if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > this.maxBuffered) return; // a flood of bad messages gets no flood of answers
    ws.send(JSON.stringify({ type: 'control-result', ok: false, refused: true, reason }));
  }

  private serveHttp(req: IncomingMessage, res: ServerResponse): void {
    if (!hostAllowed(req.headers.host, this.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('host not allowed\n');
      return;
    }
    const path = (req.url ?? '/').split(/[?#]/)[0];
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const asset = this.assets.get(path);
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': asset.type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'",
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.sendFrame();
    for (const c of this.clients) c.ws.close(1001, 'server closing');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
