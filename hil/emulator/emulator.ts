import { UserError } from '../../errors/user-error.ts';
import { readFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { getBoard } from '../../boards/profiles.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { frameTypeOf } from '../../protocol/frames.ts';
import { AvrBoard } from './avr-board.ts';
import { loadIntelHex } from './intel-hex.ts';
import { startPtyPair, type PtyPair } from './pty-pair.ts';
import { PlantRig } from './rig.ts';
import { UsartBridge } from './usart-bridge.ts';

export interface EmulatorOptions {
  /** Board profile id; only ATmega328P boards (uno, nano) can be emulated. */
  readonly board: string;
  /** Intel HEX file to run. */
  readonly firmware: string;
  /** Path the host opens, created as a symlink to socat's host end (e.g. /tmp/ttyEMU0). */
  readonly device: string;
  /** true: board time follows the wall clock (faithful millis()); false (default): as fast as possible. */
  readonly realtime?: boolean;
  /** A built scenario whose plant is wired to the pins (sensor i → A`i`, actuator k → PWM pin k). */
  readonly rig?: BuiltRun;
  /**
   * Fast mode with a rig, after a protocol `HELLO` and while the board's watchdog is armed (`WD n`
   * acknowledged, n > 0): wall-clock ms the host may stay silent while the board waits for its next
   * line before the board (and rig) run on in real time, so the firmware's watchdog sees the silence;
   * the host's next line brings virtual time back. Default 1000; 0: never.
   */
  readonly hostSilenceMs?: number;
  /** Called when a silent host makes the board run in real time, for each line the board sends meanwhile, and when the host is back. */
  readonly onHostSilence?: (e: HostSilenceEvent) => void;
  /** Called once if the emulator stops by itself (socat or the serial device went away). */
  readonly onExit?: (reason: string) => void;
  /** What the board receives instead of each chunk of the host's bytes: a test's line noise. */
  readonly lineNoise?: (hostBytes: Uint8Array) => Uint8Array;
}

/** What happened while the host was silent (board_s: board time of the event). */
export type HostSilenceEvent =
  | { readonly kind: 'silent'; readonly board_s: number; readonly silent_ms: number }
  | { readonly kind: 'line'; readonly board_s: number; readonly text: string }
  | { readonly kind: 'back' | 'capped'; readonly board_s: number; readonly realtime_s: number };

export interface RunningEmulator {
  readonly device: string;
  readonly socatPid: number;
  readonly board: AvrBoard;
  readonly bridge: UsartBridge;
  readonly rig?: PlantRig;
  /** Largest lag of board time behind the wall clock in real-time mode, seconds. */
  readonly maxLag_s: number;
  /** Board time given up because the emulator could not keep real time, seconds. */
  readonly slipped_s: number;
  /** Fast mode: times a silent host made the board run in real time (see `hostSilenceMs`). */
  readonly hostSilences: number;
  /** Fast mode: board time run in real time for a silent host, seconds. */
  readonly silentRun_s: number;
  /**
   * Board time of the first and the last bytes received from the host, seconds (undefined before
   * any): what the board did meanwhile can be judged on its own clock, however slow the emulation.
   */
  readonly hostBytes_s: { readonly first: number; readonly last: number } | undefined;
  /**
   * Firmata analog reports (command bytes 0xE0–0xEF) the board sent up to the host's last byte, and
   * the board time of the first: how often StandardFirmata sampled, on the board's own clock.
   * The protocol of docs/protocol.md is ASCII, so its boards send none.
   */
  readonly firmataReports: { readonly count: number; readonly first_s: number; readonly last_s: number } | undefined;
  /** Resolves when the emulator has stopped. */
  readonly stopped: Promise<string>;
  /** Stops the loop, closes the port, stops socat by PID, removes the link. Idempotent. */
  stop(reason?: string): Promise<void>;
}

/** Board time run per slice when there is no rig: 0.1 ms. */
const SLICE_S = 0.0001;
/** Real-time mode: the most board time may lag the wall clock before it slips. */
const MAX_LAG_S = 0.002;
/** Fast mode with a rig: board time the firmware gets to boot before the emulator waits for the host. */
const BOOT_S = 0.05;
/** Fast mode with a rig: board time a host line may wait for the answer to the previous one. */
const LINE_GATE_S = 2;
/** Fast mode: resume a board paused for the host after this long anyway (it may have timers to serve). */
const IDLE_RESUME_MS = 20;
/** Fast mode with a rig: default wall-clock grace before a silent host's board runs in real time. */
export const DEFAULT_HOST_SILENCE_MS = 1000;
/**
 * A silent host's board runs in real time for at most this much board time, then pauses again: the
 * protocol's longest watchdog (`WD 60000`) has expired by then, and an emulator left waiting between
 * runs should not keep a core busy for ever.
 */
const MAX_SILENT_RUN_S = 61;
/** Board lines reported per silence (a firmware that keeps talking would flood the terminal). */
const MAX_SILENT_LINES = 20;

/**
 * The emulated board behind a real serial device: avr8js runs the hex, socat provides a
 * pseudo-terminal pair, the board's end is opened with `serialport` and bridged to the USART,
 * the host's end is linked at `device`.
 */
export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const profile = getBoard(opts.board);
  let hexText: string;
  try {
    hexText = readFileSync(opts.firmware, 'utf8');
  } catch (e) {
    throw new UserError(`--firmware ${opts.firmware}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const board = new AvrBoard(loadIntelHex(hexText, profile.memory.flash_B, opts.firmware), profile);
  const rig = opts.rig ? new PlantRig(opts.rig, board) : undefined;
  const bridge = new UsartBridge(board.usart);
  if (rig) bridge.onHostLine = (type) => rig.onHostFrame(type);
  if (rig && !opts.realtime) {
    // Boot before the host can reach the board (see hostSeen below).
    while (board.time_s < BOOT_S) {
      board.run(rig.cyclesToStep());
      rig.step();
    }
  }
  const pty: PtyPair = await startPtyPair(opts.device);
  // However this process ends, socat must not outlive it (stop() is synchronous and idempotent).
  const onProcessExit = () => pty.stop();
  process.once('exit', onProcessExit);
  const port = new SerialPort({ path: pty.boardEnd, baudRate: profile.uart.defaultBaud, autoOpen: false });
  try {
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  } catch (e) {
    pty.stop();
    process.off('exit', onProcessExit);
    throw new UserError(`cannot open the board end of the pseudo-terminal ${pty.boardEnd}: ${(e as Error).message}`);
  }
  // Fast mode pauses while the board waits for the host (line sent, nothing to read): an idle
  // board would otherwise burn the CPU the host needs; the host's next bytes wake it at once.
  // With a rig and a protocol v1 host, the pause is board-clock pacing: board time (and with it
  // the plant) stops until the host's whole next line is there, however long the host takes, so
  // host stalls cannot change what the plant sees. Otherwise a paused board resumes after
  // IDLE_RESUME_MS (its timers, e.g. the watchdog, keep running).
  let waiting = false;
  let untilLine = false;
  // Fast mode with a rig also waits for the host's first bytes once the board has booted, so the
  // host always finds the board at the same cycle (timer phases included): the run is then the
  // same, tick for tick, however long the host took to connect.
  let hostSeen = false;
  // The protocol answers every host line with one line (FAULT, sent unasked, aside). With board-clock
  // pacing a host line reaches the board only once it has answered the previous one: a line that
  // comes early (a HELLO resent while READY is on its way, on a loaded machine) waits here, so the
  // board's timeline, and with it the plant's, does not depend on when the host's bytes arrived.
  // A board that leaves a line unanswered for LINE_GATE_S of board time gets the next one anyway.
  let boardAnswers = 0;
  let lineFed_s = 0;
  if (rig?.protocolHost && !opts.realtime) {
    bridge.lineGate = () => {
      if (boardAnswers < bridge.linesFed && board.time_s - lineFed_s < LINE_GATE_S) return false;
      boardAnswers = bridge.linesFed;
      lineFed_s = board.time_s;
      return true;
    };
  }
  let idleTimer: NodeJS.Timeout | undefined;
  // A real board keeps running when its host dies. Board-clock pacing must not hide that from the
  // firmware's watchdog, but must not change a run whose host is merely slow either: only a silence
  // longer than a wall-clock grace (far above any host or machine stall) lets board time run on, in
  // real time, from that moment until the host's next line. And only while the board's watchdog is
  // armed (it acknowledged `WD n`, n > 0, since its last READY, and has not faulted): between two runs
  // against one emulator the host is silent too, and board time running on there would make the next
  // run depend on how long the gap was.
  const hostSilenceMs = opts.hostSilenceMs ?? DEFAULT_HOST_SILENCE_MS;
  let silenceTimer: NodeJS.Timeout | undefined;
  let silent = false;
  let silentFrom_s = 0;
  let silentLines = 0;
  let watchdogArmed = false;
  /** The board's current output line (its start: enough to recognise READY, WD and FAULT). */
  let boardLine = '';
  let hostSilences = 0;
  let silentRun_s = 0;
  const armSilence = () => {
    clearTimeout(silenceTimer);
    if (hostSilenceMs > 0 && watchdogArmed) silenceTimer = setTimeout(hostFellSilent, hostSilenceMs);
  };
  const hostFellSilent = () => {
    if (!running || !waiting || !untilLine) return;
    waiting = false;
    untilLine = false;
    silent = true;
    silentFrom_s = board.time_s;
    silentLines = 0;
    hostSilences++;
    // Board time follows the wall clock from now on (the real-time branch of the loop).
    wallStart = performance.now() - board.time_s * 1000;
    opts.onHostSilence?.({ kind: 'silent', board_s: board.time_s, silent_ms: hostSilenceMs });
    setImmediate(loop);
  };
  const endSilence = (kind: 'back' | 'capped') => {
    silent = false;
    const run_s = board.time_s - silentFrom_s;
    silentRun_s += run_s;
    opts.onHostSilence?.({ kind, board_s: board.time_s, realtime_s: run_s });
  };
  const wake = () => {
    if (!waiting) return;
    waiting = false;
    untilLine = false;
    clearTimeout(idleTimer);
    clearTimeout(silenceTimer);
    setImmediate(loop);
  };
  let hostFirst_s = -1;
  let hostLast_s = -1;
  let reports = 0;
  let firstReport_s = -1;
  let lastReport_s = -1;
  let reportsAtHostLast = 0;
  let lastReportAtHostLast_s = -1;
  port.on('data', (d: Buffer) => {
    hostSeen = true;
    if (hostFirst_s < 0) hostFirst_s = board.time_s;
    hostLast_s = board.time_s;
    reportsAtHostLast = reports;
    lastReportAtHostLast_s = lastReport_s;
    bridge.push(opts.lineNoise ? opts.lineNoise(d) : d);
    // The loop is already running in real time; from the next turn on it runs in virtual time again.
    if (silent && d.includes(10)) endSilence('back');
    if (!untilLine || d.includes(10)) wake();
    // Part of a line: the host is not silent.
    else if (waiting) armSilence();
  });

  let running = true;
  let maxLag_s = 0;
  let resolveStopped!: (r: string) => void;
  const stopped = new Promise<string>((r) => (resolveStopped = r));
  const finish = async (reason: string, external: boolean) => {
    if (!running) return;
    running = false;
    clearTimeout(idleTimer);
    clearTimeout(silenceTimer);
    // Closing the board's end first lets socat see the hang-up and pass it on to the host's end.
    await new Promise<void>((r) => {
      if (!port.isOpen) return r();
      const guard = setTimeout(r, 500);
      port.close(() => {
        clearTimeout(guard);
        r();
      });
    });
    pty.stop();
    process.off('exit', onProcessExit);
    if (external) opts.onExit?.(reason);
    resolveStopped(reason);
  };
  port.on('close', () => void finish('the board end of the serial device closed', true));
  pty.socat.on('exit', (code, signal) => void finish(`socat (pid ${pty.socatPid}) exited (${signal ?? `code ${code}`})`, true));

  const sliceCycles = Math.round(SLICE_S * board.clock_Hz);
  let wallStart = performance.now();
  let slipped_s = 0;
  const loop = (): void => {
    if (!running) return;
    if (silent && board.time_s - silentFrom_s >= MAX_SILENT_RUN_S) {
      endSilence('capped');
      waiting = true;
      untilLine = true;
      return;
    }
    const realtime = opts.realtime || silent;
    // Run up to ~1 ms of wall time per turn, then let I/O in.
    const turnEnd = performance.now() + 1;
    let ahead = false;
    let idle = false;
    let booted = false;
    do {
      if (rig && !opts.realtime && !hostSeen && board.time_s >= BOOT_S) {
        booted = true;
        break;
      }
      if (realtime) {
        const lag = (performance.now() - wallStart) / 1000 - board.time_s;
        if (lag < 0) {
          ahead = true;
          break;
        }
        if (lag > maxLag_s) maxLag_s = lag;
        // A board that fell behind does not race to catch up: the host would see every answer late
        // by the whole backlog. Board time slips instead (counted), keeping the latency bounded.
        if (lag > MAX_LAG_S) {
          wallStart += (lag - MAX_LAG_S) * 1000;
          slipped_s += lag - MAX_LAG_S;
        }
      }
      bridge.feed();
      board.run(rig ? rig.cyclesToStep() : sliceCycles);
      if (rig) rig.step();
      const out = bridge.takeTx();
      if (out) {
        watchBoardLines(out);
        countFirmataReports(out);
      }
      if (out && port.isOpen) {
        port.write(out);
        // The board finished a line and has nothing left to read or answer: it waits for the host, so let I/O in now.
        if (out[out.length - 1] === 10 && bridge.pendingRx === 0) {
          idle = true;
          break;
        }
      }
    } while (performance.now() < turnEnd);
    // Real time: poll with setImmediate rather than sleep, because a timer sleeps ≥ 1 ms and the
    // host's next bytes would wait that long; I/O is served between immediates.
    if (booted) waiting = true;
    // A silent host's board may poll with a timer: nobody waits for its answers, and it may run for a minute.
    else if (ahead && silent) setTimeout(loop, 1);
    else if (ahead) setImmediate(loop);
    else if (idle && !realtime) {
      waiting = true;
      untilLine = rig?.protocolHost === true;
      if (!untilLine) idleTimer = setTimeout(wake, IDLE_RESUME_MS);
      else armSilence();
    } else setImmediate(loop);
  };
  const countFirmataReports = (out: Uint8Array): void => {
    // In Firmata only command bytes have the top bit set; an analog message starts with 0xE0 | pin.
    for (const b of out) {
      if ((b & 0xf0) !== 0xe0) continue;
      if (reports++ === 0) firstReport_s = board.time_s;
      lastReport_s = board.time_s;
    }
  };
  const watchBoardLines = (out: Uint8Array): void => {
    if (!rig) return;
    for (const b of out) {
      if (b === 13) continue;
      if (b !== 10) {
        // Whole lines while the host is silent (they are reported), else just enough to parse WD.
        if (boardLine.length < (silent ? 200 : 16)) boardLine += b >= 32 && b < 127 ? String.fromCharCode(b) : '?';
        continue;
      }
      const type = frameTypeOf(boardLine);
      if (type !== 'FAULT') boardAnswers++;
      if (type === 'READY' || type === 'FAULT') watchdogArmed = false;
      else if (type === 'WD') watchdogArmed = parseInt(boardLine.slice(3), 10) > 0;
      if (silent && silentLines++ < MAX_SILENT_LINES) opts.onHostSilence?.({ kind: 'line', board_s: board.time_s, text: boardLine });
      boardLine = '';
    }
  };
  setImmediate(loop);

  return {
    device: pty.device,
    socatPid: pty.socatPid,
    board,
    bridge,
    rig,
    get maxLag_s() {
      return maxLag_s;
    },
    get slipped_s() {
      return slipped_s;
    },
    get hostSilences() {
      return hostSilences;
    },
    get silentRun_s() {
      return silentRun_s + (silent ? board.time_s - silentFrom_s : 0);
    },
    get hostBytes_s() {
      return hostFirst_s < 0 ? undefined : { first: hostFirst_s, last: hostLast_s };
    },
    get firmataReports() {
      return reportsAtHostLast === 0 ? undefined : { count: reportsAtHostLast, first_s: firstReport_s, last_s: lastReportAtHostLast_s };
    },
    stopped,
    stop: (reason = 'stopped') => finish(reason, false),
  };
}
