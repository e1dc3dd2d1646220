import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../firmware-sim/rng.ts';
import { encodeFrame, FrameDecoder, type Frame } from '../../protocol/index.ts';

// 10^6 random and mutated lines into the decoder: no exception, and no corrupted frame accepted.
// CRC-16 detects every error burst of at most 16 bits, so single-byte substitutions and bursts of
// up to 16 adjacent bits must never pass. Other damage (deleted, inserted, swapped bytes) passes a
// 16-bit CRC with probability about 1/65536 by construction; for those we assert the rate stays
// near that bound (protocol v1's CRC-8 let about 1/256 through) and that anything accepted is a
// canonical frame (re-encodes to the very same line).
const rng = new Xoshiro128(20261123);
const int = (n: number) => Math.floor(rng.uniform() * n);

function randomFrame(): Frame {
  const seq = int(65536);
  const vals = (n: number) => Array.from({ length: n }, () => (rng.uniform() < 0.2 ? -int(100000) : int(1024)));
  switch (int(7)) {
    case 0:
      return { type: 'S', seq, values: vals(1 + int(6)) };
    case 1:
      return { type: 'A', seq, values: vals(1 + int(4)) };
    case 2:
      return { type: 'M', seq, values: vals(1 + int(6)) };
    case 3:
      return { type: 'READY', version: 2, board: 'uno', firmware: 'hil/maglev', nSensors: 1, nActuators: 1, Ts_us: 1000, nRefs: 1 };
    case 4:
      return { type: 'WD', ms: int(60001) };
    case 5:
      return rng.uniform() < 0.5 ? { type: 'ERR', code: 1 + int(7), seq, text: 'faulted' } : { type: 'ERR', code: 1 + int(7), text: 'crc' };
    default:
      return { type: 'FAULT', reason: 'WATCHDOG' };
  }
}

function setChar(s: string, i: number, ch: number): string {
  return s.slice(0, i) + String.fromCharCode(ch) + s.slice(i + 1);
}

describe('decoder under 10^6 random and mutated lines', () => {
  it('never throws and never accepts a corrupted frame', () => {
    const d = new FrameDecoder();
    let guaranteed = 0;
    let guaranteedAccepted = 0;
    let weak = 0;
    let weakAccepted = 0;
    let randomAccepted = 0;
    let total = 0;
    for (let n = 0; n < 1_000_000; n++) {
      total++;
      const kind = n % 4;
      if (kind === 0) {
        // Random bytes of random length, sometimes from the frame alphabet to get past the early checks.
        const len = int(140);
        let s = '';
        const alpha = rng.uniform() < 0.5;
        for (let i = 0; i < len; i++) s += alpha ? ' 0123456789-*SAMXRDYWERFHLO#\r'[int(29)] : String.fromCharCode(int(256));
        const f = d.decode(s);
        if (f && f !== 'comment') {
          randomAccepted++;
          expect(encodeFrame(f).trimEnd()).toBe(s);
        }
        continue;
      }
      const good = encodeFrame(randomFrame()).trimEnd();
      let bad: string;
      if (kind === 1) {
        // One byte replaced by a different byte (one burst of ≤ 8 bits).
        const i = int(good.length);
        let ch = int(256);
        if (ch === good.charCodeAt(i)) ch = (ch + 1) & 0xff;
        bad = setChar(good, i, ch);
        if (bad.charCodeAt(0) === 0x23) continue; // a line turned into a '#' comment is not a frame
        guaranteed++;
        const f = d.decode(bad);
        if (f && f !== 'comment') guaranteedAccepted++;
      } else if (kind === 2) {
        // A burst of 2…16 adjacent bits flipped, possibly straddling three bytes.
        const bits = good.length * 8;
        const width = 2 + int(15);
        const start = int(bits - width + 1);
        const codes = Array.from(good, (c) => c.charCodeAt(0));
        codes[Math.floor(start / 8)] ^= 0x80 >> start % 8; // first and last bit of a burst are flipped
        const last = start + width - 1;
        codes[Math.floor(last / 8)] ^= 0x80 >> last % 8;
        for (let b = start + 1; b < last; b++) if (rng.uniform() < 0.5) codes[Math.floor(b / 8)] ^= 0x80 >> b % 8;
        bad = String.fromCharCode(...codes);
        if (bad.charCodeAt(0) === 0x23) continue;
        guaranteed++;
        const f = d.decode(bad);
        if (f && f !== 'comment') guaranteedAccepted++;
      } else {
        // Deletion, insertion, swap of two bytes, or truncation: not guaranteed by an 8-bit CRC.
        const i = int(good.length);
        const m = int(4);
        if (m === 0) bad = good.slice(0, i) + good.slice(i + 1);
        else if (m === 1) bad = good.slice(0, i) + ' 0123456789-'[int(12)] + good.slice(i);
        else if (m === 2) {
          const j = int(good.length);
          const a = Array.from(good);
          [a[i], a[j]] = [a[j], a[i]];
          bad = a.join('');
        } else bad = good.slice(0, i);
        if (bad === good) continue;
        weak++;
        const f = d.decode(bad);
        if (f && f !== 'comment') {
          weakAccepted++;
          expect(encodeFrame(f).trimEnd()).toBe(bad);
        }
      }
    }
    expect(total).toBe(1_000_000);
    expect(guaranteed).toBeGreaterThan(450_000);
    expect(guaranteedAccepted).toBe(0);
    expect(weak).toBeGreaterThan(200_000);
    expect(weakAccepted / weak).toBeLessThan(20 / 65536);
    expect(randomAccepted).toBeLessThan(50);
    const c = d.counters;
    // Everything that was not accepted was counted under exactly one reason.
    const dropped = c.tooLong + c.nonAscii + c.badCrc + c.malformed + c.comments;
    expect(dropped + c.framesIn).toBe(guaranteed + weak + 250_000);
  });
});
