import { ControllerFirmware, type FirmwareLink } from '../../firmware-sim/firmware-link.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { parseListen } from '../dashboard/origin.ts';
import { DashboardServer } from '../dashboard/server.ts';
import type { RunOptions, RunResult } from '../../run/run-scenario.ts';
import { ioColumns, type IoLive } from '../runners/io-run.ts';
import { LiveSource } from './live-source.ts';
import { PacedLink } from './paced-link.ts';
import { attachStatusLine } from './status-line.ts';
import { SubjectSink } from './subject-sink.ts';
import { TickControl } from './tick-control.ts';

export interface LiveRunOptions {
  /** host:port for the dashboard. Default 127.0.0.1:8080. */
  readonly listen?: string;
  /** Enables setpoint changes and stop from the page. */
  readonly token?: string;
  /** Simulated seconds per wall second for simulated links. Default 1. */
  readonly speed?: number;
  /** A link to stream instead of the scenario's own controller (e.g. the serial link of `hil run`); not paced. */
  readonly link?: FirmwareLink;
  readonly allowOrigins?: readonly string[];
  /** Print the status line. Default true. */
  readonly statusLine?: boolean;
}

/** A live stream with its dashboard server, whatever runs it. */
export interface LiveStream {
  readonly source: LiveSource;
  readonly server: DashboardServer;
  /** Pushes the final metrics and ends the live stream (the page keeps showing the run). */
  finish(result: RunResult): void;
  /** Stops a run in progress (Ctrl-C): the run ends at the next tick with its outputs written. */
  stop(reason: string): void;
  close(): Promise<void>;
}

export interface LiveRun extends LiveStream {
  /** Spread into runScenario's options: the paced link and the live sink. */
  readonly runOptions: Pick<RunOptions, 'link' | 'extraSinks'>;
}

export interface IoLiveRun extends LiveStream {
  /** Passed to runIo / runIoLoop: the live sink and the page's stop and setpoint control. */
  readonly io: IoLive;
}

/** What the stream needs from whatever drives the ticks: the time reached, setpoint overrides, stop. */
interface StreamControl {
  readonly t: number;
  setReference(name: string, value: number): string | undefined;
  stop(reason: string): void;
}

interface StreamSignals {
  readonly mode: string;
  readonly title: string;
  readonly preferred: readonly string[];
  readonly units: Record<string, string>;
  readonly iae?: { readonly output: string; readonly reference: string };
}

/**
 * `run --live` (and `hil run --live`): a LiveSource fed by a SubjectSink next to the CSV writer,
 * a dashboard server subscribed to it, and the status line. A simulated run is paced to real time
 * so it can be watched; a serial link is already paced by the board and is passed through.
 */
export async function startLiveRun(built: BuiltRun, options: LiveRunOptions = {}): Promise<LiveRun> {
  const metrics = built.scenario.metrics;
  const refNames = built.config.references.map((r) => r.name);
  const preferred = metrics ? [metrics.output, metrics.reference] : [...refNames, ...built.sensors.map((s) => s.name)];
  const inner = options.link ?? new ControllerFirmware(built.controller, built.sensors, built.actuators);
  const paced = new PacedLink(inner, refNames, { speed: options.speed });
  const stream = await startStream(built, paced, options, {
    mode: options.link ? 'hil' : 'run',
    title: `${built.scenario.name}: plant ${built.scenario.plant}`,
    preferred,
    units: unitsOf(built),
    iae: metrics ? { output: metrics.output, reference: metrics.reference } : undefined,
  });
  return { ...stream.live, runOptions: { link: paced, extraSinks: [stream.sink] } };
}

/**
 * `hil run --mode io --live`: the same stream for the io loop, which records the measured signals
 * (the plant's true state is not visible), so the preferred signals and the running IAE use the
 * measured output as the io run's metrics do. The board paces the ticks; nothing is paced here.
 */
export async function startIoLiveRun(built: BuiltRun, options: Omit<LiveRunOptions, 'link' | 'speed'> = {}): Promise<IoLiveRun> {
  const metrics = built.scenario.metrics;
  const refNames = built.config.references.map((r) => r.name);
  const sensorNames = built.sensors.map((s) => s.name);
  const columns = ioColumns(built);
  const output = metrics && columns.includes(metrics.output) ? metrics.output : sensorNames[0];
  const units = unitsOf(built);
  for (const c of columns) if (c.endsWith('_counts')) units[c] = 'counts';
  units.rtt_s = 's';
  units.jitter_s = 's';
  const control = new TickControl(refNames);
  const stream = await startStream(built, control, options, {
    mode: 'io',
    title: `${built.scenario.name}: plant ${built.scenario.plant}, board ${built.board.id} as I/O`,
    preferred: metrics && output ? [output, metrics.reference] : [...refNames, ...sensorNames],
    units,
    iae: metrics && output ? { output, reference: metrics.reference } : undefined,
  });
  return { ...stream.live, io: { extraSinks: [stream.sink], control } };
}

async function startStream(built: BuiltRun, control: StreamControl, options: Omit<LiveRunOptions, 'link' | 'speed'>, signals: StreamSignals): Promise<{ live: LiveStream; sink: SubjectSink }> {
  const source = new LiveSource(signals.mode, signals.title, signals.preferred);
  const sink = new SubjectSink(source, { units: signals.units, iae: signals.iae });
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
  const live: LiveStream = {
    source,
    server,
    stop: (reason) => control.stop(reason),
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
  return { live, sink };
}

function unitsOf(built: BuiltRun): Record<string, string> {
  const units: Record<string, string> = {};
  for (const s of [...built.plant.states, ...built.plant.inputs, ...built.plant.outputs]) units[s.name] = s.unit;
  return units;
}
