import type { Command } from 'commander';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { UserError } from '../../errors/user-error.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { DEFAULT_HOST_SILENCE_MS, startEmulator, type HostSilenceEvent } from '../../hil/emulator/emulator.ts';
import { startPicEmulator } from '../../hil/emulator/pic-emulator.ts';
import { EXIT_USER } from '../errors.ts';
import { collect, parseNonNegativeInt } from '../options.ts';

/** One stdout line per host-silence event, in the style of the lag/slip summary. */
function describeSilence(e: HostSilenceEvent): string {
  const at = `board time ${e.board_s.toFixed(3)} s`;
  if (e.kind === 'silent') return `host silent for ${e.silent_ms} ms while the board waits: board and rig run in real time from ${at}\n`;
  if (e.kind === 'line') return `board (host silent, ${at}): ${e.text}\n`;
  if (e.kind === 'back') return `host back at ${at}: virtual time resumes after ${(e.realtime_s * 1000).toFixed(1)} ms of board time in real time\n`;
  return `host still silent after ${e.realtime_s.toFixed(1)} s of board time in real time: the board pauses again at ${at} until the host's next line\n`;
}

export function registerBoard(program: Command): void {
  const board = program.command('board').description('emulated boards');
  board
    .command('emulate')
    .description('run a .hex in an emulated board (avr8js) behind a real serial device (a socat pseudo-terminal) until interrupted')
    .requiredOption('--firmware <file.hex>', 'Intel HEX to run (avr-gcc output)')
    .requiredOption('--device <path>', 'path the host opens, created as a symlink (e.g. /tmp/ttyEMU0); a stale link is replaced')
    .option('--board <id>', 'board profile (uno or nano: avr8js; pic16f877: gpsim through boards/pic-bridge)', 'uno')
    .option('--fast', 'run as fast as possible instead of in real time (millis() then runs fast too)')
    .option(
      '--rig <scenario>',
      "wire the scenario's simulated plant to the pins: sensor i → A<i>, actuator k → PWM pin k (D9, D10, D3, D11, D5, D6); pic16f877: ADC sensor i → AN<i>, step rate from PORTD/RC1, display index from PORTB (io firmware)",
    )
    .option('--set <key=value>', "with --rig: override a value of the rig's scenario, as hil run --set does; repeatable", collect, [])
    .option(
      '--host-silence-ms <ms>',
      "--fast --rig, board watchdog armed (WD n): once the host has been silent this long (wall clock) while the board waits for it, the board and rig run in real time until the host's next line, so the watchdog can fire (0: never)",
      parseNonNegativeInt,
      DEFAULT_HOST_SILENCE_MS,
    )
    .action(async (opts: { firmware: string; device: string; board: string; fast?: boolean; rig?: string; set: string[]; hostSilenceMs: number }) => {
      if (opts.set.length && !opts.rig) throw new UserError('--set changes the rig\'s scenario: give --rig SCENARIO');
      if (opts.board === 'pic16f877') return emulatePic(opts);
      const rig = opts.rig ? buildRun(loadScenario(opts.rig, { set: opts.set })) : undefined;
      let exitedByItself: string | undefined;
      const emu = await startEmulator({
        board: opts.board,
        firmware: opts.firmware,
        device: opts.device,
        realtime: !opts.fast,
        rig,
        hostSilenceMs: opts.hostSilenceMs,
        onHostSilence: (e) => process.stdout.write(describeSilence(e)),
        onExit: (reason) => (exitedByItself = reason),
      });
      process.stdout.write(
        `emulated ${opts.board} running ${opts.firmware} at ${emu.device} (${opts.fast ? 'as fast as possible' : 'real time'}${rig ? `, rig ${rig.scenario.name}` : ''}; emulator pid ${process.pid}, socat pid ${emu.socatPid}); Ctrl-C stops\n`,
      );
      const stop = () => void emu.stop('interrupted');
      // SIGHUP: the terminal was closed. Node's default would end the process without its exit
      // handlers, leaving socat running under init.
      const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
      for (const s of signals) process.once(s, stop);
      await emu.stopped;
      for (const s of signals) process.off(s, stop);
      const host = emu.hostBytes_s;
      const reports = emu.firmataReports;
      const hostSpan =
        (host ? `; the host's bytes came from board time ${host.first.toFixed(3)} s to ${host.last.toFixed(3)} s` : '') +
        (reports && reports.count > 1
          ? `; ${reports.count} Firmata analog reports sent from board time ${reports.first_s.toFixed(3)} s to ${reports.last_s.toFixed(3)} s, one every ${(((reports.last_s - reports.first_s) / (reports.count - 1)) * 1000).toFixed(2)} ms`
          : '');
      if (!opts.fast) process.stdout.write(`emulator stopped after ${emu.board.time_s.toFixed(3)} s of board time; largest lag behind real time ${(emu.maxLag_s * 1000).toFixed(1)} ms, ${(emu.slipped_s * 1000).toFixed(1)} ms slipped (the emulator could not keep up)${hostSpan}\n`);
      else if (emu.hostSilences > 0) {
        process.stdout.write(
          `emulator stopped after ${emu.board.time_s.toFixed(3)} s of board time; the host fell silent ${emu.hostSilences} time(s): ${(emu.silentRun_s * 1000).toFixed(1)} ms of board time run in real time, largest lag behind real time ${(emu.maxLag_s * 1000).toFixed(1)} ms, ${(emu.slipped_s * 1000).toFixed(1)} ms slipped\n`,
        );
      }
      if (exitedByItself) {
        process.stderr.write(`hilbench: emulator stopped: ${exitedByItself}\n`);
        process.exitCode = EXIT_USER;
      }
    });
}

/** `board emulate --board pic16f877`: gpsim through boards/pic-bridge behind the socat pty. */
async function emulatePic(opts: { firmware: string; device: string; fast?: boolean; rig?: string; set: string[]; hostSilenceMs: number }): Promise<void> {
  const rig = opts.rig ? buildRun(loadScenario(opts.rig, { set: opts.set })) : undefined;
  let exitedByItself: string | undefined;
  const emu = await startPicEmulator({
    firmware: opts.firmware,
    device: opts.device,
    realtime: !opts.fast,
    hostSilenceMs: opts.hostSilenceMs,
    rig,
    onExit: (reason) => (exitedByItself = reason),
  });
  process.stdout.write(
    `emulated pic16f877 running ${opts.firmware} at ${emu.device} (${opts.fast ? 'as fast as possible' : 'real time'}${rig ? `, rig ${rig.scenario.name}` : ''}; emulator pid ${process.pid}, pic-bridge pid ${emu.bridgePid}, socat pid ${emu.socatPid}); Ctrl-C stops\n`,
  );
  const stop = () => void emu.stop('interrupted');
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, stop);
  await emu.stopped;
  for (const s of signals) process.off(s, stop);
  // The plant's energies live in the rig only (an io run's host sees sensor counts): print them.
  if (emu.rig) process.stdout.write(`${emu.rig.summary()}\n`);
  if (exitedByItself) {
    process.stderr.write(`hilbench: emulator stopped: ${exitedByItself}\n`);
    process.exitCode = EXIT_USER;
  }
}
