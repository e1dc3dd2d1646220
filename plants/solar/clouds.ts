/**
 * Two-state (clear/cloudy) Markov cloud process [R] on a fixed time grid. When cloudy, DNI is
 * multiplied by a factor drawn uniformly in [dniMin, dniMax] for the whole cloudy spell and DHI by
 * `dhiFactor` (plants.md §2: 0.1–0.3 and 1.5).
 *
 * The timeline is generated in order from its own seed, so it is a pure function of (seed, time)
 * however the simulator queries it: the plant stays stateless and a run can be reset.
 * A local generator (mulberry32) is used because plants import nothing from firmware-sim.
 */
export interface CloudOptions {
  readonly seed: number;
  /** Mean spells in hours; 0 for clearToCloudy disables clouds. */
  readonly meanClear_h: number;
  readonly meanCloudy_h: number;
  readonly dniMin: number;
  readonly dniMax: number;
  readonly dhiFactor: number;
  readonly step_s: number;
}

export class CloudTimeline {
  private dni = new Float32Array(0);
  private count = 0;
  private state = 0; // 0 clear, 1 cloudy
  private factor = 1;
  private rngState: number;
  readonly enabled: boolean;

  constructor(private readonly o: CloudOptions) {
    this.rngState = o.seed >>> 0;
    this.enabled = o.meanClear_h > 0 && o.meanCloudy_h > 0;
  }

  private next(): number {
    // mulberry32 (Tommy Ettinger, public domain)
    let t = (this.rngState = (this.rngState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private ensure(i: number): void {
    if (i < this.count) return;
    const size = Math.max(i + 1, this.count + Math.ceil(86400 / this.o.step_s));
    const b = new Float32Array(size);
    b.set(this.dni.subarray(0, this.count));
    this.dni = b;
    const pOn = this.o.step_s / (this.o.meanClear_h * 3600);
    const pOff = this.o.step_s / (this.o.meanCloudy_h * 3600);
    for (let k = this.count; k < size; k++) {
      const r = this.next();
      if (this.state === 0 && r < pOn) {
        this.state = 1;
        this.factor = this.o.dniMin + (this.o.dniMax - this.o.dniMin) * this.next();
      } else if (this.state === 1 && r < pOff) {
        this.state = 0;
        this.factor = 1;
      }
      this.dni[k] = this.state ? this.factor : 1;
    }
    this.count = size;
  }

  /** DNI multiplier at time t (1 when clear). */
  dniFactor(t_s: number): number {
    if (!this.enabled) return 1;
    const i = Math.floor((t_s < 0 ? 0 : t_s) / this.o.step_s);
    this.ensure(i);
    return this.dni[i];
  }

  /** DHI multiplier at time t. */
  dhiFactor(t_s: number): number {
    return this.dniFactor(t_s) < 1 ? this.o.dhiFactor : 1;
  }
}
