import { ReadlineParser } from '@serialport/parser-readline';
import { Observable } from 'rxjs';
import { SerialPort } from 'serialport';
import { MAX_PLOTTER_LINE } from './plotter-line.ts';

export interface SerialLinesOptions {
  /** Device path, e.g. /dev/ttyACM0 or a socat link. */
  readonly path: string;
  /** Baud rate. Default 115200. */
  readonly baud?: number;
  /** Reopen the port after it closes (board unplugged and plugged back). Default false. */
  readonly reconnect?: boolean;
  /** Delay between reopening attempts in ms. Default 250. */
  readonly retry_ms?: number;
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
 * The first open failing is an error with `userError: true` naming the port.
 * (The link's transport in hil/transport/ will offer the same; this module reads lines only.)
 */
export function serialLines(options: SerialLinesOptions): Observable<SerialLineEvent> {
  const baudRate = options.baud ?? 115200;
  const retry_ms = options.retry_ms ?? 250;
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
        if (pending.length > MAX_PLOTTER_LINE) {
          parser.buffer = Buffer.alloc(0);
          sub.next({ type: 'fragment', text: pending.subarray(0, 64).toString('utf8'), reason: `no line end within ${MAX_PLOTTER_LINE} bytes` });
        }
      });
      const onGone = (reason: string): void => {
        if (!live) return;
        live = false;
        const pending = parser.buffer;
        if (pending.length) sub.next({ type: 'fragment', text: pending.toString('utf8'), reason: 'line cut by the disconnect' });
        port = undefined;
        if (stopped) return;
        sub.next({ type: 'closed', reason });
        if (options.reconnect) timer = setTimeout(attempt, retry_ms);
        else sub.error(Object.assign(new Error(`${options.path}: port closed (${reason}); use --reconnect to wait for the board to come back`), { userError: true, disconnected: true }));
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
            sub.error(
              Object.assign(new Error(`${options.path}: cannot open (${err.message}); check the port with \`hilbench ports\``), {
                userError: true,
              }),
            );
          } else {
            timer = setTimeout(attempt, retry_ms);
          }
          return;
        }
        port = p;
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
