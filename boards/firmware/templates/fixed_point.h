// Integer helpers of the fixed-point controllers. The TypeScript model in
// controllers/fixed-point/int-math.ts performs exactly these operations; keep them in step.
// Signed right shifts are arithmetic (round toward -infinity), as GCC defines them.
#ifndef HIL_FIXED_POINT_H
#define HIL_FIXED_POINT_H
#include <stdint.h>

#define FX_SAT 536870911L /* 2^29 - 1: four saturated Q16 terms add up without overflow */

static inline int32_t fx_sat(int32_t v) { return v > FX_SAT ? FX_SAT : v < -FX_SAT ? -FX_SAT : v; }
static inline int32_t fx_sat64(int64_t v) { return v > FX_SAT ? FX_SAT : v < -FX_SAT ? -FX_SAT : (int32_t)v; }
static inline int16_t fx_sat16(int32_t v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }
static inline int16_t fx_sat16_64(int64_t v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }

// sat(round(a*m / 2^sh)), rounding half up; sh < 0 scales up by 2^-sh (saturating, no overflow).
static inline int32_t fx_mul16(int16_t a, int16_t m, int8_t sh) {
  int32_t p = (int32_t)a * m;
  if (sh > 0) return fx_sat((p + (1L << (sh - 1))) >> sh);
  if (sh == 0) return fx_sat(p);
  int32_t lim = FX_SAT >> (-sh);
  if (p > lim) return FX_SAT;
  if (p < -lim) return -FX_SAT;
  return p * (1L << (-sh));
}

// sat(round(a*m / 2^sh)) for a 32-bit a: the product needs 64 bits.
static inline int32_t fx_mul32(int32_t a, int16_t m, int8_t sh) {
  int64_t p = (int64_t)a * m;
  if (sh > 0) p = (p + ((int64_t)1 << (sh - 1))) >> sh;
  return fx_sat64(p);
}

#endif
