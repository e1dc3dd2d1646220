import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePicFirmware, picGeneratedFileNames, PIC16F877_PROGRAM_WORDS, PIC16F877_RAM_B } from '../../boards/firmware/pic/generate-pic.ts';
import { sketchNameFrom } from '../../boards/firmware/generate.ts';
import { getBoard } from '../../boards/profiles.ts';
import type { BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { UserError } from '../../errors/user-error.ts';
import { PROTOCOL_VERSION } from '../../protocol/frames.ts';

/** `firmware generate --board pic16f877` (the solar scenario's own board): a gpasm project, built with --build. */
export function generatePicProject(built: BuiltRun, scenarioFile: string, opts: { out: string; role: string; baud?: number; build?: boolean }): void {
  const dir = resolve(opts.out);
  const name = sketchNameFrom(dir);
  let gen;
  try {
    gen = generatePicFirmware(firmwareDescription(built), getBoard('pic16f877'), { role: opts.role as 'hil' | 'io', name, baud: opts.baud });
  } catch (e) {
    throw new UserError(`${scenarioFile}: ${(e as Error).message}`);
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`--out ${opts.out}: exists and is not a directory`);
  mkdirSync(dir, { recursive: true });
  for (const stale of picGeneratedFileNames) if (!(stale in gen.files)) rmSync(join(dir, stale), { force: true });
  for (const [file, text] of Object.entries(gen.files)) writeFileSync(join(dir, file), text);
  const id = gen.identity;
  const b = gen.baud;
  const lines = [
    `${dir}: ${Object.keys(gen.files).join(' ')}`,
    `  READY ${PROTOCOL_VERSION} ${id.board} ${id.firmware} ${id.nSensors} ${id.nActuators} ${id.Ts_us} ${id.nRefs}`,
    `  USART: SPBRG ${b.spbrg}, BRGH ${b.brgh}: ${b.actual.toFixed(0)} baud for ${b.requested} (${((b.actual / b.requested - 1) * 100).toFixed(1)} %)`,
  ];
  if (opts.build) {
    const r = buildPicFirmware(dir, name);
    lines.push(`  built ${r.hexFile}: program ${r.programWords} of ${PIC16F877_PROGRAM_WORDS} words, RAM ${r.ram_B} of ${PIC16F877_RAM_B} B`);
  } else {
    lines.push(`  build: make -C ${dir}   (gputils), or add ${name}.asm to an MPLAB X project`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

export interface PicBuildResult {
  readonly hexFile: string;
  readonly codFile: string;
  readonly programWords: number;
  readonly ram_B: number;
}

/**
 * Runs the project's Makefile (gpasm) and reads the use from the listing: program words from
 * gpasm's summary; RAM from the symbols the firmware's variable blocks end at (bank 0 up to
 * CTL_END, the shared bytes up to rx_tail, the bank-1 fields and memberships, and the receive ring).
 */
export function buildPicFirmware(dir: string, name: string): PicBuildResult {
  try {
    execFileSync('make', ['-s', '-C', dir], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { code?: string; stdout?: Buffer; stderr?: Buffer; message: string };
    if (err.code === 'ENOENT') throw new UserError('make not found: install make and gputils');
    const text = `${err.stdout?.toString() ?? ''}\n${err.stderr?.toString() ?? err.message}`;
    const first = text.split('\n').find((l) => /error/i.test(l)) ?? text.trim().split('\n')[0];
    throw new UserError(`building ${dir} failed: ${first.trim()}`);
  }
  const lst = readFileSync(join(dir, 'build', `${name}.lst`), 'utf8');
  const words = Number(/Program Memory Words Used:\s+(\d+)/.exec(lst)?.[1]);
  const sym = (s: string) => parseInt(new RegExp(`^${s}\\s+([0-9A-F]{8})$`, 'm').exec(lst)?.[1] ?? 'NaN', 16);
  // Bank 1: the parsed fields, and the fuzzy controller's nine memberships after them (io firmware has none).
  const bank1 = Number.isFinite(sym('MU')) ? sym('MU') + 9 - sym('FIELDS') : 4 * sym('HIL_MAX_FIELDS');
  const ram_B = sym('CTL_END') - 0x20 + (sym('rx_tail') - 0x70 + 1) + bank1 + (sym('RXBUF_MASK') + 1);
  if (!Number.isFinite(words) || !Number.isFinite(ram_B)) throw new UserError(`${dir}/build/${name}.lst: no memory summary from gpasm`);
  return { hexFile: join(dir, 'build', `${name}.hex`), codFile: join(dir, 'build', `${name}.cod`), programWords: words, ram_B };
}

/**
 * `firmware flash --board pic16f877`: the PICkit 2 command line (pk2cmd: -P part, -F hex, -M program
 * all, -R release reset, -T power from the programmer). No PIC programmer is attached here, so
 * only --dry-run is exercised by the tests.
 */
export function picFlashCommand(opts: { port: string; hex?: string; dir?: string; dryRun?: boolean }): void {
  if (!opts.hex) throw new UserError('firmware flash --board pic16f877: give --hex FILE (the .hex from firmware generate --build)');
  const hex = resolve(opts.hex);
  let text: string;
  try {
    text = readFileSync(hex, 'utf8');
  } catch (e) {
    throw new UserError(`${hex}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.length);
  const bad = lines.findIndex((l) => !/^:[0-9A-Fa-f]{10,}$/.test(l));
  if (lines.length === 0 || bad >= 0) throw new UserError(`${hex}:${bad + 1}: not an Intel HEX file`);
  // pk2cmd finds the PICkit on USB; --port names the board's serial link, which programming does not use.
  const args = ['-PPIC16F877', `-F${hex}`, '-M', '-R', '-T'];
  if (opts.dryRun) {
    process.stdout.write(`pk2cmd ${args.join(' ')}\n`);
    return;
  }
  try {
    execFileSync('pk2cmd', args, { stdio: 'inherit' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { status?: number };
    if (err.code === 'ENOENT') throw new UserError('pk2cmd not found: install the PICkit 2 command line (pk2cmd) or program the .hex with MPLAB IPE');
    throw new UserError(`pk2cmd could not program the PIC16F877 (exit ${err.status}): check the PICkit connection and power`);
  }
  process.stdout.write(`flashed ${hex} to pic16f877\n`);
}
