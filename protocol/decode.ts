import type { LinkCounters } from './counters.ts';
import { newCounters } from './counters.ts';
import { crc16 } from './crc16.ts';
import { BOARD_ID_PATTERN, CRC_HEX_DIGITS, FIRMWARE_ID_PATTERN, MAX_LINE_BYTES, MAX_WATCHDOG_MS, SEQ_MODULO, type Frame } from './frames.ts';

/** Expected value counts for the frames whose arity depends on the firmware (known after READY). */
export interface Arity {
  /** Values in an `S` frame (nSensors + nRefs); undefined accepts any count. */
  S?: number;
  A?: number;
  X?: number;
  M?: number;
}

export type DecodeResult = Frame | 'comment' | null;

const INT_RE = /^(?:0|-?[1-9][0-9]{0,9})$/;

/**
 * Turns one received line into a frame, or drops it and counts why. Never throws: every input,
 * however broken, ends in a counter. Only canonical lines are accepted (one space between fields,
 * canonical integers, upper-case CRC), so an accepted frame re-encodes to exactly the same line.
 */
export class FrameDecoder {
  readonly counters: LinkCounters;
  arity: Arity = {};

  constructor(counters: LinkCounters = newCounters()) {
    this.counters = counters;
  }

  /**
   * `line` is one line as received, without its '\n' (a trailing '\r' is allowed), each char
   * holding one byte (read the port as latin1 so that bytes ≥ 0x80 stay visible).
   */
  decode(line: string): DecodeResult {
    const c = this.counters;
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    // +1 for the '\n' the line reader removed.
    if (line.length + 1 > MAX_LINE_BYTES) {
      c.tooLong++;
      return null;
    }
    let star = -1;
    for (let i = 0; i < end; i++) {
      const b = line.charCodeAt(i);
      if (b < 0x20 || b > 0x7e) {
        c.nonAscii++;
        return null;
      }
      if (b === 0x2a && star < 0) star = i;
    }
    if (end > 0 && line.charCodeAt(0) === 0x23) {
      c.comments++;
      return 'comment';
    }
    if (star < 0 || star !== end - 1 - CRC_HEX_DIGITS) {
      c.badCrc++;
      return null;
    }
    let got = 0;
    for (let i = star + 1; i < end; i++) {
      const h = hexDigit(line.charCodeAt(i));
      if (h < 0) {
        c.badCrc++;
        return null;
      }
      got = (got << 4) | h;
    }
    if (got !== crc16(line, 0, star)) {
      c.badCrc++;
      return null;
    }
    const f = parseBody(line.slice(0, star), this.arity);
    if (!f) {
      c.malformed++;
      return null;
    }
    c.framesIn++;
    return f;
  }
}

function hexDigit(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 65 && b <= 70) return b - 55;
  return -1;
}

function int(s: string | undefined): number | undefined {
  if (s === undefined || !INT_RE.test(s)) return undefined;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

function nonNeg(s: string | undefined, max: number): number | undefined {
  const n = int(s);
  return n !== undefined && n >= 0 && n <= max ? n : undefined;
}

/** A frame body (everything before '*') → its frame, or null if it breaks the grammar (§1, §2). */
export function parseFrameBody(body: string, arity: Arity = {}): Frame | null {
  return parseBody(body, arity);
}

function parseBody(body: string, arity: Arity): Frame | null {
  const p = body.split(' ');
  for (let i = 0; i < p.length; i++) if (p[i].length === 0) return null; // double, leading or trailing space
  const type = p[0];
  switch (type) {
    case 'HELLO': {
      const version = nonNeg(p[1], 255);
      return p.length === 2 && version !== undefined ? { type, version } : null;
    }
    case 'READY': {
      // v1 hosts accept a missing nRefs (0) and ignore extra trailing fields (docs/protocol.md §2.1).
      if (p.length < 7) return null;
      const version = nonNeg(p[1], 255);
      const nSensors = nonNeg(p[4], 64);
      const nActuators = nonNeg(p[5], 64);
      const Ts_us = nonNeg(p[6], 2147483647);
      const nRefs = p.length > 7 ? nonNeg(p[7], 64) : 0;
      if (version === undefined || nSensors === undefined || nActuators === undefined || Ts_us === undefined || nRefs === undefined) return null;
      if (!BOARD_ID_PATTERN.test(p[2]) || !FIRMWARE_ID_PATTERN.test(p[3])) return null;
      return { type, version, board: p[2], firmware: p[3], nSensors, nActuators, Ts_us, nRefs };
    }
    case 'S':
    case 'A':
    case 'X':
    case 'M': {
      const seq = nonNeg(p[1], SEQ_MODULO - 1);
      if (seq === undefined) return null;
      const want = arity[type];
      if (want !== undefined && p.length - 2 !== want) return null;
      const values: number[] = new Array(p.length - 2);
      for (let i = 2; i < p.length; i++) {
        const v = int(p[i]);
        if (v === undefined) return null;
        values[i - 2] = v;
      }
      return { type, seq, values };
    }
    case 'WD': {
      const ms = nonNeg(p[1], MAX_WATCHDOG_MS);
      return p.length === 2 && ms !== undefined ? { type, ms } : null;
    }
    case 'FAULT':
      return p.length === 2 && /^[A-Z_]{1,32}$/.test(p[1]) ? { type, reason: p[1] } : null;
    case 'ERR': {
      // v2: ERR <code> <seq|-> <text>. A v1 board's ERR <code> <text> (its text never starts with a
      // digit or '-') is still read, so that its refusal of HELLO 2 can be reported as such.
      const code = nonNeg(p[1], 255);
      if (code === undefined || p.length < 3) return null;
      if (!/^[-0-9]/.test(p[2])) {
        const text = p.slice(2).join(' ');
        return text.length <= 40 ? { type, code, text, v1: true } : null;
      }
      const seq = p[2] === '-' ? undefined : nonNeg(p[2], SEQ_MODULO - 1);
      if ((p[2] !== '-' && seq === undefined) || p.length < 4) return null;
      const text = p.slice(3).join(' ');
      if (text.length > 40) return null;
      return seq === undefined ? { type, code, text } : { type, code, seq, text };
    }
    default:
      return null;
  }
}
