import { crc16ccitt } from 'crc';
import { SerialPort } from 'serialport';

// A serial line to the emulated PIC for the PIC firmware tests, with a CRC written out independently
// of the firmware and of protocol/.

/** CRC-16/CCITT-FALSE from the `crc` package, independent of the firmware and of protocol/. */
export const crc16 = (s: string) => crc16ccitt(Buffer.from(s, 'latin1'));
export const frame = (body: string) => `${body}*${crc16(body).toString(16).toUpperCase().padStart(4, '0')}\n`;

export class Link {
  private buf = '';
  private waiters: ((l: string) => void)[] = [];
  private lines: string[] = [];
  constructor(readonly port: SerialPort) {
    port.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const l = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        const w = this.waiters.shift();
        if (w) w(l);
        else this.lines.push(l);
      }
    });
  }
  static async open(path: string): Promise<Link> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    return new Link(port);
  }
  /** Sends raw bytes and resolves with the next line the board sends (without '\n'). */
  ask(raw: string, timeoutMs = 5000): Promise<string> {
    this.port.write(Buffer.from(raw, 'latin1'));
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no answer to ${JSON.stringify(raw)} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((l) => {
        clearTimeout(t);
        res(l);
      });
    });
  }
  close(): Promise<void> {
    return new Promise((r) => this.port.close(() => r()));
  }
}

