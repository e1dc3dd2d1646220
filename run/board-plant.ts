import { actuatorValue, sensorValue, type ActuatorChannel, type SensorChannel } from '../firmware-sim/channels.ts';
import type { PlantSide, RowSink } from '../firmware-sim/plant-side.ts';
import type { BuiltRun } from '../firmware-sim/scenario/build.ts';
import { LatencyLog } from './latency.ts';

/** The board's half of one io tick: apply actuator counts, return sensor counts. */
export interface IoBoard {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  exchange(actuatorCounts: Int32Array, t: number): Promise<Int32Array>;
}

/**
 * Who keeps the period: 'host' paces ticks to the host's wall clock at Ts and the board answers at
 * once; 'board' sends each X as soon as the controller has its output and the board applies it and
 * samples at its own period boundary (micros()), answering then (docs/hil.md, "io mode pacing").
 */
export type IoPacing = 'host' | 'board';

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
 * The plant side of `io` mode: a real rig (or the emulated board with `--rig`) behind a board used
 * as sensors and actuators. Each tick sends the previous tick's actuator counts and receives fresh
 * sensor counts, so commands take effect one period late, as in a scenario with
 * `computationDelay: true`. One row per tick: the counts and values read, the references, the
 * counts applied during the period, the round trip and the tick's lateness.
 * Host pacing: ticks are due at the wall clock's k·Ts; jitter (tick start behind its slot),
 * round-trip time and overruns (tick not finished within its period; the schedule then slips by
 * the overrun) are measured every tick.
 * Board pacing: no wall-clock wait here; jitter is the interval between answers minus Ts (the
 * board's pacing as the host sees it), an overrun an interval over 1.5·Ts; the host's turnaround
 * (answer received → next X written) is the slack it used.
 */
export class BoardPlant implements PlantSide {
  readonly columns: readonly string[];
  readonly counts: Int32Array;
  readonly ref: Float64Array;
  readonly ticks: number;
  readonly rtt = new LatencyLog();
  readonly jitter = new LatencyLog();
  readonly turnaround = new LatencyLog();
  overruns = 0;
  private readonly Ts: number;
  private readonly sensors: readonly SensorChannel[];
  private readonly actuators: readonly ActuatorChannel[];
  private readonly act: Int32Array;
  private readonly applied: Int32Array;
  private readonly row: Float64Array;
  private ticksDone = 0;
  private anchor = 0;
  private lastAnswer = 0;
  private lastRtt = 0;
  private lastLate = 0;

  constructor(
    built: BuiltRun,
    private readonly board: IoBoard,
    private readonly sink: RowSink,
    readonly pacing: IoPacing,
  ) {
    this.Ts = built.scenario.Ts;
    this.ticks = Math.round(built.scenario.duration / this.Ts);
    this.sensors = built.sensors;
    this.actuators = built.actuators;
    this.columns = ioColumns(built);
    this.counts = new Int32Array(this.sensors.length);
    this.ref = new Float64Array(built.config.references.length);
    this.act = new Int32Array(board.actuatorCount);
    this.applied = new Int32Array(this.actuators.length);
    if (built.config.initialActuatorCounts) for (let j = 0; j < this.actuators.length; j++) this.act[j] = built.config.initialActuatorCounts[j];
    this.row = new Float64Array(this.columns.length);
  }

  tickTime(i: number): number {
    return i * this.Ts;
  }

  /** One period after the last tick recorded. */
  get tEnd(): number {
    return this.ticksDone ? (this.ticksDone - 1) * this.Ts + this.Ts : 0;
  }

  begin(): void {
    this.sink.begin(this.columns);
    // Slots are due at anchor + k·Ts; after an overrun the schedule is moved rather than caught up
    // with a burst of back-to-back ticks, which would hand the plant a different control law.
    this.anchor = performance.now();
  }

  end(): void {
    this.sink.end();
  }

  async sample(i: number, t: number): Promise<void> {
    let now = performance.now();
    let late = 0;
    if (this.pacing === 'host') {
      const due = this.anchor + t * 1000;
      if (due - now > 1.5) await new Promise((r) => setTimeout(r, due - now - 1));
      while ((now = performance.now()) < due) {
        // spin the last millisecond: setTimeout alone is too coarse for kHz pacing
      }
      late = (now - due) / 1000;
      this.jitter.add(late);
    } else if (i > 0) this.turnaround.add((now - this.lastAnswer) / 1000);
    for (let j = 0; j < this.actuators.length; j++) this.applied[j] = this.act[j];
    const counts = await this.board.exchange(this.act, t);
    const answered = performance.now();
    const r = (answered - now) / 1000;
    this.rtt.add(r);
    if (this.pacing === 'host') {
      if (late + r > this.Ts) {
        this.overruns++;
        this.anchor += (late + r) * 1000;
      }
    } else {
      if (i > 0) {
        late = (answered - this.lastAnswer) / 1000 - this.Ts;
        this.jitter.add(late);
        if (late > 0.5 * this.Ts) this.overruns++;
      }
      this.lastAnswer = answered;
    }
    for (let s = 0; s < this.counts.length; s++) this.counts[s] = counts[s];
    this.lastRtt = r;
    this.lastLate = late;
  }

  actuate(out: Int32Array): void {
    for (let j = 0; j < this.actuators.length; j++) this.act[j] = out[j];
  }

  advance(i: number): void {
    const { row, sensors, actuators } = this;
    let c = 0;
    row[c++] = this.tickTime(i);
    for (let s = 0; s < sensors.length; s++) {
      row[c++] = this.counts[s];
      row[c++] = sensorValue(sensors[s], this.counts[s]);
    }
    for (let r = 0; r < this.ref.length; r++) row[c++] = this.ref[r];
    for (let j = 0; j < actuators.length; j++) {
      row[c++] = this.applied[j];
      row[c++] = actuatorValue(actuators[j], this.applied[j]);
    }
    row[c++] = this.lastRtt;
    row[c++] = this.lastLate;
    this.sink.write(row);
    this.ticksDone = i + 1;
  }

  /** Timing figures for metrics.json. */
  metrics(): Record<string, number | string | null> {
    return {
      ...this.rtt.summary('rtt'),
      ...this.jitter.summary('tick_jitter'),
      ...(this.pacing === 'board' ? this.turnaround.summary('host_turnaround') : {}),
      io_overruns: this.overruns,
      link_ticks: this.ticksDone,
      Ts_s: this.Ts,
    };
  }
}
