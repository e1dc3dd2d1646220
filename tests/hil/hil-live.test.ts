import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cli, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

// `hil run --live`: the lockstep run through the emulated board streams to the dashboard server,
// and the recorded run is the one `hil run` writes without it.
const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.pid) process.kill(c.child.pid, 'SIGKILL');
});

describe('hil run --live', () => {
  it('streams every sample of a lockstep run to the dashboard, and run.csv equals the plain simulation', async () => {
    const dir = freshDir('hilbench-hil-live-');
    const hex = await generatedFirmware('maglev-fixed', []);
    const sim = cli(['run', 'maglev-fixed', '--duration', '0.5', '--out', join(dir, 'sim')]);
    const device = join(dir, 'ttyEMU0');
    const emu = cli(['board', 'emulate', '--board', 'uno', '--firmware', hex, '--device', device, '--fast']);
    children.push(emu);
    await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 20_000, 'the emulator');
    const hil = cli(['hil', 'run', 'maglev-fixed', '--port', device, '--duration', '0.5', '--out', join(dir, 'hil'), '--live', '127.0.0.1:0']);
    children.push(hil);
    await waitFor(() => /dashboard: http:\/\/127\.0\.0\.1:\d+\//.test(hil.stdout) || hil.child.exitCode !== null, 30_000, 'the dashboard address');
    const port = /dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(hil.stdout)?.[1];
    expect(port, hil.stderr).toBeDefined();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
    const messages: { type: string; t?: number[]; mode?: string }[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    // The run ends, the server stays up until Ctrl-C.
    await waitFor(() => hil.stdout.includes('still serving') || hil.child.exitCode !== null, 60_000, 'the end of the run');
    const hello = messages.find((m) => m.type === 'hello');
    expect(hello).toBeDefined();
    const streamed = messages.filter((m) => m.type === 'data').reduce((n, m) => n + (m.t?.length ?? 0), 0);
    ws.close();
    hil.child.kill('SIGINT');
    expect(await hil.done).toBe(0);
    process.kill(emu.child.pid as number, 'SIGTERM');
    await emu.done;
    expect(await sim.done).toBe(0);
    const rows = readFileSync(join(dir, 'hil', 'run.csv'), 'utf8').trim().split('\n');
    expect(rows.length - 1).toBe(500);
    // The page connected after the run began: it gets the server's buffer of recent samples plus
    // everything after (all 500 here; a slow page may lose display frames, never recorded samples).
    expect(streamed).toBeGreaterThanOrEqual(450);
    expect(readFileSync(join(dir, 'hil', 'run.csv'), 'utf8')).toBe(readFileSync(join(dir, 'sim', 'run.csv'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'hil', 'metrics.json'), 'utf8')).mode).toBe('hil');
  }, 120_000);
});
