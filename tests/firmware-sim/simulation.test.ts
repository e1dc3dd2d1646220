import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actuatorCounts, actuatorValue, sensorCounts, sensorValue, type ActuatorChannel, type SensorChannel } from '../../firmware-sim/channels.ts';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { EulerIntegrator, Rk4Integrator, type Integrator } from '../../firmware-sim/integrators.ts';
import { FirstOrderPlant } from '../../plants/linear/first-order.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { buildFromObject, linearLoop, runInMemory } from '../helpers/scenario.ts';

describe('integrators', () => {
  const plant = new FirstOrderPlant({ K: 1, tau_s: 1, integrator: 0, y0: 1, noise_sigma: 0 });
  const u = Float64Array.of(0);
  const run = (integ: Integrator, dt: number) => {
    const x = Float64Array.of(1);
    for (let k = 0; k < Math.round(1 / dt); k++) integ.step(plant, k, x, u);
    return x[0];
  };

  it('RK4 is fourth order on ẏ = −y: halving dt cuts the error 16×', () => {
    const e1 = Math.abs(run(new Rk4Integrator(1, 0.1), 0.1) - Math.exp(-1));
    const e2 = Math.abs(run(new Rk4Integrator(1, 0.05), 0.05) - Math.exp(-1));
    expect(e1 / e2).toBeGreaterThan(15);
    expect(e1 / e2).toBeLessThan(17);
    expect(e1).toBeLessThan(1e-6);
  });

  it('Euler is first order: halving dt halves the error', () => {
    const e1 = Math.abs(run(new EulerIntegrator(1, 0.01), 0.01) - Math.exp(-1));
    const e2 = Math.abs(run(new EulerIntegrator(1, 0.005), 0.005) - Math.exp(-1));
    expect(e1 / e2).toBeGreaterThan(1.9);
    expect(e1 / e2).toBeLessThan(2.1);
  });
});

describe('simulated MCU converters', () => {
  const adc: SensorChannel = { name: 's', outputIndex: 0, kind: 'adc', bits: 10, vref: 5, lsb: 1, gain: 1, offset: 0 };

  it('truncates like the AVR ADC (ADC = ⌊Vin·1024/Vref⌋) and clips to 0…1023', () => {
    expect(sensorCounts(adc, 2.5)).toBe(512);
    expect(sensorCounts(adc, 2.5 - 1e-9)).toBe(511);
    expect(sensorCounts(adc, 5)).toBe(1023);
    expect(sensorCounts(adc, 7)).toBe(1023);
    expect(sensorCounts(adc, -1)).toBe(0);
    expect(sensorValue(adc, 512)).toBe(2.5);
  });

  it('reproduces the solar paper’s 8-bit readings: 1.5 V → 0x4C, 2.5 V → 0x80, 3.5 V → 0xB3', () => {
    const adc8 = { ...adc, bits: 8 };
    expect(sensorCounts(adc8, 1.5)).toBe(0x4c);
    expect(sensorCounts(adc8, 2.5)).toBe(0x80);
    expect(sensorCounts(adc8, 3.5)).toBe(0xb3);
  });

  it('maps PWM commands onto 0…2^bits − 1 with rounding and saturation, and digital commands in lsb units', () => {
    const pwm: ActuatorChannel = { name: 'a', inputIndex: 0, kind: 'pwm', min: 0, max: 0.15, bits: 8, lsb: 1 };
    expect(actuatorCounts(pwm, 0.0955)).toBe(162); // 0.0955 / 0.15 · 255 = 162.35
    expect(actuatorCounts(pwm, 1)).toBe(255);
    expect(actuatorCounts(pwm, -1)).toBe(0);
    expect(actuatorValue(pwm, 255)).toBe(0.15);
    const dig: ActuatorChannel = { name: 'w', inputIndex: 0, kind: 'digital', min: -1, max: 1, bits: 16, lsb: 0.001 };
    expect(actuatorCounts(dig, -0.2504)).toBe(-250);
    expect(actuatorCounts(dig, 3)).toBe(1000);
    expect(actuatorValue(dig, -250)).toBeCloseTo(-0.25, 15);
  });
});

describe('controller firmware seam', () => {
  it('stops on an infinite controller output as on NaN, naming the actuator, instead of clamping it', () => {
    const sensor: SensorChannel = { name: 'y', outputIndex: 0, kind: 'adc', bits: 10, vref: 5, lsb: 1, gain: 1, offset: 0 };
    const pwm: ActuatorChannel = { name: 'a', inputIndex: 0, kind: 'pwm', min: 0, max: 1, bits: 8, lsb: 1 };
    for (const bad of [Infinity, -Infinity, NaN]) {
      const controller = { inputs: ['y'], references: [], outputs: ['a'], reset() {}, update(_y: Float64Array, _r: Float64Array, _t: number, u: Float64Array) { u[0] = bad; } };
      const fw = new ControllerFirmware(controller, [sensor], [pwm]);
      expect(() => fw.tick(Int32Array.of(0), new Float64Array(0), 0.25)).toThrow(/'a'.*t = 0\.25/);
    }
  });
});

describe('run loop', () => {
  it('holds the actuator between ticks (zero-order hold): the command changes only every Ts', () => {
    const s = buildFromObject(
      linearLoop({ params: { K: 1, tau_s: 0.3 }, controller: { type: 'pid', kp: 2, ki: 1, kd: 0 }, reference: { type: 'constant', value: 1 }, dt: 0.001, Ts: 0.02, duration: 1 }),
    );
    // Record every plant step (the control period is 20 of them) to see the hold.
    const cfg = { ...s.config, recordEvery: 1 };
    const run = runInMemory({ ...s, config: cfg });
    const u = run.column('u_in')!;
    for (let k = 1; k < u.length; k++) if (k % 20 !== 0) expect(u[k]).toBe(u[k - 1]);
    expect(new Set(u).size).toBeGreaterThan(10);
  });

  it('gives the same samples for the same seed and different ones for another seed', () => {
    const scenario = (seed: number) =>
      buildFromObject({
        ...linearLoop({ params: { noise_sigma: 0.05 }, controller: { type: 'pid', kp: 1, ki: 1, kd: 0 }, reference: { type: 'constant', value: 1 }, duration: 2 }),
        seed,
        noise: { enabled: true, sources: [{ signal: 'u_in', type: 'uniform', pp: 0.2, hold: 0.005 }] },
      });
    const a = runInMemory(scenario(5)).column('y')!;
    const b = runInMemory(scenario(5)).column('y')!;
    const c = runInMemory(scenario(6)).column('y')!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('stops on a non-finite state with t and the signal name, and keeps what it recorded on disk', async () => {
    // An unstable lag (τ < 0) driven open loop overflows to Infinity.
    const built = buildFromObject({
      ...linearLoop({ params: { tau_s: -0.001, y0: 1 }, controller: { type: 'pid', kp: 0, ki: 0, kd: 0 }, reference: { type: 'constant', value: 0 }, dt: 1e-4, Ts: 1e-3, duration: 5 }),
    });
    const out = mkdtempSync(join(tmpdir(), 'hilbench-nan-'));
    const result = await runScenario(built, { outDir: out, noReport: true });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/non-finite state 'y' at t = 0\.7\d* s/);
    const lines = readFileSync(join(out, 'run.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0].startsWith('t_s,y,')).toBe(true);
    expect(lines.length - 1).toBe(result.rows);
    expect(result.rows).toBeGreaterThan(700);
    for (const line of lines.slice(1)) expect(line.split(',').length).toBe(lines[0].split(',').length);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.error).toContain("'y'");
  });
});
