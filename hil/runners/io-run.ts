import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sensorValue, type SensorChannel } from '../../firmware-sim/channels.ts';
import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { version } from '../../firmware-sim/version.ts';
import { BoardPlant, type IoBoard, type IoPacing } from '../../run/board-plant.ts';
import type { RunControl } from '../../run/control.ts';
import { runScenario, type RunResult } from '../../run/run-scenario.ts';
import { countersAsMetrics } from '../../protocol/counters.ts';
import { encodeX, frameLine } from '../../protocol/encode.ts';
import { PROTOCOL_VERSION, SEQ_MODULO, type Frame } from '../../protocol/frames.ts';
import { LinkError } from '../transport/errors.ts';
import { SerialLink } from '../transport/serial-link.ts';
import { checkReady } from './check-ready.ts';
import { LinkLog, openLogged } from './link-log.ts';
import type { HilRunOptions } from './hil-run.ts';

export type { IoBoard, IoPacing };

/**
 * `io` mode over any board (protocol v1 frames, or johnny-five/Firmata): the scenario's controller
 * here, the board as sensors and actuators, through the one run loop with the board as its plant
 * side. Before tick 0 the control law is run a few thousand times on made-up counts, then reset,
 * so the JIT has compiled it before the first real-time tick.
 */
export async function runIoScenario(
  built: BuiltRun,
  board: IoBoard,
  opts: { outDir: string; pacing?: IoPacing; extraMetrics?: () => Record<string, number | string | null>; log?: LinkLog; control?: RunControl; extraSinks?: readonly RowSink[] },
): Promise<RunResult> {
  const pacing: IoPacing = opts.pacing ?? 'host';
  warmUpController(built);
  let side: BoardPlant | undefined;
  const result = await runScenario(built, {
    outDir: opts.outDir,
    mode: 'io',
    plantSide: (sink) => (side = new BoardPlant(built, board, sink, pacing)),
    control: opts.control,
    extraSinks: opts.extraSinks,
    headMetrics: { io_pacing: pacing },
    extraMetrics: () => ({ ...side?.metrics(), ...opts.extraMetrics?.() }),
    subtitle: `controller on the host, board ${built.board.id} as I/O, Ts ${built.scenario.Ts} s, hilbench ${version}`,
  });
  if (result.status === 'failed') opts.log?.event('fault', { reason: result.error, ticks: result.rows });
  else opts.log?.event('end', { ticks: result.rows });
  return result;
}

function warmUpController(built: BuiltRun): void {
  const { controller, sensors } = built;
  const refs = built.config.references;
  const y = new Float64Array(sensors.length);
  const ref = new Float64Array(refs.length);
  const u = new Float64Array(built.actuators.length);
  for (let i = 0; i < 2000; i++) {
    for (let s = 0; s < sensors.length; s++) y[s] = sensorValue(sensors[s], i & 1023);
    for (let r = 0; r < refs.length; r++) ref[r] = refs[r].ref.value(0);
    controller.update(y, ref, i * built.scenario.Ts, u);
  }
  controller.reset();
}

/** An io board reached through protocol v1 `X`/`M` frames. */
export class ProtocolIoBoard implements IoBoard {
  private seq = 0;
  private readonly out: Int32Array;
  private readonly checkCounts: ((f: Frame) => string | undefined) | undefined;
  constructor(
    private readonly link: SerialLink,
    readonly sensorCount: number,
    readonly actuatorCount: number,
    /** Per-request timeout; undefined: the link's. With board pacing the answer may take up to Ts more. */
    private readonly timeoutMs?: number,
    /** The scenario's sensor channels: `M` counts outside an ADC's range are refused (docs/protocol.md §1). */
    sensors?: readonly SensorChannel[],
  ) {
    this.out = new Int32Array(sensorCount);
    if (sensors) {
      const hi = sensors.map((s) => (s.kind === 'adc' ? (1 << s.bits) - 1 : 2147483647));
      const lo = sensors.map((s) => (s.kind === 'adc' ? 0 : -2147483648));
      this.checkCounts = (f) => {
        if (f.type !== 'M') return undefined;
        for (let i = 0; i < sensors.length && i < f.values.length; i++) {
          const v = f.values[i];
          if (v < lo[i] || v > hi[i]) return `sensor '${sensors[i].name}' = ${v} counts, outside its range ${lo[i]} … ${hi[i]}`;
        }
        return undefined;
      };
    }
  }
  get counters(): Record<string, number> {
    return countersAsMetrics(this.link.counters);
  }
  async exchange(act: Int32Array, t: number): Promise<Int32Array> {
    const seq = this.seq;
    const f = await this.link.request(encodeX(seq, act), 'M', seq, this.timeoutMs, this.checkCounts);
    if (f.type === 'ERR') throw new LinkError(`the board rejected X ${seq} at t = ${t} s: ERR ${f.code} ${f.text}`, { boardError: true });
    if (f.type !== 'M') throw new LinkError(`unexpected answer to X ${seq}`, { boardError: true });
    for (let i = 0; i < this.sensorCount; i++) this.out[i] = f.values[i];
    this.seq = (seq + 1) % SEQ_MODULO;
    return this.out;
  }
}

export interface IoRunOptions extends HilRunOptions {
  /** Called once the board has answered with the right firmware, before the run starts (the CLI's warnings about the run). */
  readonly onReady?: () => void;
}

/** `hilbench hil run --mode io` over protocol v1. */
export async function runIo(built: BuiltRun, opts: IoRunOptions): Promise<RunResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const log = new LinkLog(join(opts.outDir, 'link.ndjson'));
  const link = new SerialLink({ path: opts.port, baudRate: opts.baudRate, requestTimeoutMs: opts.requestTimeoutMs, handshakeTimeoutMs: opts.handshakeTimeoutMs, retries: 0 });
  const { ready, sub } = await openLogged(link, log);
  try {
    let live: { readonly extraSinks: readonly RowSink[] } | undefined;
    let pacing: IoPacing;
    try {
      checkReady(ready, built, 'io', opts.port);
      opts.onReady?.();
      live = opts.live ? await opts.live() : undefined;
      if (opts.watchdogMs) await link.setWatchdog(opts.watchdogMs);
      // Warm-up: exchanges at the initial counts compile both sides' code paths, then HELLO resets the
      // board (and an emulator rig, which holds its plant again) so tick 0 starts from a clean state.
      const warm = new ProtocolIoBoard(link, ready.nSensors, ready.nActuators, undefined, built.sensors);
      const initial = new Int32Array(ready.nActuators);
      if (built.config.initialActuatorCounts) initial.set(built.config.initialActuatorCounts.subarray(0, ready.nActuators));
      for (let i = 0; i < 200; i++) await warm.exchange(initial, 0);
      pacing = opts.ioPacing === 'host' ? await hostPaced(link, log) : await helloWithPeriod(link, built.scenario.Ts, log);
      if (opts.watchdogMs) await link.setWatchdog(opts.watchdogMs);
    } catch (e) {
      log.event('fault', { reason: (e as Error).message });
      throw e;
    }
    const timeoutMs = pacing === 'board' ? (opts.requestTimeoutMs ?? 250) + Math.ceil(built.scenario.Ts * 1000) : undefined;
    const board = new ProtocolIoBoard(link, ready.nSensors, ready.nActuators, timeoutMs, built.sensors);
    const wall0 = performance.now();
    return await runIoScenario(built, board, {
      outDir: opts.outDir,
      pacing,
      log,
      control: opts.control,
      extraSinks: live?.extraSinks,
      extraMetrics: () => ({ wall_s: Math.round(performance.now() - wall0) / 1000, link_port: opts.port, link_firmware: ready.firmware, ...board.counters }),
    });
  } finally {
    sub.unsubscribe();
    await link.close();
  }
}

/**
 * Resets the board for tick 0 with `HELLO 2 <Ts_us>`, asking it to pace the ticks on its own clock.
 * io firmware from this hilbench answers READY with that period (board pacing); firmware that
 * does not know the period field answers ERR 4 and gets a plain HELLO instead (host pacing).
 */
export async function helloWithPeriod(link: SerialLink, Ts: number, log: LinkLog): Promise<IoPacing> {
  const Ts_us = Math.round(Ts * 1e6);
  const f = await link.request(frameLine(`HELLO ${PROTOCOL_VERSION} ${Ts_us}`), 'READY');
  if (f.type === 'READY' && f.Ts_us === Ts_us) {
    log.event('ready', { ...f, pacing: 'board' });
    return 'board';
  }
  return hostPaced(link, log);
}

/** Resets the board for tick 0 with a plain `HELLO 2`: it answers each X at once. */
async function hostPaced(link: SerialLink, log: LinkLog): Promise<IoPacing> {
  const ready = await link.rehandshake();
  log.event('ready', { ...ready, pacing: 'host' });
  return 'host';
}
