/**
 * Protocol v2 (docs/protocol.md): its limits, frame types, error codes and roles. Everything that
 * speaks or generates the protocol (the host link, the firmware generator and its C templates, the
 * emulator) takes these from here instead of restating them.
 */
export const PROTOCOL_VERSION = 2;
/** Maximum line length in bytes, counting the final '\n' (and '\r' if sent). */
export const MAX_LINE_BYTES = 128;
/** Hex digits of the CRC-16 after the '*'. */
export const CRC_HEX_DIGITS = 4;
/** What follows a frame body on the line: '*', four hex digits of CRC, '\n'. */
export const FRAME_TRAILER_BYTES = 2 + CRC_HEX_DIGITS;
/** Longest frame body (everything before '*'). */
export const MAX_BODY_BYTES = MAX_LINE_BYTES - FRAME_TRAILER_BYTES;
/** Sequence numbers of S/A and X/M count modulo this (docs/protocol.md §3). */
export const SEQ_MODULO = 65536;
/** Longest watchdog period a WD frame may set, in ms (§2.4). */
export const MAX_WATCHDOG_MS = 60000;
/** Longest board-paced period an io host may ask for in `HELLO 2 <period_us>`, in µs (§2.1). */
export const MAX_HELLO_PERIOD_US = 1000000;
/**
 * References travel in S frames, and periods in READY/HELLO, as integers of micro-units (§2.2):
 * a reference must stay within ±(2^31 − 1)/10^6 of its unit.
 */
export const MICRO_PER_UNIT = 1e6;
/** Longest firmware and board names a READY may announce, and the characters they may use (§2.1). */
export const FIRMWARE_ID_PATTERN = /^[A-Za-z0-9._/-]{1,40}$/;
export const BOARD_ID_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

export type Frame =
  | { readonly type: 'HELLO'; readonly version: number }
  | {
      readonly type: 'READY';
      readonly version: number;
      readonly board: string;
      readonly firmware: string;
      readonly nSensors: number;
      readonly nActuators: number;
      readonly Ts_us: number;
      readonly nRefs: number;
    }
  | { readonly type: 'S' | 'A' | 'X' | 'M'; readonly seq: number; readonly values: readonly number[] }
  | { readonly type: 'WD'; readonly ms: number }
  | { readonly type: 'FAULT'; readonly reason: string }
  | {
      readonly type: 'ERR';
      readonly code: number;
      /** The seq of the S/X line this ERR answers; absent when it could not be read (`-` on the wire). */
      readonly seq?: number;
      readonly text: string;
      /** A protocol v1 ERR, which has no seq field: what a v1 board answers to `HELLO 2` (§2.5). */
      readonly v1?: true;
    };

export type FrameType = Frame['type'];

/** Every frame type; the record's keys make the compiler check the list is complete. */
const frameTypeSet: Record<FrameType, true> = { HELLO: true, READY: true, S: true, A: true, X: true, M: true, WD: true, FAULT: true, ERR: true };
export const FRAME_TYPES = Object.keys(frameTypeSet) as readonly FrameType[];

/** The frame type a line starts with (its first word), or undefined: for sniffers that need no full decode. */
export function frameTypeOf(lineOrWord: string): FrameType | undefined {
  const space = lineOrWord.indexOf(' ');
  const word = space < 0 ? lineOrWord : lineOrWord.slice(0, space);
  return Object.hasOwn(frameTypeSet, word) ? (word as FrameType) : undefined;
}

/** ERR codes (docs/protocol.md §2.5). */
export const ErrCode = { crc: 1, toolong: 2, syntax: 3, arity: 4, range: 5, state: 6, version: 7 } as const;

/**
 * ERR codes that mean the line was lost or damaged on the wire (crc … arity), not that the
 * request was refused: the host retransmits the same line (§2.5).
 */
export function isLineDamage(code: number): boolean {
  return code >= ErrCode.crc && code <= ErrCode.arity;
}

/** The two firmware roles: `hil` runs the controller on the board (S/A), `io` is the board as I/O (X/M). */
export type FirmwareRole = 'hil' | 'io';
/** The firmware id an io firmware announces in READY. */
export const IO_FIRMWARE_ID = 'io/generic';
/** The firmware id a hil firmware for scenario `name` announces in READY. */
export function hilFirmwareId(scenarioName: string): string {
  return `hil/${scenarioName}`;
}

/** Seconds → the integer micro-units a period travels as in HELLO/READY (JS rounding). */
export function periodMicros(seconds: number): number {
  return Math.round(seconds * MICRO_PER_UNIT);
}
