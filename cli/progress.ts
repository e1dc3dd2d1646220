import type { SingleBar } from 'cli-progress';
import { progressBar } from './signals.ts';

/**
 * The progress bar of a plain `run` on a terminal: shown only once the run has taken more than
 * two seconds of wall time (short runs print nothing extra), on stderr, in simulated seconds.
 */
export class RunProgress {
  private bar: SingleBar | undefined;
  private readonly start = performance.now();

  constructor(private readonly duration_s: number) {}

  update(t: number): void {
    if (!process.stderr.isTTY) return;
    if (!this.bar) {
      if (performance.now() - this.start < 2000) return;
      this.bar = progressBar('run [{bar}] {percentage}% | t {value} / {total} s | eta {eta_formatted}', { stream: process.stderr });
      this.bar.start(Number(this.duration_s.toPrecision(6)), 0);
    }
    this.bar.update(Number(t.toPrecision(6)));
  }

  stop(): void {
    this.bar?.stop();
  }
}
