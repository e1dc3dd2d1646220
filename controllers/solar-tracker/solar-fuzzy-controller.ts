import type { Controller, ControllerFactory } from '../controller.ts';
import { optionalNumber, optionalString } from '../params.ts';
import { BREAKPOINTS_ADC, BREAKPOINTS_PAPER, adcCode8, inferPositionInt, makeScratch, stretchCodes, type Breakpoints } from './fuzzy-int.ts';
import { PositionLoop, type PositionLoopMode } from './position-loop.ts';
import { RULE_POSITION } from './rules.ts';

/** Sensor and actuator names of the solar scenarios. */
export const SOLAR_INPUTS = ['S1_meas_V', 'S2_meas_V', 'S3_meas_V', 'steps_meas'] as const;
export const SOLAR_OUTPUTS = ['step_rate_cmd_sps', 'lcd_cmd'] as const;

export type SolarDecision = 'seed' | 'winter-fix';

export interface SolarFuzzyOptions {
  readonly decision: SolarDecision;
  readonly breakpoints: Breakpoints;
  /** Fuzzy decision every this many control periods; the position loop runs every period. */
  readonly decideEvery: number;
  readonly stepsPerPosition: number;
  readonly loop: PositionLoop;
  /** Winter fix: below this code on every sensor it is night (panel home, like rule LLL). */
  readonly nightCode: number;
  /** Winter fix: with less spread than this between sensors the sky is diffuse; the panel lies flat (90°). */
  readonly minContrast: number;
}

/**
 * The paper's PIC firmware as a controller: 8-bit codes → integer fuzzy decision (fuzzy-int.ts) →
 * target position → stepper position loop. 'winter-fix' stretches the three codes between their
 * minimum and maximum before the same fuzzy decision, so a low winter sun no longer reads
 * "all low = night"; true darkness and a contrast-free (overcast) sky are handled explicitly.
 * The LCD output shows the chosen position index.
 */
export class SolarFuzzyController implements Controller {
  readonly inputs = SOLAR_INPUTS;
  readonly references: readonly string[] = [];
  readonly outputs = SOLAR_OUTPUTS;
  private readonly scratch = makeScratch();
  private readonly stretched = new Int32Array(3);
  private tick = 0;
  private position = 0;

  constructor(readonly o: SolarFuzzyOptions) {}

  reset(): void {
    this.tick = 0;
    this.position = 0;
    this.o.loop.reset();
  }

  /** The decision for three 8-bit codes: position index 0–4. */
  decide(c1: number, c2: number, c3: number): number {
    const bp = this.o.breakpoints;
    if (this.o.decision === 'seed') return inferPositionInt(c1, c2, c3, bp, RULE_POSITION, this.scratch);
    const s = stretchCodes(c1, c2, c3, this.o.nightCode, this.o.minContrast, this.stretched);
    if (s === -1) return 0;
    if (s === -2) return 2;
    return inferPositionInt(this.stretched[0], this.stretched[1], this.stretched[2], bp, RULE_POSITION, this.scratch);
  }

  update(y: Float64Array, _ref: Float64Array, t: number, u: Float64Array): void {
    if (this.tick % this.o.decideEvery === 0) this.position = this.decide(adcCode8(y[0]), adcCode8(y[1]), adcCode8(y[2]));
    this.tick++;
    const target = this.position * this.o.stepsPerPosition;
    u[0] = this.o.loop.rate(target, Math.round(y[3]), t);
    u[1] = this.position;
  }
}

function makeFactory(type: string, decision: SolarDecision, description: string): ControllerFactory {
  return {
    type,
    description,
    create(p, ctx) {
      const reading = optionalString(p, 'breakpoints', ['adc', 'paper']) ?? 'adc';
      const decideEvery_s = optionalNumber(p, 'decideEvery_s') ?? 60;
      const decideEvery = Math.max(1, Math.round(decideEvery_s / ctx.Ts));
      const mode = (optionalString(p, 'positionLoop', ['p', 'pid']) ?? 'p') as PositionLoopMode;
      const rateMax_sps = optionalNumber(p, 'rateMax_sps') ?? ctx.plantParams.step_rate_max_sps ?? 250;
      const stepsPerRev = (ctx.plantParams.steps_per_rev ?? 200) * (ctx.plantParams.gear_ratio ?? 50);
      const loop = new PositionLoop({
        mode,
        kp: optionalNumber(p, 'kp') ?? 1 / ctx.Ts,
        ki: optionalNumber(p, 'ki') ?? 0,
        kd: optionalNumber(p, 'kd') ?? 0,
        rateMax_sps,
        Ts: ctx.Ts,
      });
      return new SolarFuzzyController({
        decision,
        breakpoints: reading === 'paper' ? BREAKPOINTS_PAPER : BREAKPOINTS_ADC,
        decideEvery,
        stepsPerPosition: Math.round(stepsPerRev / 8),
        loop,
        nightCode: optionalNumber(p, 'nightCode') ?? 16,
        minContrast: optionalNumber(p, 'minContrast') ?? 4,
      });
    },
  };
}

export const solarFuzzyPicFactory = makeFactory(
  'solar-fuzzy-pic',
  'seed',
  "Odabaş 2009 solar tracker firmware: 8-bit codes, integer memberships, 27 rules, min-AND, weighted average, stepper P/PID loop",
);

export const solarWinterFixFactory = makeFactory(
  'solar-winter-fix',
  'winter-fix',
  'solar tracker firmware with the sensor codes stretched min→0, max→255 before the same integer fuzzy decision (fixes the winter parking)',
);
