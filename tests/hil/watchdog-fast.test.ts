/**
 * The board watchdog in the emulator's virtual-time mode (`board emulate --fast --rig`): board time
 * stops while a slow host thinks, but a host silent for longer than the wall-clock grace lets the
 * board and its rig run on in real time, so the firmware's `WD` watchdog trips as on a real board.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { startEmulator, type HostSilenceEvent, type RunningEmulator } from '../../hil/emulator/index.ts';
import { encodeX, frameLine, type Frame } from '../../protocol/index.ts';
import { SerialLink } from '../../hil/transport/index.ts';
import { cli, freshDir, generatedFirmware, waitFor, type Cli } from './helpers.ts';

const IO_FIRMWARE = ['--role', 'io', '--baud', '1000000'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watchdog with the emulator in --fast --rig mode (virtual time)', () => {
  let emu: RunningEmulator | undefined;
  let link: SerialLink | undefined;
  afterEach(async () => {
    await link?.close();
    await emu?.stop();
    link = emu = undefined;
  });

  it('a host silent past the grace: the board runs in real time, D9 goes to its safe output, FAULT WATCHDOG; the next line brings virtual time back', async () => {
    const GRACE_MS = 500;
    const WD_MS = 500;
    const hex = await generatedFirmware('maglev', IO_FIRMWARE);
    const events: (HostSilenceEvent & { wall: number })[] = [];
    emu = await startEmulator({
      board: 'uno',
      firmware: hex,
      device: join(freshDir('hilbench-wdfast-'), 'tty'),
      realtime: false,
      rig: buildRun(loadScenario('maglev')),
      hostSilenceMs: GRACE_MS,
      onHostSilence: (e) => events.push({ ...e, wall: performance.now() }),
    });
    const board = emu.board;
    link = new SerialLink({ path: emu.device, baudRate: 1_000_000, requestTimeoutMs: 2000 });
    const frames: { f: Frame; wall: number }[] = [];
    link.frames$.subscribe((f) => frames.push({ f, wall: performance.now() }));
    await link.open();
    // Board-clock pacing (Ts = 2 ms), a few ticks with the magnet driven at duty 200.
    expect((await link.request(frameLine('HELLO 2 2000'), 'READY')).type).toBe('READY');
    for (let seq = 0; seq < 3; seq++) expect((await link.request(encodeX(seq, [200]), 'M', seq)).type).toBe('M');
    // No watchdog armed: however long the host is silent, board time stands still (as between two runs).
    const unarmed_s = board.time_s;
    await sleep(GRACE_MS + 300);
    expect(board.time_s).toBe(unarmed_s);
    expect(events).toEqual([]);
    // Watchdog armed, ten more ticks, then silence.
    await link.setWatchdog(WD_MS);
    for (let seq = 3; seq < 13; seq++) expect((await link.request(encodeX(seq, [200]), 'M', seq)).type).toBe('M');
    const silentFromWall = performance.now();
    const silentFrom_s = board.time_s;
    expect(board.pwmDuty(0)).toBe(200);

    // A slow host (below the grace): board time stands still, the pin keeps its duty.
    await sleep(GRACE_MS / 2);
    expect(board.time_s).toBe(silentFrom_s);
    expect(events).toEqual([]);

    // Past the grace the board runs on in real time and its watchdog trips WD_MS of board time later.
    await waitFor(() => frames.some((x) => x.f.type === 'FAULT'), 60_000, 'FAULT WATCHDOG');
    const fault = frames.find((x) => x.f.type === 'FAULT')!;
    expect(fault.f).toEqual({ type: 'FAULT', reason: 'WATCHDOG' });
    expect(board.pwmDuty(0)).toBe(0);
    const silent = events[0];
    expect(silent).toMatchObject({ kind: 'silent', board_s: silentFrom_s, silent_ms: GRACE_MS });
    // The grace is counted from when the board began to wait, a moment before the host had the last M.
    expect(silent.wall - silentFromWall).toBeGreaterThan(GRACE_MS - 50);
    const line = events.find((e) => e.kind === 'line');
    expect(line).toMatchObject({ kind: 'line', text: expect.stringMatching(/^FAULT WATCHDOG\*[0-9A-F]{4}$/) });
    // Board time from the board's last wait to the fault: the watchdog period, counted by the firmware
    // from the last X's arrival (up to one 2 ms period plus the M's ~0.6 ms earlier; millis() ticks in ~1 ms).
    const faultBoard_s = line!.board_s - silentFrom_s;
    expect(faultBoard_s).toBeGreaterThanOrEqual(WD_MS / 1000 - 0.004);
    expect(faultBoard_s).toBeLessThan(WD_MS / 1000 + 0.01);
    // Real time, never faster: the wall time from the grace's end to the fault is at least that board time.
    const faultWall_ms = fault.wall - silentFromWall;
    expect(fault.wall - silent.wall).toBeGreaterThanOrEqual(faultBoard_s * 1000 - 2);
    // And real time, not slower, apart from the board time the emulator gave up (and counted) when
    // the machine could not keep up: the grace, the board time run, the slip, and a margin.
    expect(faultWall_ms).toBeLessThan(GRACE_MS + faultBoard_s * 1000 + emu.slipped_s * 1000 + 2000);
    console.log(
      `host silent → FAULT WATCHDOG: ${faultWall_ms.toFixed(0)} ms wall (grace ${GRACE_MS} ms + WD ${WD_MS} ms), ` +
        `${(faultBoard_s * 1000).toFixed(1)} ms of board time; largest lag ${(emu.maxLag_s * 1000).toFixed(1)} ms, slipped ${(emu.slipped_s * 1000).toFixed(1)} ms`,
    );

    // Still silent: the board keeps running (a real board would), with its safe output.
    const t1 = board.time_s;
    await sleep(100);
    expect(board.time_s).toBeGreaterThan(t1);
    expect(board.pwmDuty(0)).toBe(0);

    // The host is back: its first line ends the real-time run; faulted until HELLO, then paced again.
    expect(await link.request(encodeX(13, [200]), 'M', 13)).toMatchObject({ type: 'ERR', code: 6 });
    expect(events.filter((e) => e.kind === 'back')).toHaveLength(1);
    expect(emu.hostSilences).toBe(1);
    expect((await link.request(frameLine('HELLO 2 2000'), 'READY')).type).toBe('READY');
    await link.setWatchdog(WD_MS);
    for (let seq = 0; seq < 5; seq++) expect((await link.request(encodeX(seq, [150]), 'M', seq)).type).toBe('M');
    expect(board.pwmDuty(0)).toBe(150);
    const paused_s = board.time_s;
    await sleep(GRACE_MS / 2);
    expect(board.time_s).toBe(paused_s);
    expect(emu.hostSilences).toBe(1);
    expect(emu.silentRun_s).toBeGreaterThan(WD_MS / 1000);
  }, 120_000);
});

describe('board emulate --host-silence-ms with a host killed mid-run', () => {
  const children: Cli[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null && c.child.pid) process.kill(c.child.pid, 'SIGTERM');
  });

  it('hil run --mode io --watchdog-ms 300, SIGKILLed: the emulator reports the silence and the board’s FAULT WATCHDOG', async () => {
    const hex = await generatedFirmware('maglev', IO_FIRMWARE);
    const dir = freshDir('hilbench-wdkill-');
    const device = join(dir, 'ttyEMU0');
    const emu = cli(['board', 'emulate', '--firmware', hex, '--device', device, '--rig', 'maglev', '--fast', '--host-silence-ms', '300']);
    children.push(emu);
    // How long the emulator and the host take to start says nothing about what is tested.
    await waitFor(() => emu.stdout.includes('Ctrl-C stops') || emu.child.exitCode !== null, 90_000, 'the emulator');
    const out = join(dir, 'io');
    const host = cli(['hil', 'run', 'maglev', '--mode', 'io', '--port', device, '--baud', '1000000', '--watchdog-ms', '300', '--timeout-ms', '60000', '--handshake-ms', '60000', '--set', 'Ts=0.002', '--duration', '60', '--out', out]);
    children.push(host);
    await waitFor(() => {
      try {
        return host.child.exitCode !== null || readFileSync(join(out, 'run.csv'), 'utf8').split('\n').length > 100;
      } catch {
        return false;
      }
    }, 90_000, 'samples in run.csv');
    expect(host.child.exitCode, host.stderr).toBeNull();
    // Nothing printed about silence while the host runs, however slow it is.
    expect(emu.stdout).not.toMatch(/host silent/);
    const killedAt = Date.now();
    process.kill(host.child.pid as number, 'SIGKILL');
    await waitFor(() => /board \(host silent, board time [\d.]+ s\): FAULT WATCHDOG/.test(emu.stdout), 60_000, 'FAULT WATCHDOG on the emulator’s stdout');
    const seen_ms = Date.now() - killedAt;
    const silentAt = Number(/board and rig run in real time from board time ([\d.]+) s/.exec(emu.stdout)?.[1]);
    const faultAt = Number(/board \(host silent, board time ([\d.]+) s\): FAULT WATCHDOG/.exec(emu.stdout)?.[1]);
    expect(emu.stdout).toMatch(/host silent for 300 ms while the board waits/);
    // 300 ms of board time after the last X (which came at most a period before the board's wait began).
    expect(faultAt - silentAt).toBeGreaterThanOrEqual(0.296);
    expect(faultAt - silentAt).toBeLessThan(0.31);
    // The board's wait began before the kill, but not a grace earlier (nothing was reported before it);
    // then it ran the watchdog period in real time, never faster.
    expect(seen_ms).toBeGreaterThanOrEqual(300);
    process.kill(emu.child.pid as number, 'SIGTERM');
    expect(await emu.done).toBe(0);
    expect(emu.stdout).toMatch(/the host fell silent 1 time\(s\): [\d.]+ ms of board time run in real time/);
    console.log(`hil run killed → FAULT WATCHDOG printed by the emulator after ${seen_ms} ms wall, ${((faultAt - silentAt) * 1000).toFixed(0)} ms of board time`);
  }, 240_000);
});
