/**
 * The generic I/O firmware (`firmware generate --role io`) on the emulated Uno: X applies the PWM
 * counts to D9…, M answers with analogRead counts of the voltages on A0…, ranges and roles are
 * enforced, and the watchdog drops the outputs when the host falls silent.
 */
import { describe, expect, it } from 'vitest';
import { PinState } from 'avr8js';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { frameLine } from '../../protocol/index.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { hello } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

const frame = (body: string) => frameLine(body).trimEnd();
const ms = (n: number) => (CLOCK_HZ / 1000) * n;

function dutyD9(board: AvrBoard, cycles: number): number {
  let high = 0;
  for (let i = 0; i < 500; i++) {
    board.run(cycles / 500);
    if (board.portB.pinState(1) === PinState.High) high++;
  }
  return high / 500;
}

describe('io firmware on the emulated Uno', () => {
  const built = buildRun(loadScenario('maglev'));
  const gen = generateFirmware(firmwareDescription(built), { role: 'io', sketch: 'io_test' });
  const { hexFile } = buildCached(gen);

  it('announces io/generic with the scenario’s channel counts and no period', () => {
    const board = new AvrBoard(hexFile);
    expect(hello(board)).toEqual(['2', 'uno', 'io/generic', '1', '1', '0', '0']);
  });

  it('applies X to the PWM pin, then samples A0 into M', () => {
    const board = new AvrBoard(hexFile);
    hello(board);
    board.adc.channelValues[0] = 2.5;
    expect(board.request(frame('X 0 128'))).toBe(frame('M 0 512'));
    expect(dutyD9(board, ms(30))).toBeCloseTo(128 / 255, 1);
    board.adc.channelValues[0] = 1.0;
    expect(board.request(frame('X 1 0'))).toBe(frame(`M 1 ${Math.floor((1.0 / 5) * 1024)}`));
    expect(dutyD9(board, ms(10))).toBe(0);
    // A retransmitted X repeats the previous answer without sampling again.
    board.adc.channelValues[0] = 4.0;
    expect(board.request(frame('X 1 0'))).toBe(frame('M 1 204'));
    expect(board.request(frame('X 2 255'))).toBe(frame('M 2 819'));
    expect(dutyD9(board, ms(10))).toBe(1);
  });

  it('refuses out-of-range counts and lockstep frames without touching the pin', () => {
    const board = new AvrBoard(hexFile);
    hello(board);
    board.request(frame('X 0 200'));
    expect(board.request(frame('X 1 256'))).toBe(frame('ERR 5 1 range'));
    expect(board.request(frame('X 1 -1'))).toBe(frame('ERR 5 1 range'));
    expect(board.request(frame('S 1 500 8000'))).toBe(frame('ERR 4 1 arity'));
    expect(board.request(frame('S 1 500'))).toBe(frame('ERR 6 1 state'));
    expect(dutyD9(board, ms(30))).toBeCloseTo(200 / 255, 1);
  });

  it('drops the outputs to LOW and reports FAULT WATCHDOG when the host falls silent', () => {
    const board = new AvrBoard(hexFile);
    hello(board);
    expect(board.request(frame('WD 20'))).toBe(frame('WD 20'));
    board.request(frame('X 0 255'));
    const before = board.lines.length;
    board.run(ms(40));
    expect(board.lines.slice(before).map((l) => l.text)).toEqual([frame('FAULT WATCHDOG')]);
    expect(dutyD9(board, ms(10))).toBe(0);
    expect(board.request(frame('X 1 255'))).toBe(frame('ERR 6 1 faulted'));
  });
});
