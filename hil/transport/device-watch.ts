import { realpathSync } from 'node:fs';

const WATCH_INTERVAL_MS = 200;

/**
 * serialport reports a hang-up only through a failing read, and a pty whose other end died can
 * answer EIO, which it does not count as a disconnect. So an open port's path is watched too: gone,
 * or now naming another device (a re-plugged board, a restarted emulator), means the port is dead.
 * Calls `onGone` once; returns a function that stops watching.
 */
export function watchDevicePath(path: string, onGone: () => void): () => void {
  const opened = resolveDevice(path);
  if (opened === undefined) return () => undefined;
  const timer = setInterval(() => {
    if (resolveDevice(path) === opened) return;
    clearInterval(timer);
    onGone();
  }, WATCH_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function resolveDevice(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
