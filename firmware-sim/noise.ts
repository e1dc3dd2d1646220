import type { Rng } from '../plants/plant.ts';

/**
 * Additive noise sources. `value(t)` is called at every use (each plant step for actuator noise,
 * each sample for sensor noise) and must not allocate. Random sources hold each draw for `hold_s`
 * seconds (0 = a fresh draw at every call), which is how the maglev seed's "random current noise"
 * is modelled.
 */
export interface NoiseSource {
  value(t: number): number;
  reset(): void;
}

abstract class HeldRandomNoise implements NoiseSource {
  private nextDraw_s = 0;
  private current = 0;
  constructor(
    protected readonly rng: Rng,
    private readonly hold_s: number,
  ) {}
  protected abstract draw(): number;
  value(t: number): number {
    if (this.hold_s <= 0) return this.draw();
    // A small tolerance keeps draws aligned with the hold grid despite floating-point time.
    if (t + 1e-12 >= this.nextDraw_s) {
      this.current = this.draw();
      this.nextDraw_s = (Math.floor(t / this.hold_s + 1e-9) + 1) * this.hold_s;
    }
    return this.current;
  }
  reset(): void {
    this.nextDraw_s = 0;
    this.current = 0;
  }
}

/** Uniform noise of peak-to-peak amplitude `pp`, centred on zero. */
export class UniformNoise extends HeldRandomNoise {
  constructor(rng: Rng, private readonly pp: number, hold_s: number) {
    super(rng, hold_s);
  }
  protected draw(): number {
    return (this.rng.uniform() - 0.5) * this.pp;
  }
}

/** Zero-mean Gaussian noise with standard deviation `sigma`. */
export class GaussianNoise extends HeldRandomNoise {
  constructor(rng: Rng, private readonly sigma: number, hold_s: number) {
    super(rng, hold_s);
  }
  protected draw(): number {
    return this.rng.gaussian() * this.sigma;
  }
}

/** Deterministic sine disturbance: amplitude·sin(2π·f·t + phase). */
export class SineNoise implements NoiseSource {
  constructor(
    private readonly amplitude: number,
    private readonly frequency_Hz: number,
    private readonly phase_rad: number,
  ) {}
  value(t: number): number {
    return this.amplitude * Math.sin(2 * Math.PI * this.frequency_Hz * t + this.phase_rad);
  }
  reset(): void {}
}
