import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BREAKPOINTS_ADC, BREAKPOINTS_PAPER, inferPositionInt, makeScratch, type Breakpoints } from '../../../controllers/solar-tracker/fuzzy-int.ts';
import { RULE_POSITION } from '../../../controllers/solar-tracker/rules.ts';


// A hand transcription of the documented algorithm (fuzzy-int.ts) in C with 8/16-bit unsigned
// types, as a PIC or AVR compiler would see it: every intermediate must fit in uint16_t.
const C_SOURCE = (bp: Breakpoints) => `
#include <stdint.h>
#include <stdio.h>
static const uint8_t RULES[27] = {${RULE_POSITION.join(',')}};
#define L ${bp.low}u
#define M ${bp.mid}u
#define H ${bp.high}u
static void mu(uint8_t c, uint8_t *m) {
  if (c <= L) { m[0] = 255; m[1] = 0; m[2] = 0; }
  else if (c < M) { m[0] = (uint8_t)((uint16_t)((uint16_t)(M - c) * 255u) / (uint16_t)(M - L));
                    m[1] = (uint8_t)((uint16_t)((uint16_t)(c - L) * 255u) / (uint16_t)(M - L)); m[2] = 0; }
  else if (c == M) { m[0] = 0; m[1] = 255; m[2] = 0; }
  else if (c < H) { m[0] = 0; m[1] = (uint8_t)((uint16_t)((uint16_t)(H - c) * 255u) / (uint16_t)(H - M));
                    m[2] = (uint8_t)((uint16_t)((uint16_t)(c - M) * 255u) / (uint16_t)(H - M)); }
  else { m[0] = 0; m[1] = 0; m[2] = 255; }
}
static uint8_t decide(uint8_t c1, uint8_t c2, uint8_t c3) {
  uint8_t m[9]; uint16_t W = 0, P = 0;
  mu(c1, m); mu(c2, m + 3); mu(c3, m + 6);
  for (uint8_t r = 0; r < 27; r++) {
    uint8_t w = m[r / 9]; uint8_t b = m[3 + (r / 3) % 3]; uint8_t c = m[6 + r % 3];
    if (b < w) w = b; if (c < w) w = c;
    W = (uint16_t)(W + w); P = (uint16_t)(P + (uint16_t)w * RULES[r]);
  }
  if (W == 0) return 0;
  return (uint8_t)((uint16_t)(2u * P + W) / (uint16_t)(2u * W));
}
int main(void) {
  for (unsigned a = 0; a < 256; a += 3) for (unsigned b = 0; b < 256; b += 3) for (unsigned c = 0; c < 256; c += 3)
    putchar('0' + decide((uint8_t)a, (uint8_t)b, (uint8_t)c));
  return 0;
}
`;

describe('solar integer firmware: C parity', () => {
  it('a C transcription with uint8/uint16 arithmetic gives the same position for every sampled code triple', () => {
    for (const bp of [BREAKPOINTS_ADC, BREAKPOINTS_PAPER]) {
      const dir = mkdtempSync(join(tmpdir(), 'solar-c-'));
      writeFileSync(join(dir, 'f.c'), C_SOURCE(bp));
      const cc = spawnSync('gcc', ['-O1', '-Wall', '-o', join(dir, 'f'), join(dir, 'f.c')], { encoding: 'utf8' });
      expect(cc.status, cc.stderr).toBe(0);
      const out = spawnSync(join(dir, 'f'), [], { encoding: 'utf8', maxBuffer: 1 << 24 }).stdout;
      const s = makeScratch();
      let i = 0;
      let mismatches = 0;
      for (let a = 0; a < 256; a += 3)
        for (let b = 0; b < 256; b += 3)
          for (let c = 0; c < 256; c += 3) if (out.charCodeAt(i++) - 48 !== inferPositionInt(a, b, c, bp, RULE_POSITION, s)) mismatches++;
      expect(i).toBe(out.length);
      expect(mismatches).toBe(0);
    }
  });

  it('every intermediate of the documented algorithm fits 16 bits unsigned', () => {
    expect(255 * 255).toBeLessThan(65536);
    const W = 27 * 255;
    const P = 4 * W;
    expect(2 * P + W).toBeLessThan(65536);
  });
});
