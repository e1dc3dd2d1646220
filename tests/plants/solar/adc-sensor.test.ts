import { describe, expect, it } from 'vitest';
import { adcCode8 } from '../../../controllers/solar-tracker/fuzzy-int.ts';
import { sensorCounts } from '../../../firmware-sim/channels.ts';
import { boards } from '../../../boards/profiles.ts';
import { DEG, cosIncidence } from '../../../plants/solar/geometry.ts';
import { lightSensorVolts } from '../../../plants/solar/light-sensor.ts';

describe('solar ADC and sensor model (plants.md consistency test 6)', () => {
  it('ADC(3.5 V) = B3h on the paper\'s 0–5 V → 00h–FFh scale; C3h is 3.82 V', () => {
    expect(adcCode8(3.5)).toBe(0xb3);
    expect(adcCode8(1.5)).toBe(0x4c);
    expect(adcCode8(2.5)).toBe(0x80);
    expect(adcCode8(1.7)).toBe(0x57);
    expect((0xc3 * 5) / 256).toBeCloseTo(3.81, 2);
    // The paper's CDh (4.0 V) and 95h (2.9 V) are 1 LSB above floor(V·256/5).
    expect(adcCode8(4.0)).toBe(0xcd - 1);
    expect(adcCode8(2.9)).toBe(0x95 - 1);
  });

  it('the simulated PIC16F877 channel converts exactly like the firmware formula', () => {
    const pic = boards.pic16f877;
    const ch = { name: 's', outputIndex: 0, kind: 'adc' as const, bits: pic.adc.bits, vref: pic.adc.vref_V, lsb: 1, gain: 1, offset: 0 };
    for (let v = 0; v <= 5.2; v += 0.0137) expect(sensorCounts(ch, v)).toBe(adcCode8(v));
  });

  it('the sensor model gives (4.00, 2.91, 1.70) V with the sun on S1\'s axis, DNI 800, DHI 118 W/m²', () => {
    // Sun along S1's normal n(45°) on a horizontal axis: (cos 45°, 0, sin 45°).
    const e = Math.cos(45 * DEG);
    const u = Math.sin(45 * DEG);
    const volts = [45, 90, 135].map((a) => lightSensorVolts(cosIncidence(a * DEG, 0, e, 0, u), 800, 118));
    expect(volts[0]).toBeCloseTo(4.0, 2);
    expect(volts[1]).toBeCloseTo(2.91, 2);
    expect(volts[2]).toBeCloseTo(1.7, 2);
  });
});
