/**
 * `hilbench firmware generate` and `firmware flash` as a user runs them: a sketch folder the Arduino
 * IDE accepts (<dir>/<dir>.ino) that `make` builds with Debian's avr-gcc, one-line errors with exit 1.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { hilbench } from '../helpers/cli.ts';

/** The CLI entry point in this process (what bin/hilbench.js calls), with its output captured. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const before = process.exitCode;
  try {
    const code = await main(['node', 'hilbench', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'hilbench-fwcli-'));

describe('hilbench firmware', () => {
  it('generate --build writes an IDE-ready sketch folder and builds it', () => {
    const dir = join(tmp, 'maglev_pid');
    const r = hilbench(['firmware', 'generate', 'maglev-fixed', '--out', dir, '--build']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('READY 2 uno hil/maglev-fixed 1 1 1000 1');
    expect(r.stdout).toMatch(/flash \d+ of 32256 B, RAM \d+ of 2048 B/);
    for (const f of ['maglev_pid.ino', 'Makefile', 'hil_config.h', 'hil_protocol.cpp', 'hil_protocol.h', 'controller.cpp', 'fixed_point.h']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(existsSync(join(dir, 'build', 'maglev_pid.hex'))).toBe(true);
    expect(readFileSync(join(dir, 'maglev_pid.ino'), 'utf8')).toContain('#include "hil_protocol.h"');
  });

  it('generate --role io writes the generic I/O firmware, replacing a hil sketch in the same folder', async () => {
    const dir = join(tmp, 'io');
    expect((await inProcess(['firmware', 'generate', 'maglev-fixed', '--out', dir])).code).toBe(0);
    expect(existsSync(join(dir, 'controller.cpp'))).toBe(true);
    const r = await inProcess(['firmware', 'generate', 'maglev', '--role', 'io', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('READY 2 uno io/generic 1 1 0 0');
    expect(r.stdout).toContain('make -C');
    expect(existsSync(join(dir, 'controller.cpp'))).toBe(false);
    expect(existsSync(join(dir, 'fixed_point.h'))).toBe(false);
  });

  it('refuses a float controller, a non-AVR board and a bad role with one line and exit 1', async () => {
    const float = hilbench(['firmware', 'generate', 'maglev', '--out', join(tmp, 'x')]);
    expect(float.code).toBe(1);
    expect(float.stderr.trim().split('\n')).toHaveLength(1);
    expect(float.stderr).toMatch(/controller type 'pid' has no firmware generator.*pid-fixed/);
    // solar builds for its own PIC16F877 now (tests/boards/pic-firmware-cli.test.ts); a controller
    // the PIC generator does not cover is refused there.
    const pic = await inProcess(['firmware', 'generate', 'maglev-fixed', '--board', 'pic16f877', '--out', join(tmp, 'y')]);
    expect(pic.code).toBe(1);
    expect(pic.stderr).toMatch(/PIC16F877.*--board uno/);
    const role = await inProcess(['firmware', 'generate', 'maglev-fixed', '--role', 'plc', '--out', join(tmp, 'z')]);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain("--role 'plc'");
  });

  it('flash: dry run prints the avrdude command; a missing port or hex is a one-line error', async () => {
    const hex = join(tmp, 'maglev_pid', 'build', 'maglev_pid.hex');
    const dry = await inProcess(['firmware', 'flash', '--port', '/dev/ttyACM9', '--hex', hex, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim()).toBe(`avrdude -p atmega328p -c arduino -P /dev/ttyACM9 -b 115200 -D -U flash:w:${hex}:i`);
    const nano = await inProcess(['firmware', 'flash', '--port', '/dev/ttyUSB9', '--board', 'nano', '--hex', hex, '--dry-run']);
    expect(nano.stdout).toContain('-b 57600');
    const noPort = await inProcess(['firmware', 'flash', '--port', join(tmp, 'ttyNone'), '--hex', hex]);
    expect(noPort.code).toBe(1);
    expect(noPort.stderr).toMatch(/no such port/);
    const noHex = await inProcess(['firmware', 'flash', '--port', '/dev/null', '--hex', join(tmp, 'missing.hex')]);
    expect(noHex.code).toBe(1);
    expect(noHex.stderr).toMatch(/missing\.hex: cannot read/);
    const help = await inProcess(['firmware', 'flash', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('avrdude');
  });
});
