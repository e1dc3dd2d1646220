import type { FirmwareLink } from '../../firmware-sim/firmware-link.ts';

/**
 * A link the command can stop between two ticks (Ctrl-C during `hil run`): the next tick throws a
 * link fault, so the run ends as a failed run with run.csv, link.ndjson and metrics.json written,
 * instead of the process dying with rows still in the writers' buffers.
 */
export class StoppableLink implements FirmwareLink {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  private stopReason: string | undefined;

  constructor(private readonly inner: FirmwareLink) {
    this.sensorCount = inner.sensorCount;
    this.actuatorCount = inner.actuatorCount;
  }

  stop(reason: string): void {
    this.stopReason = reason;
  }

  reset(): void {
    this.inner.reset();
  }

  tick(sensorCounts: Int32Array, ref: Float64Array, t: number): Int32Array | Promise<Int32Array> {
    if (this.stopReason !== undefined) throw Object.assign(new Error(this.stopReason), { linkFault: true, stopped: true });
    return this.inner.tick(sensorCounts, ref, t);
  }
}
