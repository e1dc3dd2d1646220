import { UserError } from '../../errors/user-error.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** A socat pseudo-terminal pair: the board's end and the host's end, in a fresh temp directory. */
export interface PtyPair {
  readonly dir: string;
  /** The end the emulator opens (bridged to the emulated USART). */
  readonly boardEnd: string;
  /** The end the host opens; `device` links here. */
  readonly hostEnd: string;
  /** The user-facing path (e.g. /tmp/ttyEMU0), a symlink to `hostEnd`. */
  readonly device: string;
  readonly socatPid: number;
  readonly socat: ChildProcess;
  /** Stops socat by PID, removes the device link (if still ours) and the temp directory. Idempotent. */
  stop(): void;
}

/**
 * Starts `socat` with two linked pseudo-terminals, waits for both links, then links `device` to the
 * host's end. A stale symlink at `device` (left by a killed emulator) is replaced; anything else
 * at that path is refused.
 */
/**
 * Removes the pty directories of emulators that were killed (kill -9 runs no cleanup): those whose
 * links both point at pseudo-terminals that no longer exist. A live pair's links resolve.
 */
function removeAbandonedPairs(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith('hilbench-pty-'));
  } catch {
    return;
  }
  for (const n of names) {
    const dir = join(tmpdir(), n);
    try {
      const links = ['board', 'host'].map((l) => join(dir, l));
      if (links.every((l) => lstatSync(l).isSymbolicLink() && !existsSync(l))) rmSync(dir, { recursive: true, force: true });
    } catch {
      // not a pair we made (or being made right now): leave it
    }
  }
}

const HAS_SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));

export async function startPtyPair(device: string, timeoutMs = 5000): Promise<PtyPair> {
  const dev = resolve(device);
  if (existsOrLink(dev) && !lstatSync(dev).isSymbolicLink()) {
    throw new UserError(`--device ${dev} exists and is not a symlink; choose a free path such as /tmp/ttyEMU0`);
  }
  const parent = dirname(dev);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    throw new UserError(`--device ${dev}: directory ${parent} does not exist; choose a path in an existing directory such as /tmp/ttyEMU0`);
  }
  removeAbandonedPairs();
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-pty-'));
  const boardEnd = join(dir, 'board');
  const hostEnd = join(dir, 'host');
  const socatArgs = ['-d', '-d', `pty,raw,echo=0,link=${boardEnd}`, `pty,raw,echo=0,link=${hostEnd}`];
  // Under setpriv --pdeathsig (util-linux), the kernel kills socat when this process dies, even by
  // kill -9, which no exit handler sees; setpriv execs socat, so the PID stays socat's.
  const socat = HAS_SETPRIV
    ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'socat', ...socatArgs], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('socat', socatArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let spawnError: Error | undefined;
  let exited = false;
  let stderr = '';
  socat.on('error', (e) => (spawnError = e));
  socat.on('exit', () => (exited = true));
  socat.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const t0 = Date.now();
  while (!(existsSync(boardEnd) && existsSync(hostEnd))) {
    if (spawnError) {
      rmSync(dir, { recursive: true, force: true });
      throw new UserError(`cannot start socat (${spawnError.message}); install it with 'apt-get install socat'`);
    }
    if (exited || Date.now() - t0 > timeoutMs) {
      if (!exited) socat.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      throw new UserError(`socat did not create the pseudo-terminal pair within ${timeoutMs} ms: ${stderr.trim().split('\n').pop() ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  try {
    if (existsOrLink(dev)) unlinkSync(dev); // stale link from an earlier emulator
    symlinkSync(hostEnd, dev);
  } catch (e) {
    // socat is running already: it must not outlive this failure.
    if (!exited) socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw new UserError(`--device ${dev}: cannot create the link (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path such as /tmp/ttyEMU0`);
  }
  let stopped = false;
  return {
    dir,
    boardEnd,
    hostEnd,
    device: dev,
    socatPid: socat.pid as number,
    socat,
    stop() {
      if (stopped) return;
      stopped = true;
      if (!exited && socat.pid) {
        try {
          process.kill(socat.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      try {
        if (lstatSync(dev).isSymbolicLink() && readlinkSync(dev) === hostEnd) unlinkSync(dev);
      } catch {
        // the link was removed or replaced by someone else
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function existsOrLink(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
