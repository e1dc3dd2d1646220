import type { Controller } from '../../controllers/controller.ts';

export interface RelayOptions {
  /** Relay amplitude d (command units). */
  readonly amplitude: number;
  /** Command at the operating point u0; the relay switches between u0 + δ ± d. */
  readonly bias: number;
  /** Asymmetry δ (command units), for the static-gain estimate; 0 = symmetric relay. */
  readonly asymmetry: number;
  /** Hysteresis ε on the error (measurement units); 0 = ideal relay. */
  readonly hysteresis: number;
  /** 'direct': high output when the measurement is below the reference; 'reverse': the opposite. */
  readonly direction: 'direct' | 'reverse';
}

/**
 * The relay of Åström & Hägglund's autotuner (Automatica 20(5), 1984) as a `Controller`, so the
 * experiment runs in the same loop — simulated here, through the HIL link later — as the PID it
 * tunes. It reads and writes the same signals as the scenario's controller.
 */
export class RelayController implements Controller {
  readonly inputs: readonly string[];
  readonly references: readonly string[];
  readonly outputs: readonly string[];
  private high = true;

  constructor(
    names: { inputs: readonly string[]; references: readonly string[]; outputs: readonly string[] },
    readonly o: RelayOptions,
  ) {
    this.inputs = names.inputs;
    this.references = names.references;
    this.outputs = names.outputs;
  }

  reset(): void {
    this.high = true;
  }

  update(y: Float64Array, ref: Float64Array, _t: number, u: Float64Array): void {
    const e = this.o.direction === 'direct' ? ref[0] - y[0] : y[0] - ref[0];
    if (e > this.o.hysteresis) this.high = true;
    else if (e < -this.o.hysteresis) this.high = false;
    u[0] = this.o.bias + this.o.asymmetry + (this.high ? this.o.amplitude : -this.o.amplitude);
  }
}
