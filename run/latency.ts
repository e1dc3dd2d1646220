/** Bins per factor of 10 of the histogram: 0.5 % relative resolution. */
const BINS_PER_DECADE = 460;
const MIN_S = 1e-7;
const DECADES = 9; // 0.1 µs … 100 s
const BINS = BINS_PER_DECADE * DECADES;

/**
 * Per-tick durations (round trips, jitter) summarised with bounded memory, so a HIL run of days
 * keeps a flat footprint: count, mean and max exactly, percentiles from a logarithmic histogram
 * (nearest rank, the bin's geometric centre: within 0.25 % of the exact sample). Values within
 * ±0.1 µs count as 0; negative values (a board-paced answer early on its slot) have bins of their own.
 */
export class LatencyLog {
  /** Bins of values above 0.1 µs, of values below −0.1 µs (by magnitude), and the rest. */
  private readonly pos = new Float64Array(BINS + 1);
  private readonly neg = new Float64Array(BINS + 1);
  count = 0;
  private sum = 0;
  private max = -Infinity;
  private min = Infinity;

  add(v_s: number): void {
    this.count++;
    this.sum += v_s;
    if (v_s > this.max) this.max = v_s;
    if (v_s < this.min) this.min = v_s;
    if (v_s < 0) this.neg[binOf(-v_s)]++;
    else this.pos[binOf(v_s)]++;
  }

  /** p-quantile (0…1) by the nearest-rank method; NaN when empty. */
  quantile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.min(this.count, Math.max(1, Math.ceil(p * this.count)));
    let seen = 0;
    for (let b = BINS; b >= 1; b--) {
      seen += this.neg[b];
      if (seen >= rank) return Math.max(-valueOf(b), this.min);
    }
    seen += this.neg[0];
    for (let b = 0; b <= BINS; b++) {
      seen += this.pos[b];
      if (seen >= rank) return Math.max(Math.min(valueOf(b), this.max), this.min);
    }
    return this.max;
  }

  summary(prefix: string): Record<string, number | null> {
    const us = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e7) / 10 : null);
    return {
      [`${prefix}_count`]: this.count,
      [`${prefix}_mean_us`]: this.count ? us(this.sum / this.count) : null,
      [`${prefix}_p50_us`]: us(this.quantile(0.5)),
      [`${prefix}_p99_us`]: us(this.quantile(0.99)),
      [`${prefix}_max_us`]: this.count ? us(Math.max(0, this.max)) : null,
    };
  }
}

function binOf(v: number): number {
  if (!(v > MIN_S)) return 0;
  const b = Math.ceil(Math.log10(v / MIN_S) * BINS_PER_DECADE);
  return b > BINS ? BINS : b;
}

/** Geometric centre of bin b (0 for the first bin). */
function valueOf(b: number): number {
  if (b === 0) return 0;
  return MIN_S * 10 ** ((b - 0.5) / BINS_PER_DECADE);
}
