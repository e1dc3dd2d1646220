import { createRequire } from 'node:module';
import { SerialPort } from 'serialport';
import { LinkError, openError } from '../transport/errors.ts';
import type { IoBoard } from '../runners/io-run.ts';

// johnny-five and firmata-io ship CommonJS without type declarations; the few calls used here are typed below.
const require = createRequire(import.meta.url);

interface FirmataIo {
  MODES: { PWM: number; ANALOG: number };
  analogWrite(pin: number, value: number): void;
  pinMode(pin: number, mode: number): void;
  setSamplingInterval(ms: number): void;
  firmware?: { name: string; version: { major: number; minor: number } };
}
interface FiveBoard {
  io: FirmataIo;
  on(event: string, cb: (...args: unknown[]) => void): void;
  analogRead(pin: number, cb: (value: number) => void): void;
}

export interface FirmataBoardOptions {
  readonly path: string;
  /** StandardFirmata's rate: 57600. */
  readonly baudRate?: number;
  /** Analog inputs to report, in sensor order (0 → A0). */
  readonly analogPins: readonly number[];
  /** PWM pins, in actuator order (docs/protocol.md §5 order by default: 9, 10, …). */
  readonly pwmPins: readonly number[];
  /** Firmata analog sampling interval; firmata-io clamps it to ≥ 10 ms. */
  readonly samplingMs: number;
  /** How long to wait for the board's version report; default 10000 ms. */
  readonly readyTimeoutMs?: number;
}

/**
 * An io board reached through johnny-five with firmata-io (StandardFirmata on the board). Firmata
 * streams analog readings every sampling interval rather than answering requests, so `exchange`
 * writes the PWM duties and returns the most recent readings; the loop rate is bounded by the
 * sampling interval (≥ 10 ms) and the 57600-baud link.
 */
export class FirmataBoard implements IoBoard {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  private readonly latest: Int32Array;
  private port: SerialPort | undefined;
  private board: FiveBoard | undefined;
  private disconnected = false;
  readings = 0;
  firmware = '';

  constructor(private readonly opts: FirmataBoardOptions) {
    this.sensorCount = opts.analogPins.length;
    this.actuatorCount = opts.pwmPins.length;
    this.latest = new Int32Array(this.sensorCount);
  }

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate ?? 57600, autoOpen: false });
    this.port = port;
    port.on('close', () => (this.disconnected = true));
    const Firmata = require('firmata-io').Firmata as new (port: unknown, opts: object) => FirmataIo;
    const five = require('johnny-five') as { Board: new (opts: object) => FiveBoard };
    // Firmata turns the port's 'open' into johnny-five's 'connect', so both are built before opening.
    const io = new Firmata(port, { reportVersionTimeout: 100 });
    const board = new five.Board({ io, repl: false, debug: false, sigint: false });
    this.board = board;
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(openError(this.opts.path, e)) : res())));
    const timeoutMs = this.opts.readyTimeoutMs ?? 10_000;
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(
        () => rej(new LinkError(`no Firmata version report from ${this.opts.path} within ${timeoutMs} ms: flash StandardFirmata (Arduino IDE: File → Examples → Firmata) and use 57600 baud`, { timeout: true, wrongFirmware: true })),
        timeoutMs,
      );
      board.on('ready', () => {
        clearTimeout(timer);
        res();
      });
      board.on('error', (e) => {
        clearTimeout(timer);
        rej(new LinkError(`johnny-five: ${(e as Error).message ?? String(e)}`, { disconnected: true }));
      });
    });
    const fw = io.firmware;
    this.firmware = fw ? `${fw.name} ${fw.version.major}.${fw.version.minor}` : 'Firmata';
    io.setSamplingInterval(this.opts.samplingMs);
    for (const p of this.opts.pwmPins) io.pinMode(p, io.MODES.PWM);
    this.opts.analogPins.forEach((a, i) =>
      board.analogRead(a, (v) => {
        this.latest[i] = v;
        this.readings++;
      }),
    );
  }

  async exchange(act: Int32Array, t: number): Promise<Int32Array> {
    if (this.disconnected || !this.board) throw new LinkError(`Firmata board on ${this.opts.path} disconnected at t = ${t} s: check the cable or the emulator`, { disconnected: true });
    for (let j = 0; j < this.actuatorCount; j++) this.board.io.analogWrite(this.opts.pwmPins[j], act[j]);
    return this.latest;
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
  }
}
