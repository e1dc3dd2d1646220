/**
 * The simulated MCU's converters: sensor values → ADC counts (or digital counts), and actuator
 * counts ↔ plant input values. The same arithmetic is used by the host in every mode, so the
 * counts exchanged with a real board mean the same thing as in simulation.
 */
export interface SensorChannel {
  /** Engineering name the controller reads, e.g. 'x_meas_m'. */
  readonly name: string;
  /** Index of the plant output this channel samples. */
  readonly outputIndex: number;
  readonly kind: 'adc' | 'digital';
  /** ADC: resolution and full-scale voltage. */
  readonly bits: number;
  readonly vref: number;
  /** Digital: value of one count in the plant output's unit. */
  readonly lsb: number;
  /** Calibration from the converted value to engineering units: eng = gain·value + offset. */
  readonly gain: number;
  readonly offset: number;
}

export interface ActuatorChannel {
  /** Engineering name of the command, e.g. 'i_cmd_A'. */
  readonly name: string;
  /** Index of the plant input this channel drives. */
  readonly inputIndex: number;
  /**
   * 'pwm': the range [min, max] maps onto counts 0 … 2^bits − 1.
   * 'digital': counts are the command in units of `lsb` (signed), saturated to [min, max]
   * (step positions, wheel speeds in mm/s, position indices).
   */
  readonly kind: 'pwm' | 'digital';
  readonly min: number;
  readonly max: number;
  readonly bits: number;
  readonly lsb: number;
}

/** Quantises a sensor value to counts: ADCs truncate and clip like the AVR's (0 … 2^bits − 1). */
export function sensorCounts(ch: SensorChannel, value: number): number {
  if (ch.kind === 'digital') {
    const c = Math.round(value / ch.lsb);
    return c > 2147483647 ? 2147483647 : c < -2147483648 ? -2147483648 : c;
  }
  const full = 1 << ch.bits;
  const c = Math.floor((value / ch.vref) * full);
  return c < 0 ? 0 : c >= full ? full - 1 : c;
}

/** What the firmware reconstructs from counts, in engineering units. */
export function sensorValue(ch: SensorChannel, counts: number): number {
  const v = ch.kind === 'digital' ? counts * ch.lsb : (counts * ch.vref) / (1 << ch.bits);
  return ch.gain * v + ch.offset;
}

/** Highest count of the channel (PWM: 2^bits − 1; digital: max/lsb rounded). */
export function actuatorMaxCounts(ch: ActuatorChannel): number {
  if (ch.kind === 'digital') return Math.round(ch.max / ch.lsb);
  return ch.bits >= 31 ? 2147483647 : (1 << ch.bits) - 1;
}

/** Lowest count of the channel (PWM: 0; digital: min/lsb rounded). */
export function actuatorMinCounts(ch: ActuatorChannel): number {
  return ch.kind === 'digital' ? Math.round(ch.min / ch.lsb) : 0;
}

/** Command → counts, rounded to nearest and saturated to the converter's range. */
export function actuatorCounts(ch: ActuatorChannel, command: number): number {
  if (ch.kind === 'digital') {
    const c = Math.round(command / ch.lsb);
    const lo = actuatorMinCounts(ch);
    const hi = actuatorMaxCounts(ch);
    return c < lo ? lo : c > hi ? hi : c;
  }
  const top = actuatorMaxCounts(ch);
  const c = Math.round(((command - ch.min) / (ch.max - ch.min)) * top);
  return c < 0 ? 0 : c > top ? top : c;
}

/** Counts → the value applied to the plant input. */
export function actuatorValue(ch: ActuatorChannel, counts: number): number {
  if (ch.kind === 'digital') return counts * ch.lsb;
  return ch.min + (counts / actuatorMaxCounts(ch)) * (ch.max - ch.min);
}
