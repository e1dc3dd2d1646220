/**
 * What the trainers need from a random source. Structurally the same as plants' `Rng` and
 * firmware-sim's Xoshiro128, so a caller passes one of those; controllers import no other room.
 */
export interface UniformRng {
  /** Uniform in [0, 1). */
  uniform(): number;
}
