import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { countersAsMetrics } from '../../protocol/counters.ts';
import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { RunControl } from '../../run/control.ts';
import { runScenario, type RunResult } from '../../run/run-scenario.ts';
import { SerialLink } from '../transport/serial-link.ts';
import { checkReady } from './check-ready.ts';
import { LinkLog, openLogged } from './link-log.ts';
import { LockstepLink } from './lockstep-link.ts';

export interface HilRunOptions {
  readonly port: string;
  readonly outDir: string;
  /** Default 115200. */
  readonly baudRate?: number;
  /** Per-request timeout in ms; default 250. */
  readonly requestTimeoutMs?: number;
  /** Retransmissions per tick; default 2. */
  readonly retries?: number;
  /** Handshake timeout in ms; default 3000. */
  readonly handshakeTimeoutMs?: number;
  /** Arm the board watchdog with this many ms for the run (0/undefined: not armed). */
  readonly watchdogMs?: number;
  /** Pace ticks to the wall clock at Ts instead of running as fast as the board answers. */
  readonly realtime?: boolean;
  /**
   * io mode: who keeps the period. 'board' (default) asks the firmware to sample on its own clock
   * (`HELLO 2 <Ts_us>`) and falls back to 'host' when it cannot; 'host' paces on the wall clock.
   */
  readonly ioPacing?: 'board' | 'host';
  /** Firmware identity to expect instead of `hil/<scenario>`. */
  readonly expectFirmware?: string;
  /** Stop and setpoint overrides of the run (Ctrl-C, the dashboard). */
  readonly control?: RunControl;
  /**
   * Called once the board is ready (so a board that never answers leaves no server behind); its
   * sinks see every recorded row (the live dashboard of `--live`).
   */
  readonly live?: () => Promise<{ readonly extraSinks: readonly RowSink[] }>;
}

function lockstepFaulted(log: LinkLog): boolean {
  return log.faults > 0;
}

/**
 * `hilbench hil run`: the plant simulated on the host, the controller in the board's firmware,
 * lockstep over a serial device. Writes the same outputs as `run`, plus link.ndjson, and adds the
 * per-tick round-trip latency and link counters to metrics.json.
 */
export async function runHil(built: BuiltRun, opts: HilRunOptions): Promise<RunResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const log = new LinkLog(join(opts.outDir, 'link.ndjson'));
  const link = new SerialLink({
    path: opts.port,
    baudRate: opts.baudRate,
    requestTimeoutMs: opts.requestTimeoutMs,
    handshakeTimeoutMs: opts.handshakeTimeoutMs,
    retries: opts.retries,
  });
  const { ready, sub } = await openLogged(link, log);
  try {
    try {
      checkReady(ready, built, 'hil', opts.port, opts.expectFirmware);
      if (opts.watchdogMs) await link.setWatchdog(opts.watchdogMs);
    } catch (e) {
      log.event('fault', { reason: (e as Error).message });
      throw e;
    }
    const lockstep = new LockstepLink(link, {
      sensorCount: built.sensors.length,
      actuatorCount: built.actuators.length,
      actuators: built.actuators,
      referenceNames: built.config.references.map((r) => r.name),
      realtimePeriod_s: opts.realtime ? built.scenario.Ts : undefined,
      onFault: (e, t, ticks) => log.event('fault', { reason: e.message, t_s: t, ticks, counters: { ...link.counters } }),
    });
    const live = opts.live
      ? await opts.live().catch((e: Error) => {
          log.event('fault', { reason: e.message });
          throw e;
        })
      : undefined;
    const result = await runScenario(built, {
      outDir: opts.outDir,
      link: lockstep,
      control: opts.control,
      extraSinks: live?.extraSinks,
      mode: 'hil',
      extraMetrics: () => ({
        link_port: opts.port,
        link_board: ready.board,
        link_firmware: ready.firmware,
        link_ticks: lockstep.ticks,
        ...lockstep.latency.summary('rtt'),
        ...(opts.realtime ? lockstep.jitter.summary('tick_jitter') : {}),
        ...countersAsMetrics(link.counters),
      }),
    });
    // A link fault was recorded when it happened; other failures (non-finite signals) here.
    if (result.status === 'failed' && !lockstepFaulted(log)) log.event('fault', { reason: result.error, ticks: lockstep.ticks });
    else if (result.status === 'completed') log.event('end', { ticks: lockstep.ticks, counters: link.counters });
    return result;
  } finally {
    sub.unsubscribe();
    await link.close();
  }
}
