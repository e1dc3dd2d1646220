import { ReadlineParser } from '@serialport/parser-readline';
import { Observable } from 'rxjs';
import { SerialPort } from 'serialport';
import { watchDevicePath } from './device-watch.ts';
import { LinkError, openError } from './errors.ts';

export interface SerialLinesOptions {
  /** Device path, e.g. /dev/ttyACM0 or a socat link. */
  readonly path: string;
  /** Baud rate. Default 115200. */
  readonly baud?: number;
  /** Reopen the port after it closes (board unplugged and plugged back). Default false. */
  readonly reconnect?: boolean;
  /** Delay between reopening attempts in ms. Default 250. */
  readonly retry_ms?: number;
  /** Bytes without a line end after which they are reported as a fragment and dropped. Default 4096. */
  readonly maxLine?: number;
}

export type SerialLineEvent =
  | { readonly type: 'open'; readonly reopened: boolean }
  /** A complete line, without its '\n' (a '\r' before it is kept for the parser to strip). */
  | { readonly type: 'line'; readonly line: string }
  /** Bytes that never became a line: a fragment cut by a disconnect, or an over-long run without '\n'. */
  | { readonly type: 'fragment'; readonly text: string; readonly reason: string }
  | { readonly type: 'closed'; readonly reason: string };

/**
 * The lines a serial device sends, as an observable: `serialport` opens the device and
 * `@serialport/parser-readline` splits lines. With `reconnect`, a closed port is reopened every
 * `retry_ms` until it comes back, and the stream goes on. A line is only ever emitted complete: a
 * fragment left when the port closes is reported as such, never as a line. Unsubscribing closes the port.
 * The first open failing is a LinkError naming the port and the fix. SerialLink (the protocol link)
 * is for boards that speak protocol v1; this module is for any sketch that prints lines.
 */
export function serialLines(options: SerialLinesOptions): Observable<SerialLineEvent> {
  const baudRate = options.baud ?? 115200;
  const retry_ms = options.retry_ms ?? 250;
  const maxLine = options.maxLine ?? 4096;
  return new Observable<SerialLineEvent>((sub) => {
    let stopped = false;
    let opened = false;
    let port: SerialPort | undefined;
    let timer: NodeJS.Timeout | undefined;

    const attempt = (): void => {
      timer = undefined;
      if (stopped) return;
      const p = new SerialPort({ path: options.path, baudRate, autoOpen: false });
      // Fed by hand rather than piped, so the port's end never flushes a cut line as if complete.
      const parser = new ReadlineParser({ delimiter: '\n', includeDelimiter: true, encoding: 'utf8' });
      let live = true;
      parser.on('data', (text: string) => {
        if (!live) return;
        sub.next({ type: 'line', line: text.slice(0, -1) });
      });
      p.on('data', (chunk: Buffer) => {
        if (!live) return;
        parser.write(chunk);
        const pending = parser.buffer;
        if (pending.length > maxLine) {
          parser.buffer = Buffer.alloc(0);
          sub.next({ type: 'fragment', text: pending.subarray(0, 64).toString('utf8'), reason: `no line end within ${maxLine} bytes` });
        }
      });
      let stopWatch = (): void => undefined;
      const onGone = (reason: string): void => {
        if (!live) return;
        live = false;
        stopWatch();
        const pending = parser.buffer;
        if (pending.length) sub.next({ type: 'fragment', text: pending.toString('utf8'), reason: 'line cut by the disconnect' });
        port = undefined;
        if (stopped) return;
        sub.next({ type: 'closed', reason });
        if (options.reconnect) timer = setTimeout(attempt, retry_ms);
        else sub.error(new LinkError(`${options.path}: port closed (${reason}); use --reconnect to wait for the board to come back`, { disconnected: true }));
      };
      p.on('close', (err?: Error | null) => onGone(err ? err.message : 'closed'));
      p.on('error', (err: Error) => onGone(err.message));
      p.open((err) => {
        if (stopped) {
          if (!err) p.close();
          return;
        }
        if (err) {
          live = false;
          if (!opened) {
            sub.error(openError(options.path, err));
          } else {
            timer = setTimeout(attempt, retry_ms);
          }
          return;
        }
        port = p;
        stopWatch = watchDevicePath(options.path, () => {
          onGone('the device disappeared');
          if (p.isOpen) p.close();
        });
        sub.next({ type: 'open', reopened: opened });
        opened = true;
      });
    };

    attempt();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (port?.isOpen) port.close();
    };
  });
}
