/**
 * The serial time of one io tick's exchange, checked against the lines the host's own encoder writes
 * for the run's widest frames, at 10 bits per byte (8N1).
 */
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { exchangeWireTime, wireTimeWarning } from '../../hil/runners/wire-time.ts';
import { encodeFrame, encodeX } from '../../protocol/encode.ts';

const built = (name: string, set: string[] = []) => buildRun(loadScenario(name, { set }));

describe('exchangeWireTime', () => {
  it('maglev io, 2000 ticks: X with 8-bit PWM and M with a 10-bit ADC, seq 1999', () => {
    const bytes = encodeX(1999, [255]).length + encodeFrame({ type: 'M', seq: 1999, values: [1023] }).length;
    const w = exchangeWireTime(built('maglev'), 115200);
    expect(w.bytes).toBe(bytes);
    expect(w.seconds).toBeCloseTo((bytes * 10) / 115200, 12);
  });

  it('solar io, a day of 1 s ticks: seq capped at 65535, a signed step rate of ±250, the PIC ADC', () => {
    const b = built('solar');
    const adcMax = (1 << b.sensors[0].bits) - 1;
    // steps_meas is a digital sensor of unknown range: counted as one digit.
    const bytes = encodeX(65535, [-250, 4]).length + encodeFrame({ type: 'M', seq: 65535, values: [adcMax, adcMax, adcMax, 0] }).length;
    expect(exchangeWireTime(b, 9600).bytes).toBe(bytes);
  });
});

describe('wireTimeWarning', () => {
  it('warns when the exchange is longer than Ts, and only then', () => {
    expect(wireTimeWarning(built('maglev'), 115200)).toMatch(/^at 115200 baud one X\/M exchange is up to 33 bytes, 2\.86 ms on the serial line, longer than Ts = 1 ms/);
    expect(wireTimeWarning(built('maglev', ['Ts=0.005']), 115200)).toBeUndefined();
    expect(wireTimeWarning(built('maglev'), 1_000_000)).toBeUndefined();
  });
});
