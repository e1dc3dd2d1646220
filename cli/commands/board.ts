import type { Command } from 'commander';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { startEmulator } from '../../hil/emulator/emulator.ts';
import { EXIT_USER } from '../errors.ts';

export function registerBoard(program: Command): void {
  const board = program.command('board').description('emulated boards');
  board
    .command('emulate')
    .description('run a .hex in an emulated board (avr8js) behind a real serial device (a socat pseudo-terminal) until interrupted')
    .requiredOption('--firmware <file.hex>', 'Intel HEX to run (avr-gcc output)')
    .requiredOption('--device <path>', 'path the host opens, created as a symlink (e.g. /tmp/ttyEMU0); a stale link is replaced')
    .option('--board <id>', 'board profile (uno or nano)', 'uno')
    .option('--fast', 'run as fast as possible instead of in real time (millis() then runs fast too)')
    .option('--rig <scenario>', "wire the scenario's simulated plant to the pins: sensor i → A<i>, actuator k → PWM pin k (D9, D10, D3, D11, D5, D6)")
    .action(async (opts: { firmware: string; device: string; board: string; fast?: boolean; rig?: string }) => {
      const rig = opts.rig ? buildRun(loadScenario(opts.rig)) : undefined;
      let exitedByItself: string | undefined;
      const emu = await startEmulator({
        board: opts.board,
        firmware: opts.firmware,
        device: opts.device,
        realtime: !opts.fast,
        rig,
        onExit: (reason) => (exitedByItself = reason),
      });
      process.stdout.write(
        `emulated ${opts.board} running ${opts.firmware} at ${emu.device} (${opts.fast ? 'as fast as possible' : 'real time'}${rig ? `, rig ${rig.scenario.name}` : ''}; emulator pid ${process.pid}, socat pid ${emu.socatPid}); Ctrl-C stops\n`,
      );
      const stop = () => void emu.stop('interrupted');
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await emu.stopped;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (!opts.fast) process.stdout.write(`emulator stopped after ${emu.board.time_s.toFixed(3)} s of board time; largest lag behind real time ${(emu.maxLag_s * 1000).toFixed(1)} ms, ${(emu.slipped_s * 1000).toFixed(1)} ms slipped (the emulator could not keep up)\n`);
      if (exitedByItself) {
        process.stderr.write(`hilbench: emulator stopped: ${exitedByItself}\n`);
        process.exitCode = EXIT_USER;
      }
    });
}
