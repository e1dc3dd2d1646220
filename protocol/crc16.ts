/**
 * CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR
 * (docs/protocol.md §1). By table: one lookup per byte on the decoder's hot path, where the `crc`
 * package would convert every line to a Buffer (tests check this table against that package).
 */
const table = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let i = 0; i < 8; i++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  return t;
})();

/** CRC of the char codes of `s` from `start` to `end` (exclusive); callers pass ASCII only. */
export function crc16(s: string, start = 0, end = s.length): number {
  let c = 0xffff;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ table[((c >> 8) ^ s.charCodeAt(i)) & 0xff];
  return c;
}

const HEX = '0123456789ABCDEF';

/** Four upper-case hex digits, as the CRC travels. */
export function hex4(n: number): string {
  return HEX[(n >> 12) & 15] + HEX[(n >> 8) & 15] + HEX[(n >> 4) & 15] + HEX[n & 15];
}
