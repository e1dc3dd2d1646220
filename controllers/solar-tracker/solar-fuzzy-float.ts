import type { Controller, ControllerFactory } from '../controller.ts';
import { compile, readFll, type CompiledEngine } from '../fuzzy/index.ts';
import { optionalNumber, optionalString } from '../params.ts';
import { PositionLoop, type PositionLoopMode } from './position-loop.ts';
import { SOLAR_INPUTS, SOLAR_OUTPUTS } from './solar-fuzzy-controller.ts';
import { solarFll } from './solar-fll.ts';

/**
 * The float version of the paper's decision, through the fuzzy engine (solar-fll.ts), on the
 * voltages the ADC codes stand for; the Konum is the weighted average rounded half up. Same
 * position loop as the integer firmware. Reference for the integer version, not for the PIC.
 */
export class SolarFuzzyFloatController implements Controller {
  readonly inputs = SOLAR_INPUTS;
  readonly references: readonly string[] = [];
  readonly outputs = SOLAR_OUTPUTS;
  private readonly x = new Float64Array(3);
  private readonly out = new Float64Array(1);
  private tick = 0;
  private position = 0;

  constructor(
    readonly engine: CompiledEngine,
    private readonly loop: PositionLoop,
    private readonly decideEvery: number,
    private readonly stepsPerPosition: number,
  ) {}

  reset(): void {
    this.tick = 0;
    this.position = 0;
    this.engine.reset();
    this.loop.reset();
  }

  /** Weighted-average Konum (0–4, fractional) for three voltages. */
  konum(v1: number, v2: number, v3: number): number {
    this.x[0] = v1;
    this.x[1] = v2;
    this.x[2] = v3;
    this.engine.evaluate(this.x, this.out);
    return this.out[0];
  }

  update(y: Float64Array, _ref: Float64Array, t: number, u: Float64Array): void {
    if (this.tick % this.decideEvery === 0) {
      const k = this.konum(y[0], y[1], y[2]);
      this.position = k === k ? Math.floor(k + 0.5) : 0;
    }
    this.tick++;
    u[0] = this.loop.rate(this.position * this.stepsPerPosition, Math.round(y[3]), t);
    u[1] = this.position;
  }
}

export const solarFuzzyFloatFactory: ControllerFactory = {
  type: 'solar-fuzzy-float',
  description: 'Odabaş 2009 solar tracker decision in floating point through the fuzzy engine (FLL model), with the stepper position loop',
  create(p, ctx) {
    const reading = optionalString(p, 'breakpoints', ['adc', 'paper']) ?? 'adc';
    const engine = compile(readFll(solarFll(1.5, 2.5, reading === 'paper' ? (0xc3 * 5) / 256 : 3.5), 'solar-fll'));
    const mode = (optionalString(p, 'positionLoop', ['p', 'pid']) ?? 'p') as PositionLoopMode;
    const loop = new PositionLoop({
      mode,
      kp: optionalNumber(p, 'kp') ?? 1 / ctx.Ts,
      ki: optionalNumber(p, 'ki') ?? 0,
      kd: optionalNumber(p, 'kd') ?? 0,
      rateMax_sps: optionalNumber(p, 'rateMax_sps') ?? ctx.plantParams.step_rate_max_sps ?? 250,
      Ts: ctx.Ts,
    });
    const stepsPerRev = (ctx.plantParams.steps_per_rev ?? 200) * (ctx.plantParams.gear_ratio ?? 50);
    return new SolarFuzzyFloatController(engine, loop, Math.max(1, Math.round((optionalNumber(p, 'decideEvery_s') ?? 60) / ctx.Ts)), Math.round(stepsPerRev / 8));
  },
};
