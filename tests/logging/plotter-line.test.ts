import { describe, expect, it } from 'vitest';
import { parseLogLine, unitFromName } from '../../hil/logging/plotter-line.ts';

describe('Serial Plotter lines', () => {
  it('reads label:value pairs separated by commas, spaces or tabs, and "label: value"', () => {
    expect(parseLogLine('temp_C:21.5,hum_pct:40\r')).toEqual({ kind: 'sample', names: ['temp_C', 'hum_pct'], values: [21.5, 40] });
    expect(parseLogLine('a:1 b:-2.5e-3\tc:+7')).toEqual({ kind: 'sample', names: ['a', 'b', 'c'], values: [1, -0.0025, 7] });
    expect(parseLogLine('Sensor1: 12  Sensor2: 0.5')).toEqual({ kind: 'sample', names: ['Sensor1', 'Sensor2'], values: [12, 0.5] });
  });

  it('names bare numbers value1, value2… by position, and reads Arduino nan/inf', () => {
    expect(parseLogLine('1 2,3\t4')).toEqual({ kind: 'sample', names: ['value1', 'value2', 'value3', 'value4'], values: [1, 2, 3, 4] });
    const p = parseLogLine('x:nan y:inf z:-inf');
    expect(p.kind === 'sample' && p.values).toEqual([NaN, Infinity, -Infinity]);
  });

  it('calls garbage bad, with a reason, and never throws', () => {
    for (const line of ['hello world', 'a:1,a:2', '1.2.3', 'a:0x10', ':5', 'x:1e', '\u0000\u00ff', 'ovf', 'a:1,,b:', 'x'.repeat(2000)]) {
      const p = parseLogLine(line);
      expect(p.kind, line.slice(0, 20)).toBe('bad');
    }
    expect(parseLogLine('')).toEqual({ kind: 'blank' });
    expect(parseLogLine('   \r')).toEqual({ kind: 'blank' });
    expect(parseLogLine('# boot banner')).toEqual({ kind: 'comment' });
  });

  it('renames a board label t_s, which would clash with the arrival time column', () => {
    expect(parseLogLine('t_s:3,x:1')).toEqual({ kind: 'sample', names: ['t_s_board', 'x'], values: [3, 1] });
  });

  it('reads units off name suffixes', () => {
    expect(unitFromName('x_m')).toBe('m');
    expect(unitFromName('T_brain_C')).toBe('°C');
    expect(unitFromName('M0_counts')).toBe('counts');
    expect(unitFromName('value1')).toBeUndefined();
  });
});

describe('protocol v1 frames in a log', () => {
  // The frames and CRCs below are the examples printed in docs/protocol.md §1.
  it('records M/S/A/X frames with a good CRC as samples', () => {
    expect(parseLogLine('M 7 512*A1B4')).toEqual({ kind: 'sample', names: ['M_seq', 'M0_counts'], values: [7, 512] });
    expect(parseLogLine('S 0 409 8000*EBC4')).toEqual({ kind: 'sample', names: ['S_seq', 'S0_counts', 'S1_counts'], values: [0, 409, 8000] });
    expect(parseLogLine('A 0 162*D15C\r').kind).toBe('sample');
  });

  it('keeps other frames as events and rejects a wrong CRC', () => {
    expect(parseLogLine('FAULT WATCHDOG*C674')).toEqual({ kind: 'event', frame: 'FAULT', text: 'FAULT WATCHDOG' });
    expect(parseLogLine('READY 2 uno hil/maglev 1 1 1000 1*FF1E').kind).toBe('event');
    expect(parseLogLine('M 7 512*A1B5')).toEqual({ kind: 'bad', reason: 'protocol frame with a wrong CRC' });
    expect(parseLogLine('M 7 513*A1B4').kind).toBe('bad');
    expect(parseLogLine('M 7 512*dc').kind).toBe('bad');
  });
});
