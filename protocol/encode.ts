import { crc16, hex4 } from './crc16.ts';
import { FRAME_TRAILER_BYTES, MAX_LINE_BYTES, MICRO_PER_UNIT, type Frame } from './frames.ts';

/** Appends '*HHHH\n' (the CRC-16) to a frame body. Throws if the result would exceed the line limit (a programming error). */
export function frameLine(body: string): string {
  if (body.length + FRAME_TRAILER_BYTES > MAX_LINE_BYTES) {
    throw new Error(`frame '${body.slice(0, 20)}…' is ${body.length + FRAME_TRAILER_BYTES} bytes, over the ${MAX_LINE_BYTES}-byte limit`);
  }
  return `${body}*${hex4(crc16(body))}\n`;
}

/** The canonical body of a frame (no CRC, no line end). */
export function frameBody(f: Frame): string {
  switch (f.type) {
    case 'HELLO':
      return `HELLO ${f.version}`;
    case 'READY':
      return `READY ${f.version} ${f.board} ${f.firmware} ${f.nSensors} ${f.nActuators} ${f.Ts_us} ${f.nRefs}`;
    case 'S':
    case 'A':
    case 'X':
    case 'M':
      return f.values.length ? `${f.type} ${f.seq} ${f.values.join(' ')}` : `${f.type} ${f.seq}`;
    case 'WD':
      return `WD ${f.ms}`;
    case 'FAULT':
      return `FAULT ${f.reason}`;
    case 'ERR':
      return f.v1 ? `ERR ${f.code} ${f.text}` : `ERR ${f.code} ${f.seq ?? '-'} ${f.text}`;
  }
}

export function encodeFrame(f: Frame): string {
  return frameLine(frameBody(f));
}

/** Lockstep request: sensor counts then references in micro-units (docs/protocol.md §2.2). */
export function encodeS(seq: number, sensors: ArrayLike<number>, refsMicro: ArrayLike<number>): string {
  let body = `S ${seq}`;
  for (let i = 0; i < sensors.length; i++) body += ` ${sensors[i]}`;
  for (let i = 0; i < refsMicro.length; i++) body += ` ${refsMicro[i]}`;
  return frameLine(body);
}

export function encodeX(seq: number, actuators: ArrayLike<number>): string {
  let body = `X ${seq}`;
  for (let i = 0; i < actuators.length; i++) body += ` ${actuators[i]}`;
  return frameLine(body);
}

/** A reference in engineering units → the integer that travels in S frames (micro-units, JS rounding). */
export function referenceMicro(ref: number): number {
  return Math.round(ref * MICRO_PER_UNIT) + 0; // + 0 turns -0 into 0
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
