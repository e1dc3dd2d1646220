import { RULE_POSITION, TERM_NAMES } from './rules.ts';

/**
 * The paper's fuzzy decision as a fuzzylite FLL model (floating point, volts): memberships of
 * eqs. 1–3 [S] with breakpoints in volts, AND = Minimum, 27 rules, Takagi–Sugeno constant outputs
 * (the Konum index) and WeightedAverage, i.e. the TVFI Σw·c/Σw of the paper. `high_V` = 3.5 is
 * the formulas' reading; 3.82 V is what the paper's 0xC3 code means on its own ADC scale.
 */
export function solarFll(low_V = 1.5, mid_V = 2.5, high_V = 3.5): string {
  const input = (name: string): string[] => [
    `InputVariable: ${name}`,
    '  enabled: true',
    '  range: 0.000 5.000',
    '  lock-range: false',
    `  term: low Ramp ${mid_V} ${low_V}`,
    `  term: normal Triangle ${low_V} ${mid_V} ${high_V}`,
    `  term: high Ramp ${mid_V} ${high_V}`,
  ];
  const rules: string[] = [];
  for (let r = 0; r < 27; r++) {
    const a = TERM_NAMES[Math.floor(r / 9)];
    const b = TERM_NAMES[Math.floor(r / 3) % 3];
    const c = TERM_NAMES[r % 3];
    rules.push(`  rule: if S1 is ${a} and S2 is ${b} and S3 is ${c} then konum is k${RULE_POSITION[r]}`);
  }
  return [
    'Engine: solar_tracker_odabas2009',
    ...input('S1'),
    ...input('S2'),
    ...input('S3'),
    'OutputVariable: konum',
    '  enabled: true',
    '  range: 0.000 4.000',
    '  lock-range: false',
    '  aggregation: none',
    '  defuzzifier: WeightedAverage TakagiSugeno',
    '  default: 0.000',
    '  lock-previous: false',
    '  term: k0 Constant 0.000',
    '  term: k1 Constant 1.000',
    '  term: k2 Constant 2.000',
    '  term: k3 Constant 3.000',
    '  term: k4 Constant 4.000',
    'RuleBlock: rules',
    '  enabled: true',
    '  conjunction: Minimum',
    '  disjunction: Maximum',
    '  implication: none',
    '  activation: General',
    ...rules,
    '',
  ].join('\n');
}
