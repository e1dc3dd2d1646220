import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { actuatorCounts, actuatorMaxCounts, actuatorMinCounts, actuatorValue, sensorValue, type SensorChannel } from '../../firmware-sim/channels.ts';
import { computeMetrics } from '../../firmware-sim/metrics.ts';
import { ColumnStore, TeeSink, type RowSink } from '../../firmware-sim/recorder.ts';
import type { JudgedSpec } from '../report/judged.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { version } from '../../firmware-sim/version.ts';
import { CsvWriter } from '../logging/csv-writer.ts';
import { countersAsMetrics } from '../../protocol/counters.ts';
import { encodeX, frameLine } from '../../protocol/encode.ts';
import { PROTOCOL_VERSION, SEQ_MODULO, type Frame } from '../../protocol/frames.ts';
import { groupSpec } from '../report/plots.ts';
import { writeReport } from '../report/write-report.ts';
import type { RunResult } from '../run-scenario.ts';
import { LinkError } from '../transport/errors.ts';
import { SerialLink } from '../transport/serial-link.ts';
import { checkReady } from './check-ready.ts';
import { LatencyLog } from './latency.ts';
import { LinkLog, openLogged } from './link-log.ts';
import type { HilRunOptions } from './hil-run.ts';

/** The board's side of one io tick: apply actuator counts, return sensor counts. */
export interface IoBoard {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  exchange(actuatorCounts: Int32Array, t: number): Promise<Int32Array>;
  readonly counters?: Record<string, number>;
}

/** The columns of an io run's run.csv. */
export function ioColumns(built: BuiltRun): string[] {
  return [
    't_s',
    ...built.sensors.flatMap((s) => [`${s.name}_counts`, s.name]),
    ...built.config.references.map((r) => r.name),
    ...built.actuators.flatMap((a) => [`${a.name}_counts`, built.plant.inputs[a.inputIndex].name]),
    'rtt_s',
    'jitter_s',
  ];
}

/**
 * What a live dashboard adds to an io run (`hil run --mode io --live`): sinks next to run.csv that
 * see every recorded row, and a per-tick control for stop and setpoint overrides from the page.
 */
export interface IoLive {
  readonly extraSinks?: readonly RowSink[];
  readonly control?: IoTickControl;
}

/** Called by the io loop every tick; must not allocate. */
export interface IoTickControl {
  /** Before the exchange of the tick at `t`: throws an error tagged `linkFault` to end the run there. */
  beforeTick(t: number): void;
  /** After the references of the tick were computed: may override some of them (run.csv records the value used). */
  applyReferences(ref: Float64Array): void;
}

/**
 * Who keeps the period: 'host' paces ticks to the host's wall clock at Ts and the board answers at
 * once; 'board' sends each X as soon as the controller has its output and the board applies it and
 * samples at its own period boundary (micros()), answering then (docs/hil.md, "io mode pacing").
 */
export type IoPacing = 'host' | 'board';

/**
 * `io` mode: the controller runs here, the board (a real rig, or the emulated board with `--rig`)
 * is sensors and actuators. Each tick sends the previous tick's actuator counts and receives fresh
 * sensor counts (`X`/`M`), so commands take effect one period late, as in a scenario with
 * `computationDelay: true`.
 * Host pacing: ticks are due at the wall clock's k·Ts; jitter (tick start behind its slot),
 * round-trip time and overruns (tick not finished within its period; the schedule then slips by
 * the overrun) are measured every tick.
 * Board pacing: no wall-clock wait here; jitter is the interval between answers minus Ts (the
 * board's pacing as the host sees it), an overrun an interval over 1.5·Ts; the host's turnaround
 * (answer received → next X written) is the slack it used.
 */
export async function runIoLoop(
  built: BuiltRun,
  board: IoBoard,
  opts: { outDir: string; pacing?: IoPacing; extraMetrics?: () => Record<string, number | string | null>; log?: LinkLog; live?: IoLive },
): Promise<RunResult> {
  const pacing: IoPacing = opts.pacing ?? 'host';
  const { scenario, controller, sensors, actuators } = built;
  const refs = built.config.references;
  const Ts = scenario.Ts;
  const nTicks = Math.round(scenario.duration / Ts);
  const columns = ioColumns(built);
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(
    join(opts.outDir, 'run.meta.json'),
    JSON.stringify({ scenario: scenario.name, file: built.file, mode: 'io', version, seed: scenario.seed, started: new Date().toISOString(), host: hostname(), board: built.board.id, controller: scenario.controller, columns }, null, 2) + '\n',
  );
  const store = new ColumnStore();
  const sink = new TeeSink([new CsvWriter(join(opts.outDir, 'run.csv')), store, ...(opts.live?.extraSinks ?? [])]);
  const control = opts.live?.control;
  sink.begin(columns);
  const row = new Float64Array(columns.length);
  const y = new Float64Array(sensors.length);
  const ref = new Float64Array(refs.length);
  const u = new Float64Array(actuators.length);
  const act = new Int32Array(board.actuatorCount);
  const applied = new Int32Array(actuators.length);
  if (built.config.initialActuatorCounts) for (let j = 0; j < actuators.length; j++) act[j] = built.config.initialActuatorCounts[j];
  const rtt = new LatencyLog();
  const jitter = new LatencyLog();
  const turnaround = new LatencyLog();
  let lastAnswer = 0;
  let overruns = 0;
  let error: string | undefined;
  // Let the JIT compile the control law before the first real-time tick, then start from scratch.
  for (let i = 0; i < 2000; i++) {
    for (let s = 0; s < sensors.length; s++) y[s] = sensorValue(sensors[s], i & 1023);
    for (let r = 0; r < refs.length; r++) ref[r] = refs[r].ref.value(0);
    controller.update(y, ref, i * Ts, u);
  }
  controller.reset();
  const wall0 = performance.now();
  // Slots are due at anchor + k·Ts; after an overrun the schedule is moved rather than caught up
  // with a burst of back-to-back ticks, which would hand the plant a different control law.
  let anchor = wall0;
  let k = 0;
  try {
    for (; k < nTicks; k++) {
      const t = k * Ts;
      if (control) control.beforeTick(t);
      let now = performance.now();
      let late = 0;
      if (pacing === 'host') {
        const due = anchor + t * 1000;
        if (due - now > 1.5) await new Promise((r) => setTimeout(r, due - now - 1));
        while ((now = performance.now()) < due) {
          // spin the last millisecond: setTimeout alone is too coarse for kHz pacing
        }
        late = (now - due) / 1000;
        jitter.add(late);
      } else if (k > 0) turnaround.add((now - lastAnswer) / 1000);
      for (let j = 0; j < actuators.length; j++) applied[j] = act[j];
      const counts = await board.exchange(act, t);
      const answered = performance.now();
      const r = (answered - now) / 1000;
      rtt.add(r);
      if (pacing === 'host') {
        if (late + r > Ts) {
          overruns++;
          anchor += (late + r) * 1000;
        }
      } else {
        if (k > 0) {
          late = (answered - lastAnswer) / 1000 - Ts;
          jitter.add(late);
          if (late > 0.5 * Ts) overruns++;
        }
        lastAnswer = answered;
      }
      for (let i = 0; i < sensors.length; i++) y[i] = sensorValue(sensors[i], counts[i]);
      for (let i = 0; i < refs.length; i++) ref[i] = refs[i].ref.value(t);
      if (control) control.applyReferences(ref);
      controller.update(y, ref, t, u);
      for (let j = 0; j < actuators.length; j++) {
        if (u[j] - u[j] !== 0) throw Object.assign(new Error(`controller output '${actuators[j].name}' is not finite (${u[j]}) at t = ${t} s`), { userError: true, linkFault: true });
        act[j] = actuatorCounts(actuators[j], u[j]);
      }
      let c = 0;
      row[c++] = t;
      for (let i = 0; i < sensors.length; i++) {
        row[c++] = counts[i];
        row[c++] = y[i];
      }
      for (let i = 0; i < refs.length; i++) row[c++] = ref[i];
      for (let j = 0; j < actuators.length; j++) {
        row[c++] = applied[j];
        row[c++] = actuatorValue(actuators[j], applied[j]);
      }
      row[c++] = r;
      row[c++] = late;
      sink.write(row);
    }
  } catch (e) {
    const written = (e as { writeFailed?: boolean; userError?: boolean }).writeFailed && (e as { userError?: boolean }).userError;
    if (!(e as { linkFault?: boolean }).linkFault && !written) throw e;
    error = `${(e as Error).message}; run stopped at t = ${(k * Ts).toFixed(6)} s, ${store.rows} samples kept in ${join(opts.outDir, 'run.csv')}`;
  } finally {
    sink.end();
  }
  const wall_s = (performance.now() - wall0) / 1000;
  const metrics: Record<string, number | string | null> = {
    scenario: scenario.name,
    controller: String(scenario.controller.type),
    seed: scenario.seed,
    version,
    mode: 'io',
    io_pacing: pacing,
    status: error ? 'failed' : 'completed',
    ...(error ? { error } : {}),
    duration_s: store.rows ? store.t[store.rows - 1] + Ts : 0,
    samples: store.rows,
  };
  const m = scenario.metrics;
  let judged: JudgedSpec | undefined;
  if (m && store.rows > 1) {
    // The plant's true state is not visible in io mode: judge the measured signal.
    const output = store.column(m.output) ? m.output : sensors[0]?.name;
    const a0 = actuators[0];
    const command = a0 ? built.plant.inputs[a0.inputIndex].name : undefined;
    judged = { output, reference: m.reference, command, band: m.band, bandAbs: m.bandAbs };
    const std = computeMetrics(store, {
      output,
      reference: m.reference,
      command,
      saturation: a0 ? { column: `${a0.name}_counts`, minCounts: actuatorMinCounts(a0), maxCounts: actuatorMaxCounts(a0) } : undefined,
      band: m.band,
      bandAbs: m.bandAbs,
    });
    metrics.metrics_output = output;
    for (const [key, v] of Object.entries(std)) metrics[key] = Number.isFinite(v) ? v : null;
  }
  Object.assign(metrics, rtt.summary('rtt'), jitter.summary('tick_jitter'), pacing === 'board' ? turnaround.summary('host_turnaround') : {}, { io_overruns: overruns, link_ticks: store.rows, Ts_s: Ts, wall_s: Math.round(wall_s * 1000) / 1000 });
  if (opts.extraMetrics) Object.assign(metrics, opts.extraMetrics());
  writeFileSync(join(opts.outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  if (store.rows > 1) {
    const panels = [
      groupSpec(store, { title: 'Sensors', signals: [...sensors.map((s) => s.name), ...refs.map((r) => r.name)] }),
      groupSpec(store, { title: 'Actuators', signals: actuators.map((a) => built.plant.inputs[a.inputIndex].name) }),
      groupSpec(store, { title: 'Link timing', signals: ['rtt_s', 'jitter_s'] }),
    ];
    await writeReport(opts.outDir, { title: `hilbench io run: ${scenario.name}`, subtitle: `controller on the host, board ${built.board.id} as I/O, Ts ${Ts} s, hilbench ${version}`, metrics, panels, error, judged });
  }
  if (error) opts.log?.event('fault', { reason: error, ticks: store.rows });
  else opts.log?.event('end', { ticks: store.rows });
  return { outDir: opts.outDir, status: error ? 'failed' : 'completed', error, rows: store.rows, metrics, store, wall_s };
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
  /**
   * Called once the board is ready, before the warm-up (so the watchdog is not armed while it
   * runs); its sinks and control join the run (the live dashboard of `hil run --mode io --live`).
   */
  readonly live?: () => Promise<IoLive>;
}

/** `hilbench hil run --mode io` over protocol v1. */
export async function runIo(built: BuiltRun, opts: IoRunOptions): Promise<RunResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const log = new LinkLog(join(opts.outDir, 'link.ndjson'));
  const link = new SerialLink({ path: opts.port, baudRate: opts.baudRate, requestTimeoutMs: opts.requestTimeoutMs, handshakeTimeoutMs: opts.handshakeTimeoutMs, retries: 0 });
  const { ready, sub } = await openLogged(link, log);
  try {
    let live: IoLive | undefined;
    let pacing: IoPacing;
    try {
      checkReady(ready, built, 'io');
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
    return await runIoLoop(built, board, { outDir: opts.outDir, pacing, log, live, extraMetrics: () => ({ link_port: opts.port, link_firmware: ready.firmware, ...board.counters }) });
  } finally {
    sub.unsubscribe();
    await link.close();
  }
}

/**
 * Resets the board for tick 0 with `HELLO 1 <Ts_us>`, asking it to pace the ticks on its own clock.
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

/** Resets the board for tick 0 with a plain `HELLO 1`: it answers each X at once. */
async function hostPaced(link: SerialLink, log: LinkLog): Promise<IoPacing> {
  const ready = await link.rehandshake();
  log.event('ready', { ...ready, pacing: 'host' });
  return 'host';
}
