import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileNamed } from '../../errors/fs-error.ts';
import { join, resolve } from 'node:path';
import { buildFirmware } from '../../boards/build.ts';
import { buildTargets } from '../../boards/firmware/board-targets.ts';
import { generateFirmware, generatedFileNames, sketchNameFrom, type FirmwareRole } from '../../boards/firmware/generate.ts';
import { firmwareDescription } from '../../firmware-sim/scenario/firmware-description.ts';
import { getBoard } from '../../boards/profiles.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { UserError } from '../../errors/user-error.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { frameBody } from '../../protocol/encode.ts';
import { PROTOCOL_VERSION } from '../../protocol/frames.ts';
import { collect, parsePositiveInt } from '../options.ts';
import { prepareOutDir } from '../../errors/out-path.ts';
import { generatePicProject, picFlashCommand } from './firmware-pic.ts';

export function registerFirmware(program: Command): void {
  const fw = program.command('firmware').description('generate, build and flash Arduino firmware for a scenario (docs/firmware.md)');

  fw.command('generate')
    .description("write an Arduino sketch folder (protocol loop, watchdog, the scenario's controller in integer arithmetic) and a Makefile for avr-gcc")
    .argument('<scenario>', 'built-in scenario name or a scenario .json file')
    .requiredOption('--out <dir>', 'sketch folder to write; its name is the sketch name (the Arduino IDE requires <dir>/<dir>.ino)')
    .option('--board <id>', `board to build for (${Object.keys(buildTargets).join(', ')}); default: the scenario's. The S-frame counts stay the scenario's converters'`)
    .option('--role <role>', "'hil': controller on the board (S/A lockstep); 'io': generic sensors/actuators firmware (X/M)", 'hil')
    .option('--baud <n>', "serial baud rate (default: the board profile's, 115200)", parsePositiveInt)
    .option('--controller <id|file>', 'a named controller of the scenario, or a controller .json')
    .option('--set <key=value>', 'override a scenario value (dotted JSON path, or a plant parameter name); repeatable', collect, [])
    .option('--build', 'also build the .hex with make and print flash/RAM use')
    .action((name: string, opts: { out: string; board?: string; role: string; baud?: number; controller?: string; set: string[]; build?: boolean }) => {
      if (opts.role !== 'hil' && opts.role !== 'io') throw new UserError(`--role '${opts.role}': expected hil or io`);
      const loaded = loadScenario(name, { set: opts.set, controller: opts.controller });
      const built = buildRun(loaded);
      if ((opts.board ?? built.board.id) === 'pic16f877') return generatePicProject(built, loaded.file, opts);
      const dir = resolve(opts.out);
      const sketch = sketchNameFrom(dir);
      let gen;
      try {
        gen = generateFirmware(firmwareDescription(built), { role: opts.role as FirmwareRole, sketch, baud: opts.baud, board: opts.board });
      } catch (e) {
        throw new UserError(`${loaded.file}: ${(e as Error).message}`);
      }
      prepareOutDir(opts.out);
      // A folder generated before for another role or controller keeps no file the Makefile would compile.
      for (const stale of generatedFileNames) if (!(stale in gen.files)) rmSync(join(dir, stale), { force: true });
      for (const [file, text] of Object.entries(gen.files)) writeFileNamed(join(dir, file), text);
      const id = gen.identity;
      const lines = [
        `${dir}: ${Object.keys(gen.files).join(' ')}`,
        `  ${frameBody({ type: 'READY', version: PROTOCOL_VERSION, ...id })}`,
      ];
      if (opts.build) {
        const r = buildFirmware(dir);
        const t = gen.target;
        lines.push(`  built ${r.hexFile}: flash ${r.flash_B} of ${t.maxFlash_B} B, RAM ${r.ram_B} of ${t.maxRam_B} B`);
      } else {
        lines.push(`  build: make -C ${dir}   (or open ${join(dir, `${sketch}.ino`)} in the Arduino IDE)`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });

  fw.command('flash')
    .description("upload a .hex to a real board with Debian's avrdude (the board's bootloader; opening the port resets it)")
    .requiredOption('--port <path>', 'serial device of the board, e.g. /dev/ttyACM0')
    .option('--board <id>', `board (${Object.keys(buildTargets).join(', ')})`, 'uno')
    .option('--hex <file>', 'Intel HEX to upload')
    .option('--dir <sketch>', 'a generated sketch folder: build it with make, then upload its .hex')
    .option('--upload-baud <n>', "bootloader baud rate (default: the board's, e.g. 115200 for the Uno)", parsePositiveInt)
    .option('--dry-run', 'print the avrdude command instead of running it')
    .action((opts: { port: string; board: string; hex?: string; dir?: string; uploadBaud?: number; dryRun?: boolean }) => {
      if (opts.board === 'pic16f877') return picFlashCommand(opts);
      const board = getBoardOrFail(opts.board);
      const target = buildTargets[board.id];
      if ((opts.hex === undefined) === (opts.dir === undefined)) throw new UserError('firmware flash: give exactly one of --hex FILE or --dir SKETCH_FOLDER');
      const hex = opts.hex ? resolve(opts.hex) : buildFirmware(resolve(opts.dir!)).hexFile;
      checkHex(hex);
      const args = ['-p', board.mcu, '-c', target.programmer, '-P', opts.port, '-b', String(opts.uploadBaud ?? target.uploadBaud), '-D', '-U', `flash:w:${hex}:i`];
      if (opts.dryRun) {
        process.stdout.write(`avrdude ${args.join(' ')}\n`);
        return;
      }
      if (!existsSync(opts.port)) {
        throw new UserError(`--port ${opts.port}: no such port (is the board plugged in? \`hilbench ports\` lists the serial ports)`);
      }
      const r = spawnSync('avrdude', args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
      if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError('avrdude not found: install it with `sudo apt-get install avrdude`');
      if (r.status !== 0) {
        const last = (r.stderr ?? '').split('\n').filter((l) => l.trim()).slice(-1)[0] ?? `exit ${r.status}`;
        throw new UserError(`avrdude could not flash ${opts.port}: ${last.trim()} (check --board, the port, and that no other program holds it)`);
      }
      process.stdout.write(`flashed ${hex} to ${opts.board} at ${opts.port}\n`);
    });
}

function getBoardOrFail(id: string) {
  try {
    const board = getBoard(id);
    if (!buildTargets[board.id]) throw new Error(`board '${id}' is not an AVR board avrdude can flash here (known: ${Object.keys(buildTargets).join(', ')})`);
    return board;
  } catch (e) {
    throw new UserError(`--board: ${(e as Error).message}`);
  }
}

/** A readable Intel HEX file, so avrdude is not started on a typo. */
function checkHex(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.length);
  const bad = lines.findIndex((l) => !/^:[0-9A-Fa-f]{10,}$/.test(l));
  if (lines.length === 0 || bad >= 0) throw new UserError(`${file}:${bad + 1}: not an Intel HEX file`);
}
