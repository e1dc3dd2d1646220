/**
 * Typed link errors. Callers branch on the boolean tags (serialport's style: `err.disconnected`);
 * every message says how to fix the problem. `userError` makes the CLI print one line and exit 1.
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

// Declaration merging gives the class the tags as optional properties without restating them.
export interface LinkError extends LinkErrorTags {}

export class LinkError extends Error {
  readonly userError = true;
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
