import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './cli.ts';

const driver = fileURLToPath(new URL('./pty-interrupt.py', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url));

export interface PtyResult {
  /** Exit code (negative: killed by that signal). */
  readonly code: number;
  /** Ctrl-C keys typed. */
  readonly presses: number;
  /** Everything the command printed on its terminal (stdout and stderr), escapes included. */
  readonly output: string;
}

/**
 * Runs `hilbench …` on a pseudo-terminal (python3's pty module) and types Ctrl-C `presses` times,
 * 50 ms or more apart, once `trigger` has appeared on the terminal — as a user at a keyboard.
 */
export function hilbenchOnPty(args: readonly string[], trigger: string, presses = 1, timeout_s = 300): PtyResult {
  const r = spawnSync('python3', [driver, trigger, String(presses), String(timeout_s), process.execPath, bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: (timeout_s + 30) * 1000,
  });
  if (r.status !== 0) throw new Error(`pty driver failed (${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { exit: number; presses: number; output: string };
  return { code: j.exit, presses: j.presses, output: Buffer.from(j.output, 'base64').toString('utf8') };
}

/** The cursor was shown again after the last time it was hidden (or never hidden). */
export function cursorRestored(output: string): boolean {
  return output.lastIndexOf('\x1b[?25h') >= output.lastIndexOf('\x1b[?25l');
}
