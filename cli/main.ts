import { Command, CommanderError } from 'commander';
import { version } from '../firmware-sim/version.ts';
import { commands } from './commands/index.ts';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USER, reportError } from './errors.ts';

export function buildProgram(): Command {
  const program = new Command('hilbench')
    .description('fixed-step simulator and hardware-in-the-loop harness for embedded controllers')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  // Every sub-command exits through the same override so main() decides the code.
  for (const c of program.commands) applyExitOverride(c);
  return program;
}

function applyExitOverride(c: Command): void {
  c.exitOverride();
  for (const sub of c.commands) applyExitOverride(sub);
}

/** Runs the CLI; returns the exit code: 0 success, 1 user error, 2 internal error. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USER; // commander has already printed the message
    }
    const { code, line } = reportError(e);
    process.stderr.write(line);
    if (code === EXIT_INTERNAL && process.env.HILBENCH_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return code;
  }
}
