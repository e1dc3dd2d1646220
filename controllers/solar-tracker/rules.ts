/**
 * The 27 rules of Odabaş et al. 2009, Tablo 1 [S] (transcribed independently in tests/plants/solar/fixtures/solar_rules.csv):
 * S1 S2 S3 memberships (0 low, 1 normal, 2 high) → Konum 0–4 (0°, 45°, 90°, 135°, 180°).
 * Rule r (0-based) has S1 = r/9, S2 = (r/3) mod 3, S3 = r mod 3, so the table is indexed
 * RULE_POSITION[9·i1 + 3·i2 + i3].
 */
export const RULE_POSITION: readonly number[] = [
  // S1 low
  0, 4, 4, /* S2 low:    LLL LLN LLH */
  2, 2, 4, /* S2 normal: LNL LNN LNH */
  2, 2, 3, /* S2 high:   LHL LHN LHH */
  // S1 normal
  1, 0, 0, /* NLL NLN NLH */
  2, 2, 3, /* NNL NNN NNH */
  2, 2, 2, /* NHL NHN NHH */
  // S1 high
  1, 0, 0, /* HLL HLN HLH */
  1, 1, 0, /* HNL HNN HNH */
  2, 2, 0, /* HHL HHN HHH */
];

export const POSITION_STEP_DEG = 45;
export const TERM_NAMES = ['low', 'normal', 'high'] as const;
