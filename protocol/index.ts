export { crc8, hex2 } from './crc8.ts';
export { newCounters, countersAsMetrics, type LinkCounters } from './counters.ts';
export { FrameDecoder, type Arity, type DecodeResult } from './decode.ts';
export { encodeFrame, encodeS, encodeX, frameBody, frameLine, referenceMicro, INT32_MAX, INT32_MIN } from './encode.ts';
export { ErrCode, MAX_LINE_BYTES, PROTOCOL_VERSION, SEQ_MODULO, type Frame, type FrameType } from './frames.ts';
