/**
 * Dashboard bench: a LiveSource fed at 1 kHz × 8 signals for 60 s (HILBENCH_DASHBOARD_S to
 * change), streamed to a page-like WebSocket client in another process and to a stalled client
 * that never reads. Reported as ratios against references measured in the same run:
 *   delivered / pushed samples (keeps up = 1.000), server CPU with the dashboard / CPU of the same
 *   feed with only a counting subscriber, heap and RSS at the end / at half time (flat memory ≈ 1;
 *   the server's history ring for late pages fills in its first 20 s, so half time is past it).
 */
import { fork } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { DashboardServer } from '../hil/dashboard/server.ts';
import { LiveSource } from '../hil/live/live-source.ts';

const RATE_HZ = 1000;
const SIGNALS = 8;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Pushes samples at RATE_HZ (in 5 ms batches, by the wall clock) for `seconds`; calls `every` each second. */
async function feed(source: LiveSource, seconds: number, every: (s: number) => void): Promise<number> {
  source.setColumns(['t_s', ...Array.from({ length: SIGNALS }, (_, i) => `s${i}_V`)]);
  const t0 = performance.now();
  let pushed = 0;
  let lastSecond = 0;
  while (pushed < seconds * RATE_HZ) {
    const due = Math.min(seconds * RATE_HZ, Math.floor(((performance.now() - t0) / 1000) * RATE_HZ));
    for (; pushed < due; pushed++) {
      const row = new Float64Array(SIGNALS + 1);
      row[0] = pushed / RATE_HZ;
      for (let k = 1; k <= SIGNALS; k++) row[k] = Math.sin(pushed * 0.01 * k);
      source.push({ row });
    }
    const s = Math.floor((performance.now() - t0) / 1000);
    if (s > lastSecond) {
      lastSecond = s;
      every(s);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return pushed;
}

function cpu_s(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function memory(): { heap_MB: number; rss_MB: number } {
  gc();
  const m = process.memoryUsage();
  return { heap_MB: m.heapUsed / 2 ** 20, rss_MB: m.rss / 2 ** 20 };
}

/** The page stand-in: a separate process that counts the samples it receives. */
function runClient(url: string): void {
  const ws = new WebSocket(url);
  let samples = 0;
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { type: string; t?: number[] };
    if (m.type === 'data') samples += m.t!.length;
  });
  ws.on('open', () => process.send!({ open: true }));
  process.on('message', () => process.send!({ samples }));
}

export async function benchDashboard(): Promise<void> {
  const seconds = Number(process.env.HILBENCH_DASHBOARD_S ?? 60);
  const refSeconds = Math.min(10, seconds);

  // Reference: the same feed, one counting subscriber (what the recorder costs at least).
  const ref = new LiveSource('run', 'reference');
  let refCount = 0;
  ref.samples$.subscribe(() => refCount++);
  const refCpu0 = cpu_s();
  await feed(ref, refSeconds, () => {});
  const refCpuPerS = (cpu_s() - refCpu0) / refSeconds;

  const source = new LiveSource('run', 'bench');
  let recorded = 0;
  source.samples$.subscribe(() => recorded++);
  const server = await DashboardServer.start({ live: source }, { port: 0 });
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const client = fork(new URL(import.meta.url).pathname, ['--dashboard-bench-client', url], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((r) => client.once('message', () => r()));
  const stalled = new WebSocket(url);
  await new Promise((r) => stalled.once('open', r));
  (stalled as unknown as { _socket: { pause(): void } })._socket.pause();

  let atHalf: ReturnType<typeof memory> | undefined;
  const half = Math.max(1, Math.floor(seconds / 2));
  const marks: string[] = [];
  const cpu0 = cpu_s();
  const pushed = await feed(source, seconds, (s) => {
    if (s === half) atHalf = memory();
    if (s % 10 === 0) {
      const m = memory();
      marks.push(`${s}s ${m.heap_MB.toFixed(1)}/${m.rss_MB.toFixed(0)}`);
    }
  });
  const cpuPerS = (cpu_s() - cpu0) / seconds;
  await new Promise((r) => setTimeout(r, 500));
  client.send('count');
  const delivered = await new Promise<number>((r) => client.once('message', (m: { samples: number }) => r(m.samples)));
  const end = memory();
  client.kill();
  stalled.terminate();
  await server.close();

  const ratio = (a: number, b: number) => (a / b).toFixed(3);
  console.log(`dashboard: ${RATE_HZ} Hz × ${SIGNALS} signals for ${seconds} s, one reading page (separate process) and one stalled page`);
  console.log(`  samples recorded / pushed            ${ratio(recorded, pushed)}  (${recorded} of ${pushed})`);
  console.log(`  samples at the page / pushed         ${ratio(delivered, pushed)}  (${delivered})`);
  console.log(`  display frames dropped (stalled page) ${server.stats.framesDropped} of ${server.stats.framesBuilt}`);
  console.log(`  server CPU / reference CPU           ${ratio(cpuPerS, refCpuPerS)}  (${(cpuPerS * 100).toFixed(1)} % vs ${(refCpuPerS * 100).toFixed(1)} % of a core; reference counted ${refCount})`);
  if (atHalf) {
    console.log(`  heap at end / heap at ${half} s           ${ratio(end.heap_MB, atHalf.heap_MB)}  (${atHalf.heap_MB.toFixed(1)} → ${end.heap_MB.toFixed(1)} MB)`);
    console.log(`  RSS at end / RSS at ${half} s             ${ratio(end.rss_MB, atHalf.rss_MB)}  (${atHalf.rss_MB.toFixed(0)} → ${end.rss_MB.toFixed(0)} MB)`);
  }
  console.log(`  heap/RSS MB by time: ${marks.join(', ')}`);
}

if (process.argv[2] === '--dashboard-bench-client') runClient(process.argv[3]);
