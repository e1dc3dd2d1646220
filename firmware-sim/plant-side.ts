import type { RowSink } from './recorder.ts';

/**
 * The plant's half of a run: what the run loop (run/loop.ts) drives once per control period.
 * Two implementations: the simulated plant with its simulated MCU (`SimulatedPlant`, here), and a
 * board used as sensors and actuators (`BoardPlant`, run/board-plant.ts, `io` mode). The other half
 * is a `FirmwareLink`. The side owns the recorded row layout and writes rows to its sink.
 */
export interface PlantSide {
  /** run.csv's columns; the first is always 't_s'. */
  readonly columns: readonly string[];
  /** Sensor counts of the current tick, written by `sample`. */
  readonly counts: Int32Array;
  /** References of the current tick: the loop writes them after `sample`, the side records them. */
  readonly ref: Float64Array;
  /** Control ticks in the whole run. */
  readonly ticks: number;
  /** Time of tick `i` in seconds. */
  tickTime(i: number): number;
  /** Called once before the first tick: writes the header to the sink. */
  begin(): void;
  /** Fills `counts` for tick `i` at time `t` (a board side awaits its answer). */
  sample(i: number, t: number): void | Promise<void>;
  /** The tick's actuator counts (the array may be reused by the link: copy what is kept). */
  actuate(out: Int32Array): void;
  /** Everything up to the next tick: plant steps and their rows, or the tick's row. */
  advance(i: number): void;
  /** Simulated (or board) time reached: the end of the last completed step or tick. */
  readonly tEnd: number;
  /** Called once when the run ends, normally or not: persists every row written. */
  end(): void;
}

export type { RowSink };
