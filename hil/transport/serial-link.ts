import { ReadlineParser } from '@serialport/parser-readline';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { SerialPort } from 'serialport';
import { newCounters, type LinkCounters } from '../../protocol/counters.ts';
import { FrameDecoder } from '../../protocol/decode.ts';
import { encodeFrame } from '../../protocol/encode.ts';
import { ErrCode, isLineDamage, PROTOCOL_VERSION, type Frame } from '../../protocol/frames.ts';
import { watchDevicePath } from './device-watch.ts';
import { LinkError, openError } from './errors.ts';
import { LineLimiter } from './line-limiter.ts';

export type LinkStatus = 'opening' | 'open' | 'disconnected' | 'reconnecting' | 'closed';

export type ReadyFrame = Extract<Frame, { type: 'READY' }>;

export interface SerialLinkOptions {
  /** Serial device path, e.g. /dev/ttyACM0 or an emulated board's --device. */
  readonly path: string;
  /** Baud rate; default 115200 (docs/protocol.md). */
  readonly baudRate?: number;
  /** HELLO is resent every this many ms until READY; default 250. */
  readonly helloIntervalMs?: number;
  /** Give up the handshake after this many ms; default 3000 (covers the Uno bootloader). */
  readonly handshakeTimeoutMs?: number;
  /** Per-request timeout for S/X/WD, per attempt; default 250. */
  readonly requestTimeoutMs?: number;
  /** Retransmissions of one request after a timeout or ERR 1–4; default 2. */
  readonly retries?: number;
  /** Reopen and re-handshake after a disconnect; default false. */
  readonly reconnect?: boolean;
  /** Give up reconnecting after this many ms; default 10000. */
  readonly reconnectTimeoutMs?: number;
}

interface Pending {
  readonly expect: Frame['type'];
  readonly seq: number | undefined;
  resolve(f: Frame): void;
  reject(e: Error): void;
}

/**
 * A protocol v2 link over `serialport`: frames in and out as RxJS streams, a link-status stream,
 * the HELLO/READY handshake with retries (never a boot banner), stop-and-wait requests with
 * per-request timeouts and retransmission, typed errors, reconnect, and an idempotent close.
 */
export class SerialLink {
  readonly counters: LinkCounters = newCounters();
  readonly status$ = new BehaviorSubject<LinkStatus>('closed');
  private readonly framesSubject = new Subject<Frame>();
  /** Every accepted frame from the board. */
  readonly frames$: Observable<Frame> = this.framesSubject.asObservable();
  private readonly unsolicitedSubject = new Subject<Frame>();
  /** Frames that answer no request: every FAULT, and every ERR not attributed to the outstanding request (for link.ndjson). */
  readonly unsolicited$: Observable<Frame> = this.unsolicitedSubject.asObservable();
  readonly decoder = new FrameDecoder(this.counters);
  ready: ReadyFrame | undefined;
  private port: SerialPort | undefined;
  private pending: Pending | undefined;
  private closing = false;
  private stopWatch: () => void = () => undefined;
  private readonly opts: Required<SerialLinkOptions>;

  constructor(options: SerialLinkOptions) {
    if (!options.path) throw new LinkError(`option 'path' is required: the serial device to open`, { noSuchPort: true });
    this.opts = {
      baudRate: 115200,
      helloIntervalMs: 250,
      handshakeTimeoutMs: 3000,
      requestTimeoutMs: 250,
      retries: 2,
      reconnect: false,
      reconnectTimeoutMs: 10000,
      // An option passed as undefined keeps its default.
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SerialLinkOptions),
    };
    for (const k of ['baudRate', 'helloIntervalMs', 'handshakeTimeoutMs', 'requestTimeoutMs'] as const) {
      if (!(this.opts[k] > 0)) throw new Error(`option '${k}' must be > 0 (got ${this.opts[k]})`);
    }
  }

  get path(): string {
    return this.opts.path;
  }

  get options(): Readonly<Required<SerialLinkOptions>> {
    return this.opts;
  }

  /** Opens the port and handshakes; resolves with the board's READY. */
  async open(): Promise<ReadyFrame> {
    this.closing = false;
    this.status$.next('opening');
    await this.openPort();
    try {
      this.ready = await this.handshake(true);
    } catch (e) {
      await this.close();
      throw e;
    }
    this.status$.next('open');
    return this.ready;
  }

  private async openPort(): Promise<void> {
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false, lock: true });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(openError(this.opts.path, e)) : res())));
    this.port = port;
    const parser = port.pipe(new LineLimiter()).pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
    parser.on('data', (line: string) => this.onLine(line));
    port.on('close', (err?: { disconnected?: boolean }) => this.onClose(port, err));
    port.on('error', () => {
      // 'close' follows with the reason; the pending request is failed there.
    });
    this.watchDevice(port);
  }

  private watchDevice(port: SerialPort): void {
    this.stopWatch();
    this.stopWatch = watchDevicePath(this.opts.path, () => {
      if (port !== this.port) return;
      this.onClose(port, { disconnected: true });
      if (port.isOpen) port.close(() => undefined);
    });
  }

  private onLine(line: string): void {
    const f = this.decoder.decode(line);
    if (f === null || f === 'comment') return;
    this.framesSubject.next(f);
    if (f.type === 'FAULT') this.unsolicitedSubject.next(f);
    const p = this.pending;
    if (f.type === 'ERR') {
      this.counters.errFrames++;
      if (!p || !answersPending(f, p)) {
        this.unsolicitedSubject.next(f);
        return;
      }
      this.pending = undefined;
      p.resolve(f);
      return;
    }
    if (!p) {
      if (f.type === 'A' || f.type === 'M') this.counters.outOfSequence++;
      return;
    }
    if (f.type !== p.expect) return;
    if (p.seq !== undefined && 'seq' in f && f.seq !== p.seq) {
      this.counters.outOfSequence++;
      return;
    }
    this.pending = undefined;
    p.resolve(f);
  }

  private onClose(port: SerialPort, err?: { disconnected?: boolean }): void {
    if (port !== this.port) return;
    this.port = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (this.closing) {
      p?.reject(new LinkError('link closed', { canceled: true }));
      return;
    }
    this.status$.next('disconnected');
    p?.reject(this.disconnectedError(err?.disconnected ? 'the device disappeared' : 'the port closed'));
    if (this.opts.reconnect) void this.reconnectLoop();
  }

  private disconnectedError(what: string): LinkError {
    return new LinkError(
      `board disconnected on ${this.opts.path} (${what}): check the cable, or restart 'hilbench board emulate' for an emulated board`,
      { disconnected: true },
    );
  }

  private async reconnectLoop(): Promise<void> {
    const t0 = Date.now();
    this.status$.next('reconnecting');
    while (!this.closing && Date.now() - t0 < this.opts.reconnectTimeoutMs) {
      await sleep(500);
      if (this.closing) return;
      try {
        await this.openPort();
        this.ready = await this.handshake(true);
        this.status$.next('open');
        return;
      } catch {
        const port = this.port;
        this.port = undefined;
        if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
      }
    }
    if (!this.closing) {
      this.closing = true;
      this.status$.next('closed');
    }
  }

  /** Repeats the handshake on the open port: the board resets (docs/protocol.md §2.1) and the sequence restarts. */
  async rehandshake(): Promise<ReadyFrame> {
    this.ready = await this.handshake();
    return this.ready;
  }

  private write(line: string): void {
    const port = this.port;
    if (!port) throw this.disconnectedError('the port is not open');
    this.counters.framesOut++;
    port.write(line, 'latin1');
  }

  /**
   * Sends HELLO every helloIntervalMs until READY. Errors distinguish silence (timeout), garbage
   * (wrong baud) and another protocol version (wrong firmware). `flush` (a freshly opened port)
   * first sends a lone "\n": a host killed mid-write may have left half a line in the board's
   * buffer, which would otherwise swallow the first HELLO. The board answers ERR 1 to that line.
   */
  private async handshake(flush = false): Promise<ReadyFrame> {
    const before = { ...this.counters };
    const line = encodeFrame({ type: 'HELLO', version: PROTOCOL_VERSION });
    const deadline = Date.now() + this.opts.handshakeTimeoutMs;
    if (flush) {
      this.port?.write('\n', 'latin1');
      // Let the board answer that line (ERR 1) before HELLO follows: one line at a time, as with
      // every request (the emulator's fast mode pauses a board that has answered until the next line).
      await this.await('ERR', undefined, Math.min(100, this.opts.helloIntervalMs)).catch(() => undefined);
    }
    let intervalEnd = 0;
    while (Date.now() < deadline) {
      if (Date.now() >= intervalEnd) {
        intervalEnd = Math.min(Date.now() + this.opts.helloIntervalMs, deadline);
        this.write(line);
      }
      // ERR 1–3 mean a line lost or damaged on the wire (§2.5), e.g. the flushed half line: the
      // wait goes on for READY (it may be in the same read), and HELLO is sent again at the next interval.
      const f = await this.await('READY', undefined, Math.max(1, intervalEnd - Date.now())).catch((e: LinkError) => {
        if (e.timeout) return undefined;
        throw e;
      });
      if (!f) continue;
      if (f.type === 'ERR') {
        throw new LinkError(`the board on ${this.opts.path} refused HELLO ${PROTOCOL_VERSION} (ERR ${f.code} ${f.text}): flash firmware generated by this hilbench version ('hilbench firmware generate' + 'hilbench firmware flash')`, { wrongFirmware: true });
      }
      const r = f as ReadyFrame;
      if (r.version !== PROTOCOL_VERSION) {
        throw new LinkError(`the board speaks protocol ${r.version}, hilbench speaks ${PROTOCOL_VERSION}: regenerate and flash the firmware with this hilbench`, { wrongFirmware: true });
      }
      this.decoder.arity = r.firmware.startsWith('io/') ? { M: r.nSensors } : { A: r.nActuators };
      return r;
    }
    const garbage = this.counters.nonAscii + this.counters.badCrc + this.counters.tooLong - before.nonAscii - before.badCrc - before.tooLong;
    const frames = this.counters.framesIn - before.framesIn;
    if (garbage > 0 && frames === 0) {
      throw new LinkError(
        `no READY from ${this.opts.path} within ${this.opts.handshakeTimeoutMs} ms, only ${garbage} unreadable line(s): the board probably runs at another baud rate; pass --baud with the firmware's rate (generated firmware: 115200)`,
        { timeout: true, wrongBaud: true },
      );
    }
    const comments = this.counters.comments - before.comments;
    throw new LinkError(
      `no READY from ${this.opts.path} within ${this.opts.handshakeTimeoutMs} ms${comments || frames ? ` (the board prints something, but not protocol v${PROTOCOL_VERSION} frames)` : ''}: check that hilbench firmware is flashed ('hilbench firmware flash'), that this is the right port ('hilbench ports') and the baud rate (--baud)`,
      { timeout: true, wrongFirmware: comments + frames > 0 },
    );
  }

  private await(expect: Frame['type'], seq: number | undefined, timeoutMs: number): Promise<Frame> {
    if (this.pending) return Promise.reject(new LinkError('a request is already outstanding (stop-and-wait)', { busy: true }));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending === p) this.pending = undefined;
        reject(new LinkError(`no answer from ${this.opts.path} within ${timeoutMs} ms`, { timeout: true }));
      }, timeoutMs);
      const p: Pending = {
        expect,
        seq,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.pending = p;
    });
  }

  /**
   * Sends one request line and waits for the frame `expect` (with `seq` if given), retransmitting
   * the same line after a timeout or ERR 1–4. Resolves with the answer, or an ERR 5–7 frame.
   * `check` names what is wrong with an answer whose values are out of range (undefined: fine);
   * such an answer is malformed (docs/protocol.md §1) and handled like a damaged frame:
   * retransmitted, then a one-line error with the check's reason.
   */
  async request(
    line: string,
    expect: Frame['type'],
    seq?: number,
    timeoutMs = this.opts.requestTimeoutMs,
    check?: (f: Frame) => string | undefined,
  ): Promise<Frame> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.counters.retries++;
      this.write(line);
      let f: Frame;
      try {
        f = await this.await(expect, seq, timeoutMs);
      } catch (e) {
        if ((e as LinkError).timeout) {
          this.counters.timeouts++;
          if (attempt < this.opts.retries) continue;
          throw new LinkError(
            `board on ${this.opts.path} stopped answering: no ${expect}${seq !== undefined ? ` ${seq}` : ''} within ${timeoutMs} ms (${attempt + 1} attempt(s)); check the board is powered and running hilbench firmware, or the emulator, and that no other program (a serial monitor, a second hilbench) has the port open: it would take the answers`,
            { timeout: true },
          );
        }
        throw e;
      }
      if (f.type === 'ERR' && isLineDamage(f.code) && attempt < this.opts.retries) continue;
      const bad = check && f.type === expect ? check(f) : undefined;
      if (bad !== undefined) {
        this.counters.malformed++;
        if (attempt < this.opts.retries) continue;
        throw new LinkError(
          `board on ${this.opts.path} answered ${expect}${seq !== undefined ? ` ${seq}` : ''} with ${bad} (${attempt + 1} attempt(s)); check that the flashed firmware matches the scenario ('hilbench firmware generate' + 'hilbench firmware flash')`,
          { boardError: true },
        );
      }
      return f;
    }
  }

  /** Arms (ms > 0) or disarms (0) the board watchdog. */
  async setWatchdog(ms: number): Promise<void> {
    // An acknowledgement of another period is malformed (§2.4): retransmitted, then refused.
    const echoes = (f: Frame) => (f.type === 'WD' && f.ms !== ms ? `WD ${f.ms}, not the ${ms} ms sent` : undefined);
    const f = await this.request(encodeFrame({ type: 'WD', ms }), 'WD', undefined, undefined, echoes);
    if (f.type === 'ERR') throw new LinkError(`the board refused WD ${ms}: ERR ${f.code} ${f.text}`, { boardError: true });
  }

  /** Closes the port; safe to call any number of times. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopWatch();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    const p = this.pending;
    this.pending = undefined;
    p?.reject(new LinkError('link closed', { canceled: true }));
    if (this.status$.value !== 'closed') this.status$.next('closed');
  }
}

/**
 * Whether an ERR is the outstanding request's answer (docs/protocol.md §2.5): an ERR carrying the
 * request's seq is; one with another seq, or none, may answer line noise, so it never counts
 * against a S/X request, which waits on for its answer until its timeout. A request without seq
 * (HELLO, WD) takes an unattributed ERR 4–7, which only a line with a good CRC can earn (it arrived
 * intact), never an ERR 1–3, which noise earns. The handshake's flush waits for the ERR of its
 * lone '\n' and takes any.
 */
function answersPending(f: Extract<Frame, { type: 'ERR' }>, p: Pending): boolean {
  if (p.expect === 'ERR') return true;
  if (p.seq !== undefined) return f.seq === p.seq;
  return f.seq === undefined && f.code >= ErrCode.arity;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
