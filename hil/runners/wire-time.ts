import { actuatorMaxCounts, type ActuatorChannel, type SensorChannel } from '../../firmware-sim/channels.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { FRAME_TRAILER_BYTES, SEQ_MODULO } from '../../protocol/frames.ts';

/** 8N1: a start bit, eight data bits and a stop bit per byte. */
const BITS_PER_BYTE = 10;

/** How long one io tick's X and its M spend on the serial line, for the run's longest frames. */
export interface WireTime {
  readonly bytes: number;
  readonly seconds: number;
}

const digits = (n: number): number => String(Math.round(n)).length;

function sensorDigits(ch: SensorChannel): number {
  // A digital sensor's range is the plant's, not known here: one digit, so the estimate stays a lower bound for it.
  return ch.kind === 'adc' ? digits((1 << ch.bits) - 1) : 1;
}

function actuatorDigits(ch: ActuatorChannel): number {
  if (ch.kind === 'pwm') return digits(actuatorMaxCounts(ch));
  return Math.max(digits(ch.min / ch.lsb), digits(ch.max / ch.lsb));
}

/** Bytes of a frame line 'T <seq> <v1> … *HHHH\n' whose values have these decimal widths. */
function lineBytes(seqDigits: number, widths: readonly number[]): number {
  return 2 + seqDigits + widths.reduce((sum, w) => sum + 1 + w, 0) + FRAME_TRAILER_BYTES;
}

/**
 * The serial time of one io tick's exchange (X then M) at `baud`, with the run's highest sequence
 * number and each channel's widest count. A board cannot keep a period shorter than this, whatever
 * the host and the firmware do.
 */
export function exchangeWireTime(built: BuiltRun, baud: number): WireTime {
  const { Ts, duration } = built.scenario;
  const seqDigits = digits(Math.min(Math.max(Math.round(duration / Ts) - 1, 0), SEQ_MODULO - 1));
  const bytes = lineBytes(seqDigits, built.actuators.map(actuatorDigits)) + lineBytes(seqDigits, built.sensors.map(sensorDigits));
  return { bytes, seconds: (bytes * BITS_PER_BYTE) / baud };
}

/** A one-line warning when the exchange cannot fit in the period, else undefined. */
export function wireTimeWarning(built: BuiltRun, baud: number): string | undefined {
  const w = exchangeWireTime(built, baud);
  const Ts = built.scenario.Ts;
  if (w.seconds <= Ts) return undefined;
  const ms = (s: number) => `${+(s * 1000).toPrecision(3)} ms`;
  return (
    `at ${baud} baud one X/M exchange is up to ${w.bytes} bytes, ${ms(w.seconds)} on the serial line, ` +
    `longer than Ts = ${ms(Ts)}: the board cannot keep the period (raise Ts, or build the firmware for a higher baud rate and pass it with --baud)`
  );
}
