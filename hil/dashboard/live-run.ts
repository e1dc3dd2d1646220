import type { RowSink } from '../../firmware-sim/recorder.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { simulationColumns } from '../../firmware-sim/simulation.ts';
import { ioColumns } from '../../run/board-plant.ts';
import type { RunControl } from '../../run/control.ts';
import { judgedSpec } from '../../run/judged.ts';
import type { Pacer } from '../../run/loop.ts';
import { WallClockPacer } from '../../run/pacer.ts';
import type { RunResult } from '../../run/run-scenario.ts';
import { parseListen } from '../dashboard/origin.ts';
import { DashboardServer } from '../dashboard/server.ts';
import { LiveSource } from '../live/live-source.ts';
import { attachStatusLine } from '../live/status-line.ts';
import { SubjectSink } from '../live/subject-sink.ts';

export interface LiveRunOptions {
  /** host:port for the dashboard. Default 127.0.0.1:8080. */
  readonly listen?: string;
  /** Enables setpoint changes and stop from the page. */
  readonly token?: string;
  /**
   * 'sim': a simulated run, paced to (scaled) real time so it can be watched; 'hil' (a board paces
   * the ticks) and 'io' (the board's measured signals are recorded) are not paced here.
   */
  readonly mode?: 'sim' | 'hil' | 'io';
  /** Simulated seconds per wall second for 'sim'. Default 1. */
  readonly speed?: number;
  readonly allowOrigins?: readonly string[];
  /** Print the status line. Default true. */
  readonly statusLine?: boolean;
}

/** A live stream with its dashboard server, whatever runs it. */
export interface LiveRun {
  readonly source: LiveSource;
  readonly server: DashboardServer;
  /** For the run: the sink that streams every row, and the wall-clock pacing of a simulated run. */
  readonly extraSinks: readonly RowSink[];
  readonly pacer?: Pacer;
  /** Pushes the final metrics and ends the live stream (the page keeps showing the run). */
  finish(result: RunResult): void;
  close(): Promise<void>;
}

/**
 * `--live` of `run` and `hil run` (both modes): a LiveSource fed by a SubjectSink next to the CSV
 * writer, a dashboard server subscribed to it, and the status line. The page's stop and setpoint
 * requests go to the run's RunControl, the same object Ctrl-C stops.
 */
export async function startLiveRun(built: BuiltRun, control: RunControl, options: LiveRunOptions = {}): Promise<LiveRun> {
  const mode = options.mode ?? 'sim';
  const columns = mode === 'io' ? ioColumns(built) : simulationColumns(built.config);
  const judged = judgedSpec(built, columns);
  const refNames = built.config.references.map((r) => r.name);
  const units: Record<string, string> = {};
  for (const s of [...built.plant.states, ...built.plant.inputs, ...built.plant.outputs]) units[s.name] = s.unit;
  for (const c of columns) if (c.endsWith('_counts')) units[c] = 'counts';
  if (mode === 'io') units.rtt_s = units.jitter_s = 's';
  const title =
    mode === 'io' ? `${built.scenario.name}: plant ${built.scenario.plant}, board ${built.board.id} as I/O` : `${built.scenario.name}: plant ${built.scenario.plant}`;
  const preferred = judged ? [judged.output, judged.reference] : [...refNames, ...built.sensors.map((s) => s.name)];
  const source = new LiveSource(mode === 'sim' ? 'run' : mode, title, preferred);
  const sink = new SubjectSink(source, { units, iae: judged ? { output: judged.output, reference: judged.reference } : undefined });
  const { host, port } = parseListen(options.listen ?? '127.0.0.1:8080');
  const server = await DashboardServer.start(
    { live: source },
    {
      host,
      port,
      token: options.token,
      allowOrigins: options.allowOrigins,
      controls: { setpoints: built.config.references.map((r) => ({ name: r.name, value: r.ref.value(0) })), stop: true },
      onControl: (req) => {
        const t_s = control.t;
        if (req.action === 'stop') {
          control.stop('stopped from the dashboard');
          source.event({ type: 'control', t_s, action: 'stop', detail: 'stop requested from the dashboard' });
          return undefined;
        }
        const error = control.setReference(req.name, req.value);
        if (!error) source.event({ type: 'control', t_s, action: 'setpoint', detail: `${req.name} = ${req.value}` });
        return error;
      },
    },
  );
  const status = options.statusLine === false ? undefined : attachStatusLine(source, {
    fields: [['t_s', 't [s]'], ['samples', 'samples'], ['samples_per_s', 'samples/s'], ['iae', 'IAE']],
  });
  let last = { wall: performance.now(), samples: 0 };
  const ticker = setInterval(() => {
    const now = performance.now();
    const rate = ((source.samples - last.samples) * 1000) / (now - last.wall);
    last = { wall: now, samples: source.samples };
    const iae = sink.runningIae;
    source.updateMetrics({ t_s: Math.round(control.t * 1000) / 1000, samples: source.samples, samples_per_s: Math.round(rate), ...(iae === iae ? { iae: Number(iae.toPrecision(6)) } : {}) });
  }, 250);
  ticker.unref();
  return {
    source,
    server,
    extraSinks: [sink],
    pacer: mode === 'sim' ? new WallClockPacer({ speed: options.speed }) : undefined,
    finish(result) {
      clearInterval(ticker);
      source.updateMetrics({ ...result.metrics, samples: source.samples });
      source.complete(result.status, result.error);
      status?.unsubscribe();
    },
    async close() {
      clearInterval(ticker);
      await server.close();
    },
  };
}
