import { UserError } from '../../errors/user-error.ts';

/**
 * Typed link errors. Callers branch on the boolean tags (serialport's style: `err.disconnected`);
 * every message says how to fix the problem. A UserError: the CLI prints one line and exits 1.
 */
export interface LinkErrorTags {
  disconnected?: boolean;
  timeout?: boolean;
  busy?: boolean;
  noSuchPort?: boolean;
  wrongFirmware?: boolean;
  wrongBaud?: boolean;
  boardError?: boolean;
  canceled?: boolean;
}

// Declaration merging gives the class the tags as optional read-only properties without restating them.
export interface LinkError extends Readonly<LinkErrorTags> {}

/**
 * A UserError, not a RunStopped: most link errors (no such port, busy, wrong firmware or baud) come
 * before any run has started and no file is written. A run that loses its board turns the LinkError
 * into its own RunStopped (reason and files) — the loop's business, not the transport's.
 */
export class LinkError extends UserError {
  readonly linkFault = true;

  constructor(message: string, tags: LinkErrorTags) {
    super(message);
    this.name = 'LinkError';
    Object.assign(this, tags);
  }
}

/** Maps a serialport open() failure to a typed error with a fix-it message. */
export function openError(path: string, e: Error): LinkError {
  const m = e.message;
  if (/ENOENT|No such file/i.test(m)) {
    return new LinkError(`no such port ${path}: check the cable and the path ('hilbench ports' lists ports; an emulated board's path is the --device given to 'hilbench board emulate')`, { noSuchPort: true });
  }
  if (/lock|EBUSY|busy|temporarily unavailable/i.test(m)) {
    return new LinkError(`port ${path} is busy: another program holds it (close the Arduino IDE serial monitor or another hilbench), then retry`, { busy: true });
  }
  if (/EACCES|Permission denied/i.test(m)) {
    return new LinkError(`permission denied on ${path}: add yourself to the 'dialout' group ('sudo usermod -aG dialout $USER', then log in again)`, { noSuchPort: true });
  }
  return new LinkError(`cannot open ${path}: ${m}`, { disconnected: true });
}
