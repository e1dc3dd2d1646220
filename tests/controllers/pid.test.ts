import { describe, expect, it } from 'vitest';
import type { Controller } from '../../controllers/controller.ts';
import { Pid } from '../../controllers/pid/pid.ts';
import { buildFromObject, linearLoop, runInMemory } from '../helpers/scenario.ts';

/**
 * Arduino PID_v1 (br3ttb/Arduino-PID-Library 1.2.1) Compute(), transcribed as the external reference:
 * gains scaled by the sample time in SetTunings, backward-Euler integral clamped to the output
 * limits, derivative on measurement, optional proportional-on-measurement.
 */
class ArduinoPidV1 {
  private kp: number;
  private ki: number;
  private kd: number;
  private outputSum: number;
  private lastInput: number;
  /** True when the last compute() clamped outputSum to the output limits. */
  outputSumClamped = false;
  constructor(
    Kp: number,
    Ki: number,
    Kd: number,
    private readonly pOnE: boolean,
    reverse: boolean,
    sampleTime_s: number,
    private readonly outMin: number,
    private readonly outMax: number,
    initialInput: number,
    initialOutput: number,
  ) {
    const s = reverse ? -1 : 1;
    this.kp = s * Kp;
    this.ki = s * Ki * sampleTime_s;
    this.kd = (s * Kd) / sampleTime_s;
    // SetMode(AUTOMATIC) → Initialize()
    this.outputSum = Math.min(outMax, Math.max(outMin, initialOutput));
    this.lastInput = initialInput;
  }
  compute(input: number, setpoint: number): number {
    const error = setpoint - input;
    const dInput = input - this.lastInput;
    this.outputSum += this.ki * error;
    if (!this.pOnE) this.outputSum -= this.kp * dInput;
    this.outputSumClamped = this.outputSum > this.outMax || this.outputSum < this.outMin;
    if (this.outputSum > this.outMax) this.outputSum = this.outMax;
    else if (this.outputSum < this.outMin) this.outputSum = this.outMin;
    let output = this.pOnE ? this.kp * error : 0;
    output += this.outputSum - this.kd * dInput;
    if (output > this.outMax) output = this.outMax;
    else if (output < this.outMin) output = this.outMin;
    this.lastInput = input;
    return output;
  }
}

/** A deterministic wandering measurement and a setpoint with steps, driving both implementations. */
function excitation(k: number): { y: number; r: number } {
  return { y: 0.6 * Math.sin(k * 0.07) + 0.25 * Math.sin(k * 0.31 + 1), r: k < 150 ? 0.2 : k < 300 ? 1.4 : -0.8 };
}

describe('Pid against Arduino PID_v1', () => {
  for (const reverse of [false, true]) {
    it(`gives PID_v1's outputs sample for sample up to its first saturation (${reverse ? 'REVERSE' : 'DIRECT'})`, () => {
      // From then on the two differ by design: PID_v1 limits outputSum to the output range (even
      // while the output is inside it) and keeps integrating while saturated; this PID does neither.
      const Ts = 0.1;
      const ref = new ArduinoPidV1(2, 1.5, 0.05, true, reverse, Ts, -1, 1, excitation(0).y, 0);
      const pid = new Pid({ kp: 2, ki: 1.5, kd: 0.05, N: Infinity, c: 0, b: 1, outMin: -1, outMax: 1, antiWindup: 'clamp', integration: 'backward', direction: reverse ? 'reverse' : 'direct', Ts_s: Ts });
      let k = 0;
      for (; k < 450; k++) {
        const { y, r } = excitation(k);
        const expected = ref.compute(y, r);
        const u = pid.update(r, y, k * Ts);
        if (ref.outputSumClamped) break;
        expect(u).toBeCloseTo(expected, 12);
        if (pid.saturated) break;
      }
      expect(k).toBeGreaterThan(15); // the first saturated sample is compared too
      expect(k).toBeLessThan(450);
    });
  }

  it('with b = 0 equals PID_v1 proportional-on-measurement while unsaturated', () => {
    const Ts = 0.05;
    const y0 = excitation(0).y;
    const ref = new ArduinoPidV1(1.2, 0.8, 0.02, false, false, Ts, -100, 100, y0, 0);
    const pid = new Pid({ kp: 1.2, ki: 0.8, kd: 0.02, N: Infinity, b: 0, outMin: -100, outMax: 100, antiWindup: 'clamp', Ts_s: Ts });
    // PID_v1 accumulates −kp·Δy from its initialisation, i.e. it starts from P = −kp·(y − y0): the same as b = 0 with integral kp·y0.
    pid.integral = 1.2 * y0;
    for (let k = 0; k < 300; k++) {
      const { y, r } = excitation(k);
      expect(pid.update(r, y, k * Ts)).toBeCloseTo(ref.compute(y, r), 10);
    }
  });
});

describe('Pid features', () => {
  it('takes its sample time from the caller: irregular sampling integrates ki·h·e exactly', () => {
    const pid = new Pid({ kp: 0, ki: 2, kd: 0, Ts_s: 0.01 });
    const times = [0, 0.01, 0.05, 0.06, 0.2];
    let out = 0;
    for (const t of times) out = pid.update(1, 0, t);
    // backward integration: first sample uses the nominal 0.01 s, then the real gaps.
    expect(out).toBeCloseTo(2 * (0.01 + 0.01 + 0.04 + 0.01 + 0.14), 12);
  });

  it('filters the derivative with Tf = Td/N: the kick from a measurement step decays by Tf/(Tf+h) per sample', () => {
    const pid = new Pid({ kp: 1, ki: 0, kd: 0.1, N: 10, b: 0, Ts_s: 0.001 });
    pid.update(0, 0, 0);
    const d1 = pid.update(0, 1, 0.001) + 1; // remove P = −1
    const d2 = pid.update(0, 1, 0.002) + 1;
    const Tf = 0.01;
    expect(d1).toBeCloseTo(-0.1 / (Tf + 0.001), 9);
    expect(d2 / d1).toBeCloseTo(Tf / (Tf + 0.001), 12);
  });

  it('switches manual → auto without a bump (PID_v1 Initialize)', () => {
    const pid = new Pid({ kp: 3, ki: 1, kd: 0, outMin: -10, outMax: 10, Ts_s: 0.1 });
    pid.update(1, 0, 0);
    pid.setManual(4.2);
    expect(pid.update(1, 0.3, 0.1)).toBe(4.2);
    pid.setAuto();
    const u = pid.update(1, 0.3, 0.2);
    // Only the new sample's integral increment separates it from the manual value.
    expect(u).toBeCloseTo(4.2 + 1 * 0.1 * 0.7, 12);
  });

  it('changes gains on line without a bump when asked, and with one when not', () => {
    const a = new Pid({ kp: 2, ki: 1, kd: 0, Ts_s: 0.1 });
    const b = new Pid({ kp: 2, ki: 1, kd: 0, Ts_s: 0.1 });
    for (let k = 0; k < 5; k++) {
      a.update(1, 0.4, k * 0.1);
      b.update(1, 0.4, k * 0.1);
    }
    const before = a.output;
    a.setTunings({ kp: 6, ki: 1, kd: 0 }, true);
    b.setTunings({ kp: 6, ki: 1, kd: 0 }, false);
    const ua = a.update(1, 0.4, 0.5);
    const ub = b.update(1, 0.4, 0.5);
    expect(ua - before).toBeCloseTo(0.1 * 0.6, 12); // only the integral increment
    expect(ub - before).toBeCloseTo(4 * 0.6 + 0.1 * 0.6, 12); // Δkp·e bump
  });

  it('exposes the integral for reading and writing', () => {
    const pid = new Pid({ kp: 0, ki: 1, kd: 0, Ts_s: 1 });
    pid.integral = 0.5;
    expect(pid.update(0, 0, 0)).toBe(0.5);
    pid.update(1, 0, 1);
    expect(pid.integral).toBeCloseTo(1.5, 12);
  });

  it('rejects negative gains and inverted limits with the name of the culprit', () => {
    expect(() => new Pid({ kp: -1, ki: 0, kd: 0 })).toThrow(/'kp'/);
    expect(() => new Pid({ kp: 1, ki: 0, kd: 0, outMin: 1, outMax: 0 })).toThrow(/outMin < outMax/);
  });

  it('rejects filter and tracking settings that would make the output unstable or non-finite, naming them', () => {
    const g = { kp: 2, ki: 1, kd: 0.1 };
    expect(() => new Pid({ ...g, N: -0.5 })).toThrow(/'N' must be > 0/);
    expect(() => new Pid({ ...g, N: 0 })).toThrow(/'N'/);
    expect(() => new Pid({ ...g, Tf_s: -1e-4 })).toThrow(/'Tf_s'/);
    expect(() => new Pid({ ...g, antiWindup: 'back-calculation', Tt_s: 0 })).toThrow(/'Tt_s'/);
    expect(() => new Pid({ ...g, b: NaN })).toThrow(/'b'/);
    expect(() => new Pid({ ...g, bias: Infinity })).toThrow(/'bias'/);
    // Infinity is the documented "no filter".
    expect(() => new Pid({ ...g, N: Infinity })).not.toThrow();
  });
});

describe('PID in closed loop, against closed-form results', () => {
  it('P-only on a first-order plant leaves a steady-state error of 1/(1 + K·Kp)', () => {
    for (const [K, kp] of [
      [1, 1],
      [2, 4.5],
    ]) {
      const built = buildFromObject(
        linearLoop({ params: { K, tau_s: 0.5 }, controller: { type: 'pid', kp, ki: 0, kd: 0 }, reference: { type: 'constant', value: 1 }, duration: 10, umax: 100, umin: -100 }),
      );
      const run = runInMemory(built);
      const y = run.column('y')!;
      expect(1 - y[y.length - 1]).toBeCloseTo(1 / (1 + K * kp), 6);
    }
  });

  it('P-only on an integrator with ZOH follows yₖ = r·(1 − (1 − K·Ts·Kp)ᵏ) exactly', () => {
    const K = 2;
    const kp = 3;
    const Ts = 0.05;
    const built = buildFromObject(
      linearLoop({ params: { K, integrator: 1 }, controller: { type: 'pid', kp, ki: 0, kd: 0 }, reference: { type: 'constant', value: 1 }, Ts, dt: 0.005, duration: 2, umax: 10 }),
    );
    const run = runInMemory(built);
    const y = run.column('y')!;
    for (let k = 0; k < y.length; k++) expect(y[k]).toBeCloseTo(1 - (1 - K * Ts * kp) ** k, 7);
  });

  it('P-only on an integrator tracks a ramp with the velocity error a/(K·Kp)', () => {
    const K = 1.5;
    const kp = 4;
    const slope = 0.3;
    const built = buildFromObject(
      linearLoop({ params: { K, integrator: 1 }, controller: { type: 'pid', kp, ki: 0, kd: 0 }, reference: { type: 'ramp', start: 0, slope }, Ts: 0.001, dt: 0.001, duration: 8 }),
    );
    const run = runInMemory(built);
    const y = run.column('y')!;
    const r = run.column('r')!;
    const n = y.length - 1;
    // Discrete ZOH loop: the error settles to a/(K·Kp) plus half a sample's worth of ramp lag terms of order a·Ts.
    expect(r[n] - y[n]).toBeCloseTo(slope / (K * kp), 3);
  });

  it('a one-period computation delay matches the delayed difference equation', () => {
    // Integrator, P-only, delay: y(k+1) = y(k) + K·Ts·u(k−1), u(k) = kp·(r − y(k)), u(−1) = 0.
    const K = 1;
    const kp = 2;
    const Ts = 0.1;
    const built = buildFromObject(
      linearLoop({ params: { K, integrator: 1 }, controller: { type: 'pid', kp, ki: 0, kd: 0 }, reference: { type: 'constant', value: 1 }, Ts, dt: 0.01, duration: 3, computationDelay: true, umin: -10, umax: 10 }),
    );
    const y = runInMemory(built).column('y')!;
    let yk = 0;
    let uPrev = 0;
    for (let k = 0; k < y.length; k++) {
      expect(y[k]).toBeCloseTo(yk, 7);
      const u = kp * (1 - yk);
      yk += K * Ts * uPrev;
      uPrev = u;
    }
  });

  it('anti-windup: conditional integration and back-calculation overshoot far less than none after saturation', () => {
    const overshoot = (antiWindup: string) => {
      const built = buildFromObject(
        linearLoop({
          params: { K: 1, integrator: 1 },
          controller: { type: 'pid', kp: 1, ki: 2, kd: 0, antiWindup },
          reference: { type: 'constant', value: 5 },
          Ts: 0.01,
          dt: 0.01,
          duration: 20,
          umin: -0.5,
          umax: 0.5,
        }),
      );
      const y = runInMemory(built).column('y')!;
      return Math.max(...y) - 5;
    };
    const none = overshoot('none');
    expect(none).toBeGreaterThan(3);
    expect(overshoot('conditional')).toBeLessThan(none / 5);
    expect(overshoot('back-calculation')).toBeLessThan(none / 5);
  });
});

describe('Pid reset', () => {
  it('returns to the initial state: automatic mode, no integral, no derivative memory', () => {
    const pid = new Pid({ kp: 1, ki: 1, kd: 0.1, Ts_s: 0.1 });
    pid.update(1, 0, 0);
    pid.update(1, 0.5, 0.1);
    pid.setManual(3);
    pid.reset();
    expect(pid.isAuto).toBe(true);
    expect(pid.integral).toBe(0);
    const fresh = new Pid({ kp: 1, ki: 1, kd: 0.1, Ts_s: 0.1 });
    expect(pid.update(1, 0.2, 5)).toBe(fresh.update(1, 0.2, 5));
  });
});

/**
 * The first-order-plus-dead-time loop of issue 13: K = 1, τ = 1 s, θ = 0.3 s, kp = 3, ki = 2,
 * Ts = 50 ms, output 0…1.5, setpoint 1. With b < 1 the integral term must end beyond the output
 * range (I = u + kp·(1 − b)·r = 1 + 3·(1 − b)), so limiting it to the range stalls the loop.
 */
function fopdtLoop(b: number, antiWindup: string) {
  const built = buildFromObject({
    name: 'fopdt-pid',
    plant: 'fopdt',
    params: { K: 1, tau_s: 1, theta_s: 0.3 },
    controller: { type: 'pid', input: 'y_meas', reference: 'r', output: 'u_cmd', kp: 3, ki: 2, kd: 0, b, antiWindup },
    dt: 0.005,
    Ts: 0.05,
    duration: 20,
    sensors: [{ name: 'y_meas', from: 'y_out', kind: 'digital', lsb: 1e-9 }],
    actuators: [{ name: 'u_cmd', to: 'u_in', kind: 'digital', lsb: 1e-9, min: 0, max: 1.5 }],
    references: [{ name: 'r', type: 'constant', value: 1 }],
  });
  // Record what the controller saw and commanded at each control period.
  const ticks: { y: number; u: number }[] = [];
  const controller: Controller = built.controller;
  const update = controller.update.bind(controller);
  controller.update = (y, ref, t, u) => {
    update(y, ref, t, u);
    ticks.push({ y: y[0], u: u[0] });
  };
  const run = runInMemory(built);
  return { y: run.column('y')!, t: run.column('t_s')!, ticks };
}

describe('setpoint-weighted PID on a dead-time loop (anti-windup acts only while saturated)', () => {
  for (const b of [0, 0.5, 0.7, 1]) {
    for (const antiWindup of ['clamp', 'conditional', 'back-calculation', 'none']) {
      it(`b = ${b}, ${antiWindup}: reaches the setpoint within 1 %`, () => {
        const { y, t } = fopdtLoop(b, antiWindup);
        // Within 1 % of the setpoint for the last 5 s of the 20 s run.
        for (let i = 0; i < y.length; i++) if (t[i] >= 15) expect(Math.abs(y[i] - 1)).toBeLessThan(0.01);
      });
    }
  }

  it("b = 0 follows Arduino PID_v1's P_ON_M arithmetic to 1e-9 while unsaturated", () => {
    const { ticks } = fopdtLoop(0, 'clamp');
    const Ts = 0.05;
    // PID_v1 Compute() with P_ON_M, line by line (gains scaled by the sample time in SetTunings):
    const kp = 3;
    const ki = 2 * Ts;
    const kd = 0 / Ts;
    const outMin = 0;
    const outMax = 1.5;
    let outputSum = 0; // Initialize() from output 0
    let lastInput = ticks[0].y;
    let compared = 0;
    for (const { y, u } of ticks) {
      const input = y;
      const error = 1 - input;
      const dInput = input - lastInput;
      outputSum += ki * error;
      outputSum -= kp * dInput; // P_ON_M
      if (outputSum > outMax) outputSum = outMax;
      else if (outputSum < outMin) outputSum = outMin;
      let output = 0; // P_ON_M: no proportional-on-error term
      output += outputSum - kd * dInput;
      const unsaturated = output > outMin && output < outMax;
      if (output > outMax) output = outMax;
      else if (output < outMin) output = outMin;
      lastInput = input;
      if (!unsaturated || !(u > outMin && u < outMax)) break;
      expect(Math.abs(u - output)).toBeLessThan(1e-9);
      compared++;
    }
    // The loop never saturates with b = 0 (u stays in 0.1…1.0), so every period is compared.
    expect(compared).toBe(ticks.length);
    expect(ticks.length).toBeGreaterThan(390);
  });

  it("clamp holds the integral while the output is beyond a limit and the error pushes further, and lets go at once when it reverses", () => {
    const pid = new Pid({ kp: 1, ki: 1, kd: 0, outMin: -1, outMax: 1, antiWindup: 'clamp', Ts_s: 0.1 });
    pid.update(5, 0, 0); // P = 5: saturated high; the increment would push further: held
    expect(pid.saturated).toBe(true);
    expect(pid.integral).toBe(0);
    pid.update(5, 0, 0.1);
    expect(pid.integral).toBe(0);
    // Error reverses: the integral moves at once, with nothing wound up to unwind.
    pid.update(-0.5, 0, 0.2);
    expect(pid.integral).toBeCloseTo(-0.05, 15);
    expect(pid.output).toBeCloseTo(-0.55, 15);
  });

  it('the integral may exceed the output range while the output is inside it (b = 0 at steady state)', () => {
    const pid = new Pid({ kp: 3, ki: 2, kd: 0, b: 0, outMin: 0, outMax: 1.5, antiWindup: 'clamp', Ts_s: 0.05 });
    pid.integral = 3.9;
    const u = pid.update(1, 1, 0); // e = 0
    expect(u).toBeCloseTo(0.9, 15);
    expect(pid.integral).toBeCloseTo(3.9, 15);
    pid.update(1, 0.99, 0.05);
    expect(pid.integral).toBeCloseTo(3.9 + 2 * 0.05 * 0.01, 15);
  });
});
