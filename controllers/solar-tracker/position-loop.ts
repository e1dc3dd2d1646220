import { Pid } from '../pid/pid.ts';

/**
 * The stepper position loop [S: "PID controllers are used"; form R]. Every control period it turns
 * the step error into a signed step rate (steps/s), saturated at the motor's rate limit.
 * 'p' is integer arithmetic as the PIC would do it: rate = trunc(e·kpQ8/256) (kp in 1/s, Q8);
 * with kp = 1/Ts the move is dead-beat at the rate limit. 'pid' uses the float PID of controllers/pid.
 */
export type PositionLoopMode = 'p' | 'pid';

export interface PositionLoopOptions {
  readonly mode: PositionLoopMode;
  /** Proportional gain in 1/s (steps/s per step of error). */
  readonly kp: number;
  readonly ki: number;
  readonly kd: number;
  readonly rateMax_sps: number;
  readonly Ts: number;
}

export class PositionLoop {
  private readonly kpQ8: number;
  private readonly pid: Pid | undefined;

  constructor(private readonly o: PositionLoopOptions) {
    this.kpQ8 = Math.round(o.kp * 256);
    this.pid =
      o.mode === 'pid'
        ? new Pid({ kp: o.kp, ki: o.ki, kd: o.kd, outMin: -o.rateMax_sps, outMax: o.rateMax_sps, Ts_s: o.Ts, antiWindup: 'clamp' })
        : undefined;
  }

  reset(): void {
    this.pid?.reset();
  }

  /** Step rate command for a target and a measured step count (both whole steps). */
  rate(target_steps: number, steps: number, t: number): number {
    if (this.pid) return Math.round(this.pid.update(target_steps, steps, t));
    const e = target_steps - steps;
    const r = Math.trunc((e * this.kpQ8) / 256);
    const m = this.o.rateMax_sps;
    return r > m ? m : r < -m ? -m : r;
  }
}
