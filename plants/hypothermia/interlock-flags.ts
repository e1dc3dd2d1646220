/**
 * Interlock flags as the device reports them on its alarm output (plant input `alarm_code`, recorded
 * in run.csv). Each bit is one interlock; an event is a rising edge of its bit.
 */
export const INTERLOCK_BITS = {
  /** Plate below 5 °C: cooling cut. */
  plate_cold: 1,
  /** Heat sink above 60 °C: cooling cut. */
  sink_hot: 2,
  /** Rectal below 33 °C: cooling cut. */
  rectal_low: 4,
  /** Estimated brain below 30 °C: device stopped (latched). */
  brain_low_stop: 8,
} as const;

export type InterlockName = keyof typeof INTERLOCK_BITS;
