/**
 * Safety interlocks of the hypothermia device [R] (plants.md §3). Each limits the Peltier command
 * and raises its flag (bit values match plants/hypothermia/interlock-flags.ts, the alarm output):
 *  1 plate below 5 °C → no cooling current until the plate is back above 5 °C + hysteresis
 *  2 heat sink above 60 °C → the device stops (zero current) and stays stopped (latched): the heat
 *    path has failed, and releasing would only pulse more heat into it (see docs/plants/hypothermia.md)
 *  4 rectal below 33 °C → no cooling current until it is above 33 °C + hysteresis
 *  8 estimated brain below 30 °C → the device stops (zero current) and stays stopped (latched)
 */
export interface InterlockLimits {
  readonly plateMin_C: number;
  readonly sinkMax_C: number;
  readonly rectalMin_C: number;
  readonly brainStop_C: number;
  readonly hysteresis_C: number;
}

export const DEFAULT_LIMITS: InterlockLimits = { plateMin_C: 5, sinkMax_C: 60, rectalMin_C: 33, brainStop_C: 30, hysteresis_C: 0.5 };

export const FLAG_PLATE = 1;
export const FLAG_SINK = 2;
export const FLAG_RECTAL = 4;
export const FLAG_BRAIN_STOP = 8;

export class Interlocks {
  /** Active flags after the last `apply`. */
  flags = 0;
  constructor(readonly limits: InterlockLimits = DEFAULT_LIMITS) {}

  reset(): void {
    this.flags = 0;
  }

  /** Returns the command allowed by the interlocks (positive current cools). */
  apply(I_cmd_A: number, T_rectal_C: number, T_plate_C: number, T_sink_C: number, T_brain_est_C: number): number {
    const L = this.limits;
    let f = this.flags;
    f = latch(f, FLAG_PLATE, T_plate_C < L.plateMin_C, T_plate_C > L.plateMin_C + L.hysteresis_C);
    if (T_sink_C > L.sinkMax_C) f |= FLAG_SINK;
    f = latch(f, FLAG_RECTAL, T_rectal_C < L.rectalMin_C, T_rectal_C > L.rectalMin_C + L.hysteresis_C);
    if (T_brain_est_C < L.brainStop_C) f |= FLAG_BRAIN_STOP;
    this.flags = f;
    if (f & (FLAG_BRAIN_STOP | FLAG_SINK)) return 0;
    if (f & (FLAG_PLATE | FLAG_RECTAL)) return I_cmd_A > 0 ? 0 : I_cmd_A;
    return I_cmd_A;
  }
}

function latch(flags: number, bit: number, trip: boolean, clear: boolean): number {
  if (trip) return flags | bit;
  if (clear) return flags & ~bit;
  return flags;
}
