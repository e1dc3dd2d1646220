export { crc16, hex4 } from './crc16.ts';
export { newCounters, countersAsMetrics, type LinkCounters } from './counters.ts';
export { FrameDecoder, type Arity, type DecodeResult } from './decode.ts';
export { encodeFrame, encodeS, encodeX, frameBody, frameLine, referenceMicro, INT32_MAX, INT32_MIN } from './encode.ts';
export {
  BOARD_ID_PATTERN,
  ErrCode,
  FIRMWARE_ID_PATTERN,
  CRC_HEX_DIGITS,
  FRAME_TRAILER_BYTES,
  FRAME_TYPES,
  frameTypeOf,
  hilFirmwareId,
  IO_FIRMWARE_ID,
  isLineDamage,
  MAX_BODY_BYTES,
  MAX_HELLO_PERIOD_US,
  MAX_LINE_BYTES,
  MAX_WATCHDOG_MS,
  MICRO_PER_UNIT,
  periodMicros,
  PROTOCOL_VERSION,
  SEQ_MODULO,
  type FirmwareRole,
  type Frame,
  type FrameType,
} from './frames.ts';
