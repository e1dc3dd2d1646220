/**
 * The solar tracker's fuzzy decision in integer arithmetic, exactly as an 8-bit PIC runs it, so a
 * C generator can emit the same operations and produce the same position bit for bit.
 *
 * Algorithm (every quantity an unsigned integer; "/" is C's truncating division):
 *  1. Inputs are 8-bit ADC codes c ∈ [0, 255] (0–5 V → 00h–FFh).
 *  2. Breakpoints L < M < H are codes (default 4Ch, 80h, B3h = floor(V·256/5) of 1.5, 2.5, 3.5 V;
 *     the paper prints C3h for 3.5 V, available as the 'paper' reading). Memberships scaled to
 *     MU_ONE = 255, each fitting in 8 bits:
 *       low    = 255 if c ≤ L;  (M − c)·255/(M − L) if L < c < M;  0 if c ≥ M
 *       normal = 0 if c ≤ L or c ≥ H;  (c − L)·255/(M − L) if L < c ≤ M;  (H − c)·255/(H − M) if M < c < H
 *       high   = 0 if c ≤ M;  (c − M)·255/(H − M) if M < c < H;  255 if c ≥ H
 *     Products are at most 255·255 = 65025: 16-bit unsigned.
 *  3. Rule strength w_r = min(μ1, μ2, μ3) over the 27 rules (AND = min) [S].
 *  4. Weighted average (TVFI) [S]: W = Σ w_r (≤ 27·255 = 6885), P = Σ w_r·k_r with k_r the rule's
 *     Konum 0–4 (≤ 27540): both 16-bit unsigned.
 *  5. Position = (2·P + W)/(2·W), i.e. P/W rounded half up [R]; W = 0 cannot happen with these
 *     memberships but gives position 0 (the paper's fail-safe home).
 * The output angle for logs is 45°·P/W.
 */
export const MU_ONE = 255;

export interface Breakpoints {
  readonly low: number;
  readonly mid: number;
  readonly high: number;
}

/** floor(V·256/5): the ADC reading the paper's prose gives for 1.5, 2.5, 3.5 V. */
export const BREAKPOINTS_ADC: Breakpoints = { low: 0x4c, mid: 0x80, high: 0xb3 };
/** The paper's printed codes: 0xC3 for 3.5 V is really 3.82 V on the stated scale. */
export const BREAKPOINTS_PAPER: Breakpoints = { low: 0x4c, mid: 0x80, high: 0xc3 };

/** Writes low, normal, high (0–255) of code c into out[o..o+2]. */
export function membershipsInt(c: number, bp: Breakpoints, out: Int32Array, o: number): void {
  const { low: L, mid: M, high: H } = bp;
  if (c <= L) {
    out[o] = MU_ONE;
    out[o + 1] = 0;
    out[o + 2] = 0;
  } else if (c < M) {
    out[o] = (((M - c) * MU_ONE) / (M - L)) | 0;
    out[o + 1] = (((c - L) * MU_ONE) / (M - L)) | 0;
    out[o + 2] = 0;
  } else if (c === M) {
    out[o] = 0;
    out[o + 1] = MU_ONE;
    out[o + 2] = 0;
  } else if (c < H) {
    out[o] = 0;
    out[o + 1] = (((H - c) * MU_ONE) / (H - M)) | 0;
    out[o + 2] = (((c - M) * MU_ONE) / (H - M)) | 0;
  } else {
    out[o] = 0;
    out[o + 1] = 0;
    out[o + 2] = MU_ONE;
  }
}

/**
 * Scratch for one inference, allocated once: memberships (9) then W and P.
 * After `inferPositionInt`, scratch[9] = W and scratch[10] = P.
 */
export function makeScratch(): Int32Array {
  return new Int32Array(11);
}

/** The position index 0–4 for codes (c1, c2, c3). No allocation. */
export function inferPositionInt(
  c1: number,
  c2: number,
  c3: number,
  bp: Breakpoints,
  rules: readonly number[],
  scratch: Int32Array,
): number {
  membershipsInt(c1, bp, scratch, 0);
  membershipsInt(c2, bp, scratch, 3);
  membershipsInt(c3, bp, scratch, 6);
  let W = 0;
  let P = 0;
  for (let i1 = 0; i1 < 3; i1++) {
    const m1 = scratch[i1];
    if (m1 === 0) continue;
    for (let i2 = 0; i2 < 3; i2++) {
      const m2 = scratch[3 + i2];
      if (m2 === 0) continue;
      const m12 = m1 < m2 ? m1 : m2;
      for (let i3 = 0; i3 < 3; i3++) {
        const m3 = scratch[6 + i3];
        const w = m12 < m3 ? m12 : m3;
        W += w;
        P += w * rules[9 * i1 + 3 * i2 + i3];
      }
    }
  }
  scratch[9] = W;
  scratch[10] = P;
  if (W === 0) return 0;
  return ((2 * P + W) / (2 * W)) | 0;
}

/**
 * The winter fix's pre-processing, also integer: stretch the three codes so the brightest reads
 * 255 and the dimmest 0, c' = (c − min)·255/(max − min). Returns −1 for night (max < nightCode)
 * and −2 for no contrast (max − min < minContrast), else 0 with the stretched codes in out[0..2].
 */
export function stretchCodes(c1: number, c2: number, c3: number, nightCode: number, minContrast: number, out: Int32Array): number {
  const max = c1 > c2 ? (c1 > c3 ? c1 : c3) : c2 > c3 ? c2 : c3;
  const min = c1 < c2 ? (c1 < c3 ? c1 : c3) : c2 < c3 ? c2 : c3;
  if (max < nightCode) return -1;
  const span = max - min;
  if (span < minContrast) return -2;
  out[0] = (((c1 - min) * 255) / span) | 0;
  out[1] = (((c2 - min) * 255) / span) | 0;
  out[2] = (((c3 - min) * 255) / span) | 0;
  return 0;
}

/** Volts → 8-bit code as the PIC's left-justified ADC gives it: floor(V·256/5), clipped. */
export function adcCode8(volts: number, vref = 5): number {
  const c = Math.floor((volts * 256) / vref);
  return c < 0 ? 0 : c > 255 ? 255 : c;
}
