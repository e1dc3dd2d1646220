import { Command, CommanderError } from 'commander';
import { version } from '../firmware-sim/version.ts';
import { commands } from './commands/index.ts';
import { fileError } from '../errors/fs-error.ts';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USER, oneLine, reportError } from './errors.ts';

export function buildProgram(): Command {
  const program = new Command('hilbench')
    .description('fixed-step simulator and hardware-in-the-loop harness for embedded controllers')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // commander quotes the offending argument: control characters in it must not act on the terminal.
    .configureOutput({ outputError: (text, write) => write(text.split('\n').map(oneLine).join('\n')) })
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
  guardStdout();
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

let stdoutGuarded = false;

/**
 * Standard output redirected to a full or read-only disk fails asynchronously (an 'error' event,
 * an uncaught exception with a stack trace by default): one line naming it, exit 1. A closed pipe
 * (`| head`) is the reader's choice: leave quietly.
 */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
    const { code, line } = reportError(fileError('standard output', 'write', e));
    process.stderr.write(line);
    process.exit(code);
  });
}
