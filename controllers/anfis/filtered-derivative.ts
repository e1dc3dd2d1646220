/**
 * Derivative of a sampled signal through a first-order low-pass (time constant tau_s):
 *   d_k = α·d_{k−1} + (1 − α)·(y_k − y_{k−1})/Δt,  α = tau/(tau + Δt).
 * The same object computes the feature in the controller and, offline, from a recorded run, so an
 * ANFIS trained on logged data sees exactly what it will see in the loop. The first sample gives 0.
 */
export class FilteredDerivative {
  private prevY = 0;
  private prevT = 0;
  private d = 0;
  private started = false;

  constructor(readonly tau_s: number) {}

  reset(): void {
    this.started = false;
    this.d = 0;
  }

  step(y: number, t: number): number {
    if (!this.started) {
      this.started = true;
      this.prevY = y;
      this.prevT = t;
      this.d = 0;
      return 0;
    }
    const dt = t - this.prevT;
    if (dt > 0) {
      const alpha = this.tau_s / (this.tau_s + dt);
      this.d = alpha * this.d + ((1 - alpha) * (y - this.prevY)) / dt;
      this.prevY = y;
      this.prevT = t;
    }
    return this.d;
  }
}

/**
 * Running integral of a sampled signal with the caller's clock (backward rectangle rule:
 * I_k = I_{k−1} + y_k·(t_k − t_{k−1}); the first sample adds nothing). Shared, like
 * FilteredDerivative, by the controller and the offline feature extraction.
 */
export class RunningIntegral {
  private prevT = 0;
  private sum = 0;
  private started = false;

  reset(): void {
    this.started = false;
    this.sum = 0;
  }

  step(y: number, t: number): number {
    if (this.started) this.sum += y * (t - this.prevT);
    this.started = true;
    this.prevT = t;
    return this.sum;
  }
}
