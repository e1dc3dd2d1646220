import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { picBaud } from '../../boards/firmware/pic/generate-pic.ts';
import { cli, freshDir } from '../hil/helpers.ts';

// The PIC16F877 paths of `firmware generate` and `firmware flash` as a user runs them.
describe('firmware generate/flash --board pic16f877', () => {
  it('SPBRG/BRGH follow the datasheet formulas: 115200 baud at 20 MHz is SPBRG 10, BRGH 1, 113 636 baud', () => {
    // Fosc / (16 (SPBRG + 1)) with BRGH = 1 (PIC16F877 datasheet, USART baud rate formula).
    expect(picBaud(20e6, 115200)).toEqual({ spbrg: 10, brgh: 1, actual: 20e6 / (16 * 11) });
    expect(picBaud(20e6, 9600)).toEqual({ spbrg: 129, brgh: 1, actual: 20e6 / (16 * 130) });
    // 2400 baud needs BRGH = 0: Fosc / (64 (SPBRG + 1)); 1200 baud fits neither (SPBRG > 255).
    expect(picBaud(20e6, 2400)).toEqual({ spbrg: 129, brgh: 0, actual: 20e6 / (64 * 130) });
    expect(() => picBaud(20e6, 1200)).toThrow(/SPBRG out of 0-255/);
  });

  it('solar without --board builds for its own board and prints program words and RAM; flash --dry-run prints pk2cmd', async () => {
    const dir = join(freshDir('hilbench-pic-cli-'), 'solar_pic');
    const gen = cli(['firmware', 'generate', 'solar', '--out', dir, '--build']);
    expect(await gen.done, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('READY 2 pic16f877 hil/solar 4 2 1000000 0');
    expect(gen.stdout).toMatch(/USART: SPBRG 10, BRGH 1: 113636 baud for 115200 \(-1\.4 %\)/);
    expect(gen.stdout).toMatch(/built .*solar_pic\.hex: program \d+ of 8192 words, RAM \d+ of 368 B/);
    const hex = join(dir, 'build', 'solar_pic.hex');
    expect(existsSync(hex)).toBe(true);
    const flash = cli(['firmware', 'flash', '--board', 'pic16f877', '--hex', hex, '--port', '/dev/ttyUSB0', '--dry-run']);
    expect(await flash.done, flash.stderr).toBe(0);
    expect(flash.stdout.trim()).toBe(`pk2cmd -PPIC16F877 -F${hex} -M -R -T`);
  }, 120_000);

  it('solar --role io builds the I/O firmware: io/generic, no period until HELLO gives one', async () => {
    const dir = join(freshDir('hilbench-pic-cli-'), 'solar_io');
    const gen = cli(['firmware', 'generate', 'solar', '--role', 'io', '--out', dir, '--build']);
    expect(await gen.done, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('READY 2 pic16f877 io/generic 4 2 0 0');
    expect(gen.stdout).toMatch(/built .*solar_io\.hex: program \d+ of 8192 words, RAM \d+ of 368 B/);
  }, 120_000);

  it('refuses what the PIC generator does not cover with one line and exit 1', async () => {
    const dir = freshDir('hilbench-pic-cli-');
    // io firmware has the solar channels (ADC sensors, a step count, a step rate and a display index).
    const io = cli(['firmware', 'generate', 'maglev', '--board', 'pic16f877', '--role', 'io', '--out', join(dir, 'io')]);
    expect(await io.done).toBe(1);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(io.stderr).toMatch(/maglev\.json: .*PIC io firmware has the solar channels/);
    const maglev = cli(['firmware', 'generate', 'maglev-fixed', '--board', 'pic16f877', '--out', join(dir, 'm')]);
    expect(await maglev.done).toBe(1);
    expect(maglev.stderr).toMatch(/no PIC16F877 assembly generator/);
    const baud = cli(['firmware', 'generate', 'solar', '--baud', '1000000', '--out', join(dir, 'b')]);
    expect(await baud.done).toBe(1);
    expect(baud.stderr).toMatch(/baud 1000000 is .* % off/);
    const bad = cli(['firmware', 'flash', '--board', 'pic16f877', '--hex', join(dir, 'nope.hex'), '--port', '/dev/ttyUSB0', '--dry-run']);
    expect(await bad.done).toBe(1);
    expect(bad.stderr).toMatch(/nope\.hex: cannot read/);
  }, 300_000);
});
