/**
 * The generated firmware's protocol loop against docs/protocol.md, on the emulated Uno: the
 * document's own example frames, every ERR code, retransmission without a second step, and the
 * watchdog's safe outputs observed on the PWM pin.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PinState } from 'avr8js';
import { generateFirmware } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { PidFixed } from '../../controllers/fixed-point/pid-fixed.ts';
import type { PidFixedController } from '../../controllers/fixed-point/pid-fixed-controller.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { encodeS, frameLine } from '../../protocol/index.ts';
import { AvrBoard, CLOCK_HZ } from './helpers/avr-harness.ts';
import { hello, parseBoardFrame } from './helpers/emulated-link.ts';
import { buildCached } from './helpers/firmware-cache.ts';

let hexFile = '';
let model: PidFixed;

beforeAll(() => {
  const built = buildRun(loadScenario('maglev-fixed'));
  hexFile = buildCached(generateFirmware(firmwareDescription(built), { role: 'hil', sketch: 'proto_test', baud: 1_000_000 })).hexFile;
  model = new PidFixed((built.controller as PidFixedController).pid.k);
});

const ms = (n: number) => (CLOCK_HZ / 1000) * n;
const frame = (body: string) => frameLine(body).trimEnd();

/** Fraction of time pin D9 (PB1, OC1A) is high over `cycles`. */
function duty(board: AvrBoard, cycles: number): number {
  let high = 0;
  const n = 400;
  for (let i = 0; i < n; i++) {
    board.run(cycles / n);
    if (board.portB.pinState(1) === PinState.High) high++;
  }
  return high / n;
}

describe('firmware protocol loop (docs/protocol.md)', () => {
  it('accepts the example frames of docs/protocol.md verbatim', () => {
    const board = new AvrBoard(hexFile);
    const ready = board.request('HELLO 2*0C18', ms(3000));
    expect(parseBoardFrame(ready).type).toBe('READY');
    expect(board.request('WD 200*81E6')).toBe('WD 200*81E6');
    const a = parseBoardFrame(board.request('S 0 409 8000*EBC4'));
    expect(a.type).toBe('A');
    expect(a.fields[0]).toBe('0');
    expect(board.request('WD 0*' + frameLine('WD 0').slice(5, 9))).toBe(frame('WD 0'));
  });

  it('answers every rejected line with the ERR code of section 2.5 and stays usable', () => {
    const board = new AvrBoard(hexFile);
    // Before HELLO a lockstep request is a state error.
    expect(board.request(frame('S 0 500 8000'), ms(3000))).toBe(frame('ERR 6 0 state'));
    hello(board);
    const cases: [string, string][] = [
      ['S 0 500 8000*0000', 'ERR 1 0 crc'], // wrong CRC
      ['S 0 500 8000*00', 'ERR 1 0 crc'], // two hex digits (protocol v1's CRC-8)
      ['S 0 500 8000', 'ERR 1 0 crc'], // missing CRC
      ['S 0 500 8000*e4f5', 'ERR 1 0 crc'], // lower-case hex (E4F5 is right)
      [frame('S 0 500 8000') + '0', 'ERR 1 0 crc'], // five hex digits
      [`${frame('S 0 500 8000')}`.replace('S 0', 'S 0 ' + '1'.repeat(130)), 'ERR 2 0 toolong'],
      [frame('S 0 5\u00e90 8000'), 'ERR 3 0 syntax'], // non-ASCII byte
      [frame('Q 0 500 8000'), 'ERR 3 - syntax'], // unknown type
      [frame('S 0  500 8000'), 'ERR 3 0 syntax'], // two spaces
      [frame('S 0 500 8000 '), 'ERR 3 0 syntax'], // trailing space
      [frame('S 0 0500 8000'), 'ERR 3 0 syntax'], // leading zero
      [frame('S 0 +500 8000'), 'ERR 3 0 syntax'], // plus sign
      [frame('S 0 -0 8000'), 'ERR 3 0 syntax'], // minus zero
      [frame('A 0 500'), 'ERR 3 - syntax'], // a board-to-host type
      [frame('S 0 500'), 'ERR 4 0 arity'],
      [frame('S 0 500 8000 1'), 'ERR 4 0 arity'],
      [frame('HELLO'), 'ERR 4 - arity'],
      [frame('S 65536 500 8000'), 'ERR 5 - range'], // seq
      [frame('S 0 1024 8000'), 'ERR 5 0 range'], // 10-bit ADC counts
      [frame('S 0 -1 8000'), 'ERR 5 0 range'],
      [frame('S 0 500 2147483648'), 'ERR 5 0 range'], // beyond int32
      [frame('WD 60001'), 'ERR 5 - range'],
      [frame('X 0 100'), 'ERR 6 0 state'], // X to hil firmware
      [frame('HELLO 1'), 'ERR 7 - version'],
      // The seq of a damaged S whenever it can be read (section 2.5), '-' otherwise.
      ['S 65535 500 8000*00', 'ERR 1 65535 crc'],
      ['S 7*00', 'ERR 1 7 crc'],
      ['S 7 5\u00ff00 8000*00', 'ERR 3 7 syntax'],
      ['#xS 7 500 8000*00', 'ERR 1 - crc'], // noise before the request
      ['S 07 500 8000*00', 'ERR 1 - crc'], // not a canonical seq
      ['S 7a 500 8000*00', 'ERR 1 - crc'],
      ['S -7 500 8000*00', 'ERR 1 - crc'],
      ['S 7', 'ERR 1 - crc'], // the seq field does not end
      ['S 7\x01 500 8000*00', 'ERR 3 - syntax'],
      ['S  7 500 8000*00', 'ERR 1 - crc'],
      ['SS 7 500 8000*00', 'ERR 1 - crc'],
    ];
    for (const [line, err] of cases) expect([line, board.request(line)]).toEqual([line, frame(err)]);
    // Still in lockstep after all that: the first S executes as the first step.
    const first = parseBoardFrame(board.request(frame('S 0 546 8000')));
    model.reset();
    expect(first.fields).toEqual(['0', String(model.step(546, 8000))]);
  });

  it('answers a retransmitted S with its previous answer without stepping again', () => {
    const board = new AvrBoard(hexFile);
    hello(board);
    model.reset();
    const inputs = [560, 540, 530, 555, 548];
    for (let seq = 0; seq < inputs.length; seq++) {
      const want = String(model.step(inputs[seq], 8000));
      const line = encodeS(seq, [inputs[seq]], [8000]).trimEnd();
      expect(parseBoardFrame(board.request(line)).fields).toEqual([String(seq), want]);
      // The same seq again, even with other counts: the same answer, no second controller step.
      expect(parseBoardFrame(board.request(encodeS(seq, [0], [8000]).trimEnd())).fields).toEqual([String(seq), want]);
    }
    // HELLO forgets the last seq: S 4 executes again, from a reset controller.
    hello(board);
    model.reset();
    const want = String(model.step(600, 8000));
    expect(parseBoardFrame(board.request(encodeS(4, [600], [8000]).trimEnd())).fields).toEqual(['4', want]);
  });

  it('applies the safe outputs and sends FAULT WATCHDOG when the host falls silent', () => {
    const board = new AvrBoard(hexFile);
    hello(board);
    expect(board.request(frame('WD 50'))).toBe(frame('WD 50'));
    // A measurement 1 mm too far: the PID drives the coil hard; D9 mirrors the count.
    const a = parseBoardFrame(board.request(frame('S 0 700 8000')));
    expect(Number(a.fields[1])).toBe(255);
    expect(duty(board, ms(20))).toBeGreaterThan(0.95);
    // Frames keep the watchdog fed.
    for (let seq = 1; seq <= 3; seq++) {
      board.request(encodeS(seq, [700], [8000]).trimEnd());
      board.run(ms(30));
    }
    expect(board.lines.some((l) => l.text.startsWith('FAULT'))).toBe(false);
    // Silence: within 50 ms of board time the firmware faults once and drives the pin low.
    const before = board.lines.length;
    board.run(ms(60));
    expect(board.lines.slice(before).map((l) => l.text)).toEqual([frame('FAULT WATCHDOG')]);
    expect(frame('FAULT WATCHDOG')).toBe('FAULT WATCHDOG*C674'); // docs/protocol.md's example
    expect(duty(board, ms(20))).toBe(0);
    board.run(ms(200));
    expect(board.lines.length).toBe(before + 1); // FAULT is sent once
    // Faulted: lockstep refused, pin stays low, until HELLO.
    expect(board.request(encodeS(4, [600], [8000]).trimEnd())).toBe(frame('ERR 6 4 faulted'));
    expect(duty(board, ms(10))).toBe(0);
    hello(board);
    expect(parseBoardFrame(board.request(frame('S 0 546 8000'))).type).toBe('A');
  });
  it('only valid frames restart the watchdog: a host sending nothing but rejected lines still gets FAULT WATCHDOG', () => {
    const rejected: [string, string][] = [
      [frame('HELLO 1'), 'ERR 7 - version'],
      [frame('WD 70000'), 'ERR 5 - range'],
      [frame('S 65536 700 8000'), 'ERR 5 - range'], // seq
      [frame('S 9 1024 8000'), 'ERR 5 9 range'], // sensor counts beyond the 10-bit ADC
      ['S 9 700 8000*00', 'ERR 1 9 crc'],
    ];
    const board = new AvrBoard(hexFile);
    hello(board);
    expect(board.request(frame('WD 50'))).toBe(frame('WD 50'));
    expect(Number(parseBoardFrame(board.request(frame('S 0 700 8000'))).fields[1])).toBe(255);
    // When the frame's last byte arrived; millis() on the AVR ticks every 1.024 ms, so the expiry
    // can come up to one tick early.
    const lastValid = board.lastRxCycles;
    expect(duty(board, ms(5))).toBeGreaterThan(0.95);
    // A rejected line every 10 ms of board time, five times as often as the watchdog period.
    let fault: { text: string; cycles: number } | undefined;
    for (let i = 0; i < 12 && !fault; i++) {
      const [line, err] = rejected[i % rejected.length];
      expect(board.request(line)).toBe(frame(err));
      board.run(ms(10));
      fault = board.lines.find((l) => l.text.startsWith('FAULT'));
    }
    expect(fault?.text).toBe(frame('FAULT WATCHDOG'));
    // 50 ms after the last valid frame (plus at most one 10 ms step of this loop), not later.
    const after_ms = (fault!.cycles - lastValid) / ms(1);
    expect(after_ms).toBeGreaterThanOrEqual(49);
    expect(after_ms).toBeLessThan(62);
    expect(duty(board, ms(20))).toBe(0);

    // S before any HELLO (ERR 6 state) does not feed a watchdog armed before HELLO either.
    const fresh = new AvrBoard(hexFile);
    expect(fresh.request(frame('WD 50'), ms(3000))).toBe(frame('WD 50'));
    const armed = fresh.lastRxCycles;
    let faultedAt = -1;
    for (let i = 0; i < 12 && faultedAt < 0; i++) {
      expect(fresh.request(frame('S 0 700 8000'))).toBe(frame('ERR 6 0 state'));
      fresh.run(ms(10));
      faultedAt = fresh.lines.find((l) => l.text === frame('FAULT WATCHDOG'))?.cycles ?? -1;
    }
    expect((faultedAt - armed) / ms(1)).toBeGreaterThanOrEqual(49);
    expect((faultedAt - armed) / ms(1)).toBeLessThan(62);
  });
});
