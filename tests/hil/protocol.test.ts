import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc16ccitt } from 'crc';
import { crc16, encodeFrame, encodeS, FrameDecoder, referenceMicro, type Frame } from '../../protocol/index.ts';

// CRC-16/CCITT-FALSE from the `crc` package, independent of the table-driven one under test.
const crcRef = (s: string) => crc16ccitt(Buffer.from(s, 'latin1'));
const hexCrc = (s: string) => crcRef(s).toString(16).toUpperCase().padStart(4, '0');

describe('CRC-16', () => {
  it('has the catalogued check value 0x29B1 for "123456789" (CRC-16/CCITT-FALSE)', () => {
    expect(crc16('123456789')).toBe(0x29b1);
  });
  it('agrees with the crc package', () => {
    for (const s of ['', 'HELLO 2', 'S 65535 1023 -250000', 'x'.repeat(122), '~ !#\x7f']) expect(crc16(s)).toBe(crcRef(s));
  });
});

describe('docs/protocol.md examples', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const block = doc.split('Examples (all CRCs below are correct):')[1].split('```')[1];
  const lines = block.trim().split('\n');
  it('every example decodes and re-encodes to itself', () => {
    expect(lines.length).toBeGreaterThanOrEqual(9);
    const d = new FrameDecoder();
    for (const l of lines) {
      const f = d.decode(l);
      expect(f, l).not.toBeNull();
      expect(encodeFrame(f as Frame)).toBe(`${l}\n`);
    }
  });
});

describe('FrameDecoder', () => {
  it('accepts a trailing \\r (Serial.println) and counts frames', () => {
    const d = new FrameDecoder();
    expect(d.decode('A 3 17 -4*' + hexCrc('A 3 17 -4') + '\r')).toEqual({ type: 'A', seq: 3, values: [17, -4] });
    expect(d.counters.framesIn).toBe(1);
  });
  it('rejects and counts: over-long, non-ASCII, bad CRC, malformed, comments', () => {
    const d = new FrameDecoder();
    const ok = encodeS(1, [512], [8000]).trimEnd();
    expect(d.decode('S 1 ' + '1 '.repeat(70) + '1*00')).toBeNull();
    expect(d.decode(ok.replace('S', '\u00d3'))).toBeNull();
    expect(d.decode(ok.slice(0, -1) + (ok.endsWith('0') ? '1' : '0'))).toBeNull();
    expect(d.decode(ok.toLowerCase())).toBeNull();
    expect(d.decode('S  1 512*' + hexCrc('S  1 512'))).toBeNull();
    expect(d.decode('S 01 512*' + hexCrc('S 01 512'))).toBeNull();
    expect(d.decode('S 65536 5*' + hexCrc('S 65536 5'))).toBeNull();
    expect(d.decode('# booting')).toBe('comment');
    expect(d.counters).toMatchObject({ tooLong: 1, nonAscii: 1, badCrc: 2, malformed: 3, comments: 1, framesIn: 0 });
  });
  it('checks the arity announced by READY', () => {
    const d = new FrameDecoder();
    d.arity = { A: 2 };
    expect(d.decode(encodeFrame({ type: 'A', seq: 0, values: [1] }).trimEnd())).toBeNull();
    expect(d.decode(encodeFrame({ type: 'A', seq: 0, values: [1, 2] }).trimEnd())).not.toBeNull();
  });
  it('a 128-byte line (with \\n) is accepted, a 129-byte one is not', () => {
    const d = new FrameDecoder();
    const line = (totalBytes: number) => {
      let body = 'M 1';
      // '*', four hex digits and '\n' follow the body.
      while (body.length + 2 + 6 <= totalBytes) body += ' 7';
      if (body.length + 6 < totalBytes) body += '7'; // widen the last value by one digit
      return body + '*' + hexCrc(body);
    };
    expect(line(128).length + 1).toBe(128);
    expect(line(129).length + 1).toBe(129);
    expect(d.decode(line(128))).not.toBeNull();
    expect(d.decode(line(129))).toBeNull();
    expect(d.counters).toMatchObject({ tooLong: 1, framesIn: 1 });
  });
  it('references travel in micro-units with JS rounding', () => {
    expect(referenceMicro(0.008)).toBe(8000);
    expect(referenceMicro(-0.0000005)).toBe(0);
    expect(referenceMicro(1.5e-6)).toBe(2);
  });
});

describe('ERR frames (docs/protocol.md §2.5)', () => {
  const line = (body: string) => `${body}*${hexCrc(body)}`;
  it('carry the seq of the S/X they answer, or "-" when the board could not read one', () => {
    const d = new FrameDecoder();
    expect(d.decode(line('ERR 1 220 crc'))).toEqual({ type: 'ERR', code: 1, seq: 220, text: 'crc' });
    expect(d.decode(line('ERR 6 65535 faulted'))).toEqual({ type: 'ERR', code: 6, seq: 65535, text: 'faulted' });
    const noSeq = d.decode(line('ERR 3 - syntax'));
    expect(noSeq).toEqual({ type: 'ERR', code: 3, text: 'syntax' });
    expect(noSeq).not.toHaveProperty('seq');
    expect(encodeFrame({ type: 'ERR', code: 1, seq: 220, text: 'crc' })).toBe(`${line('ERR 1 220 crc')}\n`);
    expect(encodeFrame({ type: 'ERR', code: 3, text: 'syntax' })).toBe(`${line('ERR 3 - syntax')}\n`);
  });
  it('a v1 board’s ERR without the seq field is still read (its answer to HELLO 2), and re-encodes as sent', () => {
    const d = new FrameDecoder();
    const f = d.decode(line('ERR 7 version'));
    expect(f).toEqual({ type: 'ERR', code: 7, text: 'version', v1: true });
    expect(encodeFrame(f as Frame)).toBe(`${line('ERR 7 version')}\n`);
  });
  it('a seq out of range, a non-canonical one, or no text is malformed', () => {
    const d = new FrameDecoder();
    for (const body of ['ERR 1 65536 crc', 'ERR 1 07 crc', 'ERR 1 -1 crc', 'ERR 1 220', 'ERR 1 -', `ERR 1 5 ${'x'.repeat(41)}`]) expect(d.decode(line(body)), body).toBeNull();
    expect(d.counters.malformed).toBe(6);
  });
});
