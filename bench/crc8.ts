/**
 * CRC-8/SMBUS: polynomial 0x07, initial value 0, no reflection, no final XOR: protocol v1's check,
 * kept for `npm run bench -- crc`, which compares it with v2's CRC-16.
 */
const table = (() => {
  const t = new Uint8Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let i = 0; i < 8; i++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    t[n] = c;
  }
  return t;
})();

/** CRC of the char codes of `s` from `start` to `end` (exclusive); callers pass ASCII only. */
export function crc8(s: string, start = 0, end = s.length): number {
  let c = 0;
  for (let i = start; i < end; i++) c = table[(c ^ s.charCodeAt(i)) & 0xff];
  return c;
}
