/** Protocol v1 frame types (docs/protocol.md §2). */
export const PROTOCOL_VERSION = 1;
/** Maximum line length in bytes, counting the final '\n' (and '\r' if sent). */
export const MAX_LINE_BYTES = 128;
export const SEQ_MODULO = 65536;

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
  | { readonly type: 'ERR'; readonly code: number; readonly text: string };

export type FrameType = Frame['type'];

/** ERR codes (docs/protocol.md §2.5). */
export const ErrCode = { crc: 1, toolong: 2, syntax: 3, arity: 4, range: 5, state: 6, version: 7 } as const;
