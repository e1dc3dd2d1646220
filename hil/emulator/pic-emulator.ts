import { UserError } from '../../errors/user-error.ts';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPtyPair } from './pty-pair.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { PicRig } from './pic-rig.ts';
import { getBoard } from '../../boards/profiles.ts';

/**
 * The emulated PIC16F877 behind a real serial device: boards/pic-bridge (a C++ program against
 * gpsim's simulation library) runs the firmware and reads and writes the board end of a socat
 * pseudo-terminal pair itself, at the baud the firmware programmed; the host's end is linked at
 * `device`. The bridge reports the port pins on its stdout ("pins <cycle> <A> <B> <C> <D> <E>").
 */
export interface PicEmulatorOptions {
  /** .hex or .cod from gpasm. */
  readonly firmware: string;
  readonly device: string;
  /** true: board time follows the wall clock; false: as fast as possible, pausing while the board waits for the host. */
  readonly realtime?: boolean;
  /** Fast mode, watchdog armed: wall-clock ms of host silence after which the board runs in real time (0: never). */
  readonly hostSilenceMs?: number;
  readonly onExit?: (reason: string) => void;
  /** Record each request's board time: cycles from its '\n' reaching RCREG to the answer's first TXREG write. */
  readonly latency?: boolean;
  /** Wire this scenario's simulated plant to the io firmware's pins (pic-rig.ts). */
  readonly rig?: BuiltRun;
}

export interface PicPins {
  /** Instruction cycle (Fosc/4) of the last change. */
  readonly cycle: number;
  readonly A: number;
  readonly B: number;
  readonly C: number;
  readonly D: number;
  readonly E: number;
}

export interface RunningPicEmulator {
  readonly device: string;
  readonly socatPid: number;
  readonly bridgePid: number;
  /** The port pins as last reported (PORTC without RC6/RC7, the USART's). */
  readonly pins: PicPins;
  /** Every pin report so far. */
  readonly pinHistory: readonly PicPins[];
  /**
   * The bridge's totals, once stopped by `stop()`: instruction cycles, bytes each way, wall and
   * simulating seconds, and the cycles fast mode jumped over in the firmware's idle loops.
   */
  readonly stats: { readonly cycles: number; readonly rxBytes: number; readonly txBytes: number; readonly wall_s: number; readonly busy_s: number; readonly skipped: number } | undefined;
  /** With `latency`: instruction cycles per request (see PicEmulatorOptions.latency). */
  readonly latencies: readonly number[];
  /** The plant rig, with `rig`. */
  readonly rig: PicRig | undefined;
  readonly stopped: Promise<string>;
  /** Sets the voltage on AN<channel> for the next conversions (a rig does this at every plant step). */
  setAnalog(channel: number, volts: number): void;
  /** Stops the bridge and socat by PID and removes the link. Idempotent. */
  stop(reason?: string): Promise<void>;
}

const bridgeDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'boards', 'pic-bridge');
export const PIC_BRIDGE = join(bridgeDir, 'build', 'pic-bridge');
/** pic-bridge's clock is the board's (the PIC16F877 at 20 MHz); an instruction cycle is 4 clocks. */
const PIC_CLOCK_HZ = getBoard('pic16f877').clock_Hz;

/** Builds boards/pic-bridge with make if it is missing or older than its source (under a lock: tests run in parallel). */
export function ensurePicBridge(): string {
  mkdirSync(join(bridgeDir, 'build'), { recursive: true });
  try {
    execFileSync('flock', [join(bridgeDir, 'build', '.lock'), 'make', '-s', '-C', bridgeDir], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const text = (err.stderr?.toString() ?? err.message).split('\n').find((l) => /error/i.test(l)) ?? err.message;
    throw new UserError(`building the PIC bridge (boards/pic-bridge) failed: ${text.trim()}; install gpsim-dev, libglib2.0-dev, pkg-config and g++ (.ci/install-deps)`);
  }
  return PIC_BRIDGE;
}

export async function startPicEmulator(opts: PicEmulatorOptions): Promise<RunningPicEmulator> {
  if (!existsSync(opts.firmware)) throw new UserError(`--firmware ${opts.firmware}: no such file`);
  const bridge = ensurePicBridge();
  const rig = opts.rig ? new PicRig(opts.rig) : undefined;
  // gpasm writes X.cod next to X.hex: the same program with its symbols, which pic-bridge reads for
  // the idle loops it may skip in fast mode. A .cod older than the .hex is not used.
  const cod = opts.firmware.replace(/\.hex$/i, '.cod');
  const loaded = cod !== opts.firmware && existsSync(cod) && statSync(cod).mtimeMs >= statSync(opts.firmware).mtimeMs ? cod : opts.firmware;
  const pty = await startPtyPair(opts.device);
  const onProcessExit = () => pty.stop();
  process.once('exit', onProcessExit);
  const args = ['--firmware', loaded, '--serial', pty.boardEnd, '--host-silence-ms', String(opts.hostSilenceMs ?? 1000)];
  if (!opts.realtime) args.push('--fast');
  if (rig) args.push('--rig-step-cycles', String(Math.round((rig.dt * PIC_CLOCK_HZ) / 4)));
  if (opts.latency) args.push('--latency');
  const latencies: number[] = [];
  let stats: RunningPicEmulator['stats'];
  const child = spawn(bridge, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let pins: PicPins = { cycle: 0, A: 0, B: 0, C: 0, D: 0, E: 0 };
  const pinHistory: PicPins[] = [];
  let stdoutRest = '';
  let stderr = '';
  let ready = false;
  let running = true;
  let resolveStopped!: (r: string) => void;
  const stopped = new Promise<string>((r) => (resolveStopped = r));
  const finish = (reason: string, external: boolean) => {
    if (!running) return;
    running = false;
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    pty.stop();
    process.off('exit', onProcessExit);
    if (external) opts.onExit?.(reason);
    resolveStopped(reason);
  };
  child.stdout.on('data', (d: Buffer) => {
    const lines = (stdoutRest + d.toString()).split('\n');
    stdoutRest = lines.pop() ?? '';
    for (const l of lines) {
      if (l.startsWith('ready ')) {
        ready = true;
        if (rig) child.stdin.write(rig.reset());
      } else if (rig && (l === 'rig hello' || l.startsWith('step '))) {
        try {
          if (l === 'rig hello') child.stdin.write(`${rig.reset()}go\n`);
          else {
            const [A, B, C, D, E] = l.split(' ').slice(2).map((h) => parseInt(h, 16));
            child.stdin.write(`${rig.step({ A, B, C, D, E })}go\n`);
          }
        } catch (e) {
          finish(`the rig's plant failed: ${(e as Error).message}`, true);
        }
      }
      else if (l.startsWith('lat ')) latencies.push(Number(l.slice(4)));
      else if (l.startsWith('stats ')) {
        const [cycles, rxBytes, txBytes, wall_s, busy_s, skipped] = l.slice(6).split(' ').map(Number);
        stats = { cycles, rxBytes, txBytes, wall_s, busy_s, skipped };
      }
      const m = /^pins (\d+) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})$/.exec(l);
      if (m) {
        const [A, B, C, D, E] = m.slice(2).map((h) => parseInt(h, 16));
        pins = { cycle: Number(m[1]), A, B, C, D, E };
        pinHistory.push(pins);
      }
      // Anything else is gpsim's own chatter while loading.
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  child.on('error', (e) => finish(`pic-bridge could not start: ${e.message}`, true));
  let stopping = false;
  child.on('exit', (code, signal) => !stopping && finish(`pic-bridge (pid ${child.pid}) exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`, true));
  pty.socat.on('exit', (code, signal) => finish(`socat (pid ${pty.socatPid}) exited (${signal ?? `code ${code}`})`, true));
  const t0 = Date.now();
  while (!ready) {
    if (!running) throw new UserError(`the PIC emulator did not start: ${await stopped}`);
    if (Date.now() - t0 > 10_000) {
      finish('no ready line from pic-bridge within 10 s', false);
      throw new UserError('the PIC emulator did not start within 10 s');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    device: pty.device,
    socatPid: pty.socatPid,
    bridgePid: child.pid as number,
    get pins() {
      return pins;
    },
    pinHistory,
    latencies,
    rig,
    get stats() {
      return stats;
    },
    stopped,
    setAnalog: (channel, volts) => {
      if (running && child.stdin.writable) child.stdin.write(`adc ${channel} ${volts}\n`);
    },
    stop: async (reason = 'stopped') => {
      // Ask for the totals first; SIGTERM follows if the bridge does not leave within a second.
      if (running && child.exitCode === null && child.stdin.writable) {
        stopping = true;
        child.stdin.write('quit\n');
        // 'close': the exit and the last stdout bytes (the stats line).
        await Promise.race([new Promise((r) => child.once('close', r)), new Promise((r) => setTimeout(r, 1000))]);
      }
      finish(reason, false);
      await stopped;
    },
  };
}
