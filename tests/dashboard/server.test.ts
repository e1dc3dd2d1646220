import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DashboardServer, type ControlRequest } from '../../hil/dashboard/server.ts';
import { LiveSource } from '../../hil/live/live-source.ts';

const servers: DashboardServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function start(options: Parameters<typeof DashboardServer.start>[1] = {}) {
  const source = new LiveSource('run', 'test');
  const server = await DashboardServer.start({ live: source }, { port: 0, ...options });
  servers.push(server);
  return { source, server };
}

/** Opens a WebSocket; resolves with the socket and the messages it receives, or with the HTTP status of a refusal. */
function connect(port: number, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number; messages: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const messages: Record<string, unknown>[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, origin: headers.Origin });
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, messages }));
    ws.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, timeout_ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout_ms) throw new Error('timed out');
    await sleep(20);
  }
}

function httpStatus(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('dashboard server: who may connect', () => {
  it('binds to 127.0.0.1 by default', async () => {
    const { server } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.exposed).toBe(false);
  });

  it('refuses a WebSocket from a non-loopback origin, accepts loopback pages and listed origins', async () => {
    const { server } = await start({ allowOrigins: ['http://lab-pc:8080'] });
    expect((await connect(server.port, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await connect(server.port, { Origin: 'http://192.168.1.20:8080' })).status).toBe(403);
    expect((await connect(server.port, { Origin: 'null' })).status).toBe(403);
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`, 'http://lab-pc:8080']) {
      const c = await connect(server.port, { Origin: origin });
      expect(c.ws, origin).toBeDefined();
      c.ws!.close();
    }
    expect(server.stats.connectionsRefused).toBe(3);
  });

  it('refuses pages and sockets requested under a foreign Host name (DNS rebinding)', async () => {
    const { server } = await start();
    expect(await httpStatus(server.port, `evil.example:${server.port}`)).toBe(403);
    expect(await httpStatus(server.port, `127.0.0.1:${server.port}`)).toBe(200);
    expect((await connect(server.port, { Host: 'evil.example' })).status).toBe(403);
  });
});

describe('dashboard server: control', () => {
  const stop = { type: 'control', action: 'stop' };

  it('refuses control messages when started without a token, and applies none', async () => {
    const applied: ControlRequest[] = [];
    const { server } = await start({ controls: { setpoints: [{ name: 'x_ref_m', value: 0.008 }], stop: true }, onControl: (r) => void applied.push(r) });
    const c = await connect(server.port);
    c.ws!.send(JSON.stringify(stop));
    c.ws!.send(JSON.stringify({ ...stop, token: 'guess' }));
    c.ws!.send(JSON.stringify({ type: 'control', action: 'setpoint', name: 'x_ref_m', value: 0.009 }));
    await until(() => c.messages.filter((m) => m.type === 'control-result').length === 3);
    for (const m of c.messages.filter((m) => m.type === 'control-result')) {
      expect(m).toMatchObject({ ok: false, refused: true, reason: expect.stringMatching(/read-only/) });
    }
    expect(c.messages[0]).toMatchObject({ type: 'hello', control: null });
    expect(applied).toEqual([]);
    c.ws!.close();
  });

  it('with a token: refuses a wrong or missing token, applies the right one', async () => {
    const applied: ControlRequest[] = [];
    const { server } = await start({ token: 's3cret', controls: { setpoints: [], stop: true }, onControl: (r) => void applied.push(r) });
    expect(server.url).toMatch(/#token=s3cret$/);
    const c = await connect(server.port);
    c.ws!.send(JSON.stringify(stop));
    c.ws!.send(JSON.stringify({ ...stop, token: 's3creT' }));
    c.ws!.send(JSON.stringify({ ...stop, token: 's3cret' }));
    c.ws!.send(JSON.stringify({ type: 'control', action: 'setpoint', name: 'r', value: 'NaN', token: 's3cret' }));
    await until(() => c.messages.filter((m) => m.type === 'control-result').length === 4);
    const results = c.messages.filter((m) => m.type === 'control-result');
    expect(results.map((m) => m.ok)).toEqual([false, false, true, false]);
    expect(results[1].reason).toBe('wrong token');
    expect(applied).toEqual([{ action: 'stop' }]);
    c.ws!.close();
  });
});

describe('dashboard server: streaming', () => {
  it('sends every sample once to a page that keeps up, history included for a late page', async () => {
    const { source, server } = await start({ frame_ms: 20 });
    source.setColumns(['t_s', 'a', 'b'], { a: 'V' });
    for (let i = 0; i < 500; i++) source.push({ row: Float64Array.of(i, i * 2, -i) });
    await sleep(100); // framed before anyone connects: goes to history
    const c = await connect(server.port);
    for (let i = 500; i < 1000; i++) source.push({ row: Float64Array.of(i, i * 2, -i), ...(i === 700 ? { missing: Uint8Array.of(0, 0, 1) } : {}) });
    const received = () => c.messages.filter((m) => m.type === 'data').flatMap((m) => m.t as number[]);
    await until(() => received().length >= 1000);
    await sleep(100);
    expect(received()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const frames = c.messages.filter((m) => m.type === 'data') as { t: number[]; v: (number | null)[][] }[];
    const b = frames.flatMap((f) => f.v[1]);
    expect(b[700]).toBeNull();
    expect(b[699]).toBe(-699);
    c.ws!.close();
  });

  it('drops display frames for a stalled page while every sample still reaches the recorder', async () => {
    const { source, server } = await start({ frame_ms: 10, maxBuffered_bytes: 64 * 1024 });
    let recorded = 0;
    source.samples$.subscribe(() => recorded++); // stands for the recorder
    source.setColumns(['t_s', ...Array.from({ length: 8 }, (_, i) => `s${i}`)]);
    const stalled = await connect(server.port);
    // The page stops reading: its TCP window fills and the server's send buffer grows.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const fast = await connect(server.port);
    // Loopback socket buffers take several MB before a stalled reader pushes back: send ~30 MB.
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      source.push({ row: Float64Array.from({ length: 9 }, (_, k) => i + k / 10) });
      if (i % 2000 === 1999) await sleep(12);
    }
    await until(() => fast.messages.filter((m) => m.type === 'data').reduce((n, m) => n + (m.t as number[]).length, 0) >= N, 30_000);
    expect(recorded).toBe(N);
    expect(server.stats.samplesIn).toBe(N);
    expect(server.stats.framesDropped).toBeGreaterThan(0);
    const fastSamples = fast.messages.filter((m) => m.type === 'data').reduce((n, m) => n + (m.t as number[]).length, 0);
    expect(fastSamples).toBe(N);
    fast.ws!.close();
    stalled.ws!.terminate();
  }, 60_000);
});
