import { actuatorMaxCounts, actuatorMinCounts, type ActuatorChannel } from '../../firmware-sim/channels.ts';
import type { FirmwareLink } from '../../firmware-sim/firmware-link.ts';
import { encodeS, INT32_MAX, INT32_MIN, referenceMicro } from '../../protocol/encode.ts';
import { SEQ_MODULO } from '../../protocol/frames.ts';
import { RunStopped } from '../../errors/user-error.ts';
import { LinkError } from '../transport/errors.ts';
import type { SerialLink } from '../transport/serial-link.ts';
import type { Frame } from '../../protocol/frames.ts';
import { LatencyLog } from '../../run/latency.ts';

export interface LockstepOptions {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  /** The scenario's actuator channels: `A` counts outside their range are refused (docs/protocol.md §1). */
  readonly actuators?: readonly ActuatorChannel[];
  /** Reference names, for error messages. */
  readonly referenceNames: readonly string[];
  /** Pace ticks to the wall clock at this period (s); undefined = as fast as the board answers. */
  readonly realtimePeriod_s?: number;
  /** Called at once when a tick fails (before the run loop unwinds and writes its reports). */
  readonly onFault?: (e: Error, t: number, ticks: number) => void;
}

/**
 * `hil` mode: the controller runs in the board's firmware. Each tick sends `S <seq> <counts…>
 * <refs in micro-units…>` and resolves with the board's `A` counts; the simulation advances only
 * when the board has answered (docs/protocol.md §2.2). Round-trip times are logged per tick.
 */
export class LockstepLink implements FirmwareLink {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  readonly latency = new LatencyLog();
  /** Lateness of each tick's start behind its real-time slot (s), real-time pacing only. */
  readonly jitter = new LatencyLog();
  private readonly out: Int32Array;
  private readonly refs: Int32Array;
  private seq = 0;
  private t0Wall = 0;
  private readonly checkCounts: ((f: Frame) => string | undefined) | undefined;
  ticks = 0;

  constructor(
    private readonly link: SerialLink,
    private readonly opts: LockstepOptions,
  ) {
    this.sensorCount = opts.sensorCount;
    this.actuatorCount = opts.actuatorCount;
    this.out = new Int32Array(opts.actuatorCount);
    this.refs = new Int32Array(opts.referenceNames.length);
    const chans = opts.actuators;
    if (chans) {
      const lo = chans.map(actuatorMinCounts);
      const hi = chans.map(actuatorMaxCounts);
      this.checkCounts = (f) => {
        if (f.type !== 'A') return undefined;
        for (let j = 0; j < chans.length && j < f.values.length; j++) {
          const v = f.values[j];
          if (v < lo[j] || v > hi[j]) return `actuator '${chans[j].name}' = ${v} counts, outside its range ${lo[j]} … ${hi[j]}`;
        }
        return undefined;
      };
    }
  }

  reset(): void {
    this.seq = 0;
    this.ticks = 0;
    this.t0Wall = performance.now();
  }

  async tick(sensorCounts: Int32Array, ref: Float64Array, t: number): Promise<Int32Array> {
    for (let j = 0; j < this.refs.length; j++) {
      const r = referenceMicro(ref[j]);
      if (!(r >= INT32_MIN && r <= INT32_MAX)) {
        throw new RunStopped(`reference '${this.opts.referenceNames[j]}' = ${ref[j]} at t = ${t} s cannot travel to the board (micro-units must fit in int32: |ref| ≤ 2147.48)`);
      }
      this.refs[j] = r;
    }
    if (this.opts.realtimePeriod_s) {
      const due = this.t0Wall + this.ticks * this.opts.realtimePeriod_s * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      this.jitter.add(Math.max(0, performance.now() - due) / 1000);
    }
    const seq = this.seq;
    const line = encodeS(seq, sensorCounts, this.refs);
    const start = performance.now();
    let f;
    try {
      f = await this.link.request(line, 'A', seq, undefined, this.checkCounts);
    } catch (e) {
      this.opts.onFault?.(e as Error, t, this.ticks);
      throw e;
    }
    this.latency.add((performance.now() - start) / 1000);
    if (f.type === 'ERR') {
      throw new LinkError(`the board rejected tick ${seq} at t = ${t} s: ERR ${f.code} ${f.text}`, { boardError: true });
    }
    if (f.type !== 'A' || f.values.length !== this.actuatorCount) {
      throw new LinkError(`unexpected answer to tick ${seq}`, { boardError: true });
    }
    for (let j = 0; j < this.actuatorCount; j++) this.out[j] = f.values[j];
    this.seq = (seq + 1) % SEQ_MODULO;
    this.ticks++;
    return this.out;
  }
}
