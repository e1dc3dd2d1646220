import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cli, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

// `hil run --mode io --live`: the io loop (controller here, generated io firmware in the emulated
// board with the maglev rig as sensors and actuators) streams every recorded row to the dashboard,
// and stop from the page or Ctrl-C ends the run with its files written.
const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null && c.child.pid) process.kill(c.child.pid, 'SIGKILL');
});

interface Msg {
  type: string;
  mode?: string;
  columns?: string[];
  t?: number[];
  v?: (number | null)[][];
  values?: Record<string, unknown>;
  event?: { type: string; status?: string; action?: string };
  ok?: boolean;
  refused?: boolean;
}

function readCsv(file: string): { head: string[]; rows: number[][] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  expect(lines.pop()).toBe(''); // every line complete, the last one included
  return { head: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

// Board-clock pacing (--fast --rig): the plant waits for the host, so the host's wall-clock waits
// only decide when a run gives up; on a busy machine the defaults meant for real boards are too short.
const SET = ['--baud', '1000000', '--set', 'Ts=0.002', '--set', 'computationDelay=true', '--timeout-ms', '60000', '--handshake-ms', '60000'];
let device = '';
let dir = '';

/** Starts `hil run maglev --mode io --live 127.0.0.1:0` and connects a page's WebSocket to it. */
async function liveRun(out: string, extra: string[]): Promise<{ run: Cli; ws: WebSocket; messages: Msg[] }> {
  const run = cli(['hil', 'run', 'maglev', '--mode', 'io', '--port', device, '--out', join(dir, out), ...SET, '--live', '127.0.0.1:0', ...extra]);
  children.push(run);
  const address = /dashboard: http:\/\/127\.0\.0\.1:(\d+)\//;
  await waitFor(() => address.test(run.stdout) || run.child.exitCode !== null, 90_000, 'the dashboard address');
  const port = address.exec(run.stdout)?.[1];
  expect(port, run.stderr).toBeDefined();
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
  const messages: Msg[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  // The server goes away with the run: a reset connection is the end of the stream, not a failure.
  ws.on('error', () => undefined);
  await new Promise((r) => ws.once('open', r));
  return { run, ws, messages };
}

/** The streamed samples, one array per column of the hello/columns message (t_s first). */
function streamed(messages: Msg[]): { columns: string[]; rows: number[][] } {
  const columns = [...messages].reverse().find((m) => m.type === 'columns')?.columns ?? messages.find((m) => m.type === 'hello')?.columns ?? [];
  const rows: number[][] = [];
  for (const m of messages) {
    if (m.type !== 'data' || !m.t) continue;
    for (let i = 0; i < m.t.length; i++) rows.push([m.t[i], ...m.v!.map((col) => col[i] as number)]);
  }
  return { columns, rows };
}

function endOf(run: Cli): Promise<void> {
  return waitFor(() => run.stdout.includes('still serving') || run.child.exitCode !== null, 120_000, 'the end of the run');
}

describe('hil run --mode io --live', () => {
  let emu: Cli;
  let hex = '';
  /** A freshly started emulated board: runs against one are identical only from the same start (docs/hil.md). */
  async function startBoard(): Promise<void> {
    if (emu && emu.child.exitCode === null) {
      process.kill(emu.child.pid as number, 'SIGTERM');
      await emu.done;
    }
    emu = cli(['board', 'emulate', '--firmware', hex, '--device', device, '--rig', 'maglev', '--fast']);
    children.push(emu);
    await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 90_000, 'the emulator');
  }
  beforeAll(async () => {
    hex = await generatedFirmware('maglev', ['--role', 'io', '--baud', '1000000']);
    dir = freshDir('hilbench-io-live-');
    device = join(dir, 'ttyEMU0');
    await startBoard();
  }, 240_000);
  afterAll(async () => {
    if (emu.child.exitCode === null) process.kill(emu.child.pid as number, 'SIGTERM');
    await emu.done;
  });

  it('streams every recorded row to the page, and controls the ball as well as without --live', async () => {
    const plain = cli(['hil', 'run', 'maglev', '--mode', 'io', '--port', device, '--out', join(dir, 'plain'), ...SET, '--duration', '1']);
    expect(await plain.done, plain.stderr).toBe(0);
    await startBoard();
    const { run, ws, messages } = await liveRun('live', ['--duration', '1']);
    await endOf(run);
    // The final metrics (metrics.json's) follow the end of the run within the server's 200 ms audit.
    await waitFor(() => messages.some((m) => m.type === 'metrics' && m.values?.status !== undefined), 60_000, 'the final metrics');
    ws.close();
    run.child.kill('SIGINT');
    expect(await run.done, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/dashboard: run completed; still serving/);

    const csv = readCsv(join(dir, 'live', 'run.csv'));
    expect(csv.rows.length).toBe(500);
    const page = streamed(messages);
    expect(messages.find((m) => m.type === 'hello')?.mode).toBe('io');
    expect(page.columns).toEqual(csv.head);
    // Every row reaches the page, value for value (both sides print shortest round-trip numbers).
    expect(page.rows).toEqual(csv.rows);
    const end = messages.find((m) => m.type === 'event' && m.event?.type === 'end');
    expect(end?.event?.status).toBe('completed');
    const metrics = JSON.parse(readFileSync(join(dir, 'live', 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ mode: 'io', status: 'completed', samples: 500, io_pacing: 'board' });
    const lastMetrics = [...messages].reverse().find((m) => m.type === 'metrics')?.values;
    expect(lastMetrics).toMatchObject({ samples: 500, iae: metrics.iae });

    // The page does not disturb the loop: with --fast --rig the board runs in virtual time, so from
    // the same freshly started board the rows equal those of the run without --live, except the
    // wall-clock columns.
    const plainCsv = readCsv(join(dir, 'plain', 'run.csv'));
    const plainMetrics = JSON.parse(readFileSync(join(dir, 'plain', 'metrics.json'), 'utf8'));
    expect(plainMetrics).toMatchObject({ mode: 'io', status: 'completed', samples: 500, io_pacing: 'board' });
    expect(plainCsv.head).toEqual(csv.head);
    const wall = new Set(['rtt_s', 'jitter_s'].map((c) => csv.head.indexOf(c)));
    expect(wall.has(-1)).toBe(false);
    const board = (rows: number[][]) => rows.map((r) => r.filter((_, i) => !wall.has(i)));
    expect(board(csv.rows)).toEqual(board(plainCsv.rows));
    const x = csv.head.indexOf('x_meas_m');
    for (const r of csv.rows.slice(250)) expect(Math.abs(r[x] - 0.008)).toBeLessThan(0.0005);
    console.log(`io --live: iae ${metrics.iae} (without --live ${plainMetrics.iae}), rtt p99 ${metrics.rtt_p99_us} µs (${plainMetrics.rtt_p99_us}), host turnaround p99 ${metrics.host_turnaround_p99_us} µs (${plainMetrics.host_turnaround_p99_us}), overruns ${metrics.io_overruns} (${plainMetrics.io_overruns})`);
  }, 300_000);

  it('stop from the page (with --token) ends the run with its files intact; a wrong token is refused', async () => {
    const { run, ws, messages } = await liveRun('stopped', ['--duration', '60', '--token', 'sesame']);
    await waitFor(() => streamed(messages).rows.length >= 200, 120_000, '200 samples on the page');
    ws.send(JSON.stringify({ type: 'control', token: 'wrong', action: 'stop' }));
    await waitFor(() => messages.some((m) => m.type === 'control-result'), 60_000, 'the refusal');
    expect(messages.find((m) => m.type === 'control-result')).toMatchObject({ ok: false, refused: true });
    // A setpoint from the page reaches the controller from the next tick on and run.csv records it.
    ws.send(JSON.stringify({ type: 'control', token: 'sesame', action: 'setpoint', name: 'x_ref_m', value: 0.0085 }));
    await waitFor(() => messages.some((m) => m.type === 'control-result' && m.ok), 60_000, 'the setpoint');
    const atSetpoint = streamed(messages).rows.length;
    await waitFor(() => streamed(messages).rows.length >= atSetpoint + 200, 120_000, '200 more samples');
    ws.send(JSON.stringify({ type: 'control', token: 'sesame', action: 'stop' }));
    await endOf(run);
    ws.close();
    run.child.kill('SIGINT');
    expect(await run.done).toBe(1);
    expect(run.stderr).toMatch(/hilbench: stopped from the dashboard; run stopped at t = [\d.]+ s, \d+ samples kept/);

    const csv = readCsv(join(dir, 'stopped', 'run.csv'));
    const metrics = JSON.parse(readFileSync(join(dir, 'stopped', 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.samples).toBe(csv.rows.length);
    expect(csv.rows.length).toBeGreaterThanOrEqual(200);
    expect(csv.rows.length).toBeLessThan(30_000);
    expect(streamed(messages).rows).toEqual(csv.rows);
    expect(existsSync(join(dir, 'stopped', 'report.html'))).toBe(true);
    const refCol = csv.head.indexOf('x_ref_m');
    const x = csv.head.indexOf('x_meas_m');
    expect(csv.rows[0][refCol]).toBe(0.008);
    expect(csv.rows.at(-1)![refCol]).toBe(0.0085);
    const firstNew = csv.rows.findIndex((r) => r[refCol] === 0.0085);
    expect(firstNew).toBeGreaterThanOrEqual(200);
    expect(csv.rows.slice(firstNew).every((r) => r[refCol] === 0.0085)).toBe(true);
    // The ball follows: measured position moves toward 8.5 mm within the last 100 samples (0.2 s).
    const tail = csv.rows.slice(-100).map((r) => r[x]);
    expect(tail.reduce((a, b) => a + b, 0) / tail.length).toBeGreaterThan(0.0082);
    expect(messages.find((m) => m.type === 'event' && m.event?.type === 'end')?.event?.status).toBe('failed');
  }, 300_000);

  it('Ctrl-C during the run stops it with its files intact, a second one closes the page', async () => {
    const { run, ws, messages } = await liveRun('interrupted', ['--duration', '60']);
    await waitFor(() => streamed(messages).rows.length >= 200, 120_000, '200 samples on the page');
    run.child.kill('SIGINT');
    await endOf(run);
    expect(run.stdout).toMatch(/dashboard: run failed; still serving/);
    ws.close();
    run.child.kill('SIGINT');
    expect(await run.done, `${run.child.signalCode} ${run.stdout} ${run.stderr}`).toBe(1);
    expect(run.stderr).toMatch(/hilbench: stopped by Ctrl-C; run stopped at t = /);
    const csv = readCsv(join(dir, 'interrupted', 'run.csv'));
    expect(JSON.parse(readFileSync(join(dir, 'interrupted', 'metrics.json'), 'utf8')).samples).toBe(csv.rows.length);
    expect(streamed(messages).rows).toEqual(csv.rows);
  }, 300_000);

  it('refuses --live with --firmata in one line', async () => {
    const r = cli(['hil', 'run', 'maglev', '--mode', 'io', '--firmata', '--port', join(dir, 'nothing'), '--live']);
    expect(await r.done).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--live does not work with --firmata/);
  });
});
