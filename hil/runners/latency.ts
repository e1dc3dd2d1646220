/** Per-tick round-trip times, kept in a preallocated, growing buffer; percentiles at the end. */
export class LatencyLog {
  private buf = new Float64Array(4096);
  count = 0;

  add(rtt_s: number): void {
    if (this.count === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.count++] = rtt_s;
  }

  values(): Float64Array {
    return this.buf.subarray(0, this.count);
  }

  /** p-quantile (0…1) by the nearest-rank method; NaN when empty. */
  quantile(p: number): number {
    if (this.count === 0) return NaN;
    const sorted = Float64Array.from(this.values()).sort();
    const rank = Math.min(this.count - 1, Math.max(0, Math.ceil(p * this.count) - 1));
    return sorted[rank];
  }

  summary(prefix: string): Record<string, number | null> {
    const v = this.values();
    let sum = 0;
    let max = 0;
    for (let i = 0; i < v.length; i++) {
      sum += v[i];
      if (v[i] > max) max = v[i];
    }
    const us = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e7) / 10 : null);
    return {
      [`${prefix}_count`]: this.count,
      [`${prefix}_mean_us`]: this.count ? us(sum / this.count) : null,
      [`${prefix}_p50_us`]: us(this.quantile(0.5)),
      [`${prefix}_p99_us`]: us(this.quantile(0.99)),
      [`${prefix}_max_us`]: this.count ? us(max) : null,
    };
  }
}
