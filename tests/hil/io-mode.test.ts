import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../helpers/batch-metrics.ts';
import { fetchStandardFirmata } from '../../hil/johnny-five/standard-firmata.ts';
import { cli, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null && c.child.pid) process.kill(c.child.pid, 'SIGTERM');
});

function readCsv(file: string): { t: Float64Array; column(name: string): Float64Array | undefined; col(name: string): Float64Array } {
  const rows = readFileSync(file, 'utf8').trim().split('\n');
  const head = rows[0].split(',');
  const cols: Record<string, Float64Array> = {};
  head.forEach((h, j) => (cols[h] = Float64Array.from(rows.slice(1), (r) => Number(r.split(',')[j]))));
  return { t: cols.t_s, column: (n) => cols[n], col: (n) => cols[n] };
}

async function emulate(hex: string, rig: string, dir: string, extra: string[] = []): Promise<{ device: string; emu: Cli }> {
  const device = join(dir, 'ttyEMU0');
  const emu = cli(['board', 'emulate', '--firmware', hex, '--device', device, '--rig', rig, ...extra]);
  children.push(emu);
  // How long the emulator takes to start says nothing about what is tested: the tests' own time bounds the wait.
  await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 90_000, 'the emulator');
  return { device, emu };
}

// The plant's true state is not visible from the host in io mode, so both runs are judged on the
// measured position; the simulation uses the same Ts and the one-period delay io mode has.
const spec = { output: 'x_meas_m', reference: 'x_ref_m', band: 0.02, bandAbs: 0.0001 };

describe('io mode: controller on the host, emulated board + maglev rig as I/O', () => {
  it('protocol v1 X/M at 1 Mbaud, Ts = 2 ms: holds the ball, metrics within 10 % of the simulation', async () => {
    const hex = await generatedFirmware('maglev', ['--role', 'io', '--baud', '1000000']);
    const dir = freshDir('hilbench-io-');
    const set = ['--set', 'Ts=0.002', '--set', 'computationDelay=true'];
    const sim = cli(['run', 'maglev', '--out', join(dir, 'sim'), ...set]);
    expect(await sim.done, sim.stderr).toBe(0);
    // Board-clock pacing: the emulated board samples every Ts of board time and, in --fast mode, stops
    // (with its rig) while it waits for the host, so host or machine stalls cannot reach the plant.
    const { device, emu } = await emulate(hex, 'maglev', dir, ['--fast']);
    // The emulated board needs some wall time for each 2 ms of its own, and on a busy machine that
    // can exceed the defaults meant for real boards (250 ms a request, 3 s for READY): the run is
    // paced on board time, so the waits for READY and each M frame are bounded by the test's time only.
    const io = cli(['hil', 'run', 'maglev', '--mode', 'io', '--port', device, '--baud', '1000000', '--timeout-ms', '60000', '--handshake-ms', '60000', '--out', join(dir, 'io'), ...set]);
    expect(await io.done, io.stderr).toBe(0);
    process.kill(emu.child.pid as number, 'SIGTERM');
    expect(await emu.done).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'io', 'metrics.json'), 'utf8'));
    const simRun = readCsv(join(dir, 'sim', 'run.csv'));
    const ioRun = readCsv(join(dir, 'io', 'run.csv'));
    const a = computeMetrics(simRun, spec);
    const b = computeMetrics(ioRun, spec);
    expect(m.io_pacing).toBe('board');
    console.log(
      `io (protocol, board pacing): wall ${m.wall_s} s, rtt p50 ${m.rtt_p50_us} µs p99 ${m.rtt_p99_us} µs, host turnaround p99 ${m.host_turnaround_p99_us} µs; ` +
        `settling sim ${a.settling_time_s} io ${b.settling_time_s} s; overshoot sim ${a.overshoot_pct} io ${b.overshoot_pct} %; IAE sim ${a.iae} io ${b.iae}; rms sim ${a.rms_error} io ${b.rms_error}`,
    );
    // Held: the ball ends near the setpoint, never at the magnet or the floor.
    const x = ioRun.col('x_meas_m');
    for (let k = Math.floor(x.length / 2); k < x.length; k++) expect(Math.abs(x[k] - 0.008)).toBeLessThan(0.0005);
    expect(Math.abs(b.iae - a.iae) / a.iae).toBeLessThan(0.1);
    expect(Math.abs(b.rms_error - a.rms_error) / a.rms_error).toBeLessThan(0.1);
    expect(Math.abs(b.settling_time_s - a.settling_time_s) / a.settling_time_s).toBeLessThan(0.1);
    expect(Math.abs(b.overshoot_pct - a.overshoot_pct) / a.overshoot_pct).toBeLessThan(0.1);
  }, 300_000);

  it('johnny-five + firmata-io against StandardFirmata (from avrgirl-arduino 5.0.1): the loop runs at the Firmata sampling rate', async () => {
    const hex = fetchStandardFirmata(join(tmpdir(), 'hilbench-test-cache', 'firmata'));
    const dir = freshDir('hilbench-j5-');
    const { device, emu } = await emulate(hex, 'maglev', dir);
    const io = cli(['hil', 'run', 'maglev', '--mode', 'io', '--firmata', '--port', device, '--set', 'Ts=0.01', '--duration', '3', '--out', join(dir, 'io')]);
    expect(await io.done, io.stderr).toBe(0);
    process.kill(emu.child.pid as number, 'SIGTERM');
    expect(await emu.done).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'io', 'metrics.json'), 'utf8'));
    const run = readCsv(join(dir, 'io', 'run.csv'));
    console.log(`johnny-five/Firmata: ${m.samples} ticks at Ts 10 ms, ${m.firmata_readings} analog reports, sampling ${m.firmata_sampling_ms} ms, jitter p99 ${m.tick_jitter_p99_us} µs, overruns ${m.io_overruns}`);
    expect(m.link_firmware).toMatch(/StandardFirmata/);
    expect(m.samples).toBe(300);
    // Firmata samples on the board's clock, which a busy machine slows down: the rate is judged on
    // board time, from the analog reports the emulated board sent while the host was talking to it.
    const sent = /(\d+) Firmata analog reports sent from board time ([\d.]+) s to ([\d.]+) s/.exec(emu.stdout);
    expect(sent, emu.stdout).not.toBeNull();
    const [reports, first_s, last_s] = [Number(sent![1]), Number(sent![2]), Number(sent![3])];
    // maglev has one sensor (A0): one analog report per sample.
    const interval_ms = ((last_s - first_s) / (reports - 1)) * 1000;
    console.log(`johnny-five/Firmata: the board sent ${reports} analog reports, one every ${interval_ms.toFixed(2)} ms of board time`);
    // The sampling interval the host asked for (10 ms; StandardFirmata's own default is 19 ms).
    expect(interval_ms).toBeGreaterThan(9.5);
    expect(interval_ms).toBeLessThan(10.5);
    // The host took in the reports the board sent: all but the few still on their way when it closed the port.
    expect(m.firmata_readings).toBeGreaterThan(reports * 0.9);
    expect(m.firmata_readings).toBeLessThanOrEqual(reports);
    // The rig answers the PWM the host writes: the measured position moves off its initial value.
    const counts = run.col('x_meas_m_counts');
    expect(new Set(counts).size).toBeGreaterThan(2);
    expect(Math.max(...run.col('i_cmd_A_counts'))).toBeGreaterThan(0);
  }, 300_000);
});
