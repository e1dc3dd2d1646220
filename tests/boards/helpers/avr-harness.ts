/**
 * A minimal emulated ATmega328P for the firmware tests (hil/emulator/ is the product's emulator;
 * this harness keeps the firmware tests independent of it): Intel HEX loader, CPU, timers, USART0
 * fed one byte at a time on `onRxComplete` (avr8js has no RX FIFO), ADC through `channelValues`,
 * ports B/C/D. Time is counted in simulated cycles only.
 */
import { readFileSync } from 'node:fs';
import {
  AVRADC,
  AVRIOPort,
  AVRTimer,
  AVRUSART,
  CPU,
  adcConfig,
  avrInstruction,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  timer1Config,
  timer2Config,
  usart0Config,
} from 'avr8js';

export const CLOCK_HZ = 16_000_000;

/** Parses Intel HEX into a program-memory image (32 KiB flash). */
export function loadHex(text: string, flashBytes = 32768): Uint16Array {
  const bytes = new Uint8Array(flashBytes);
  let base = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith(':')) continue;
    const n = parseInt(line.slice(1, 3), 16);
    const addr = parseInt(line.slice(3, 7), 16);
    const type = parseInt(line.slice(7, 9), 16);
    if (type === 0) for (let i = 0; i < n; i++) bytes[base + addr + i] = parseInt(line.slice(9 + 2 * i, 11 + 2 * i), 16);
    else if (type === 2) base = parseInt(line.slice(9, 13), 16) << 4;
    else if (type === 4) base = parseInt(line.slice(9, 13), 16) << 16;
  }
  return new Uint16Array(bytes.buffer);
}

export class AvrBoard {
  readonly cpu: CPU;
  readonly usart: AVRUSART;
  readonly adc: AVRADC;
  readonly portB: AVRIOPort;
  readonly portC: AVRIOPort;
  readonly portD: AVRIOPort;
  readonly timers: AVRTimer[];
  private rxQueue: number[] = [];
  private txLine = '';
  /** Complete lines the firmware transmitted (without '\r\n'), with the cycle count of their '\n'. */
  readonly lines: { text: string; cycles: number }[] = [];
  /** Cycle count at which the firmware started transmitting the line in progress. */
  private txStart = -1;
  readonly lineStarts: number[] = [];
  /** Cycle count when the last queued RX byte was received (complete in UDR). */
  lastRxCycles = 0;
  private rxPending = 0;

  constructor(hexFile: string) {
    this.cpu = new CPU(loadHex(readFileSync(hexFile, 'utf8')));
    this.timers = [timer0Config, timer1Config, timer2Config].map((c) => new AVRTimer(this.cpu, c));
    this.usart = new AVRUSART(this.cpu, usart0Config, CLOCK_HZ);
    this.adc = new AVRADC(this.cpu, adcConfig);
    this.portB = new AVRIOPort(this.cpu, portBConfig);
    this.portC = new AVRIOPort(this.cpu, portCConfig);
    this.portD = new AVRIOPort(this.cpu, portDConfig);
    this.usart.onByteTransmit = (b) => {
      if (this.txStart < 0) this.txStart = this.cpu.cycles;
      if (b === 10) {
        this.lines.push({ text: this.txLine.replace(/\r$/, ''), cycles: this.cpu.cycles });
        this.lineStarts.push(this.txStart);
        this.txLine = '';
        this.txStart = -1;
      } else this.txLine += String.fromCharCode(b);
    };
    this.usart.onRxComplete = () => {
      if (--this.rxPending === 0) this.lastRxCycles = this.cpu.cycles;
      this.feed();
    };
  }

  /** Queues bytes for the board's RX pin; they arrive at the configured baud rate. */
  send(text: string): void {
    for (let i = 0; i < text.length; i++) this.rxQueue.push(text.charCodeAt(i));
    this.feed();
  }

  private feed(): void {
    if (this.rxQueue.length === 0 || this.usart.rxBusy) return;
    if (this.usart.writeByte(this.rxQueue[0])) {
      this.rxQueue.shift();
      this.rxPending++;
    }
  }

  /** Runs for `cycles` simulated CPU cycles. */
  run(cycles: number): void {
    const end = this.cpu.cycles + cycles;
    while (this.cpu.cycles < end) {
      avrInstruction(this.cpu);
      this.cpu.tick();
      if (this.rxQueue.length && !this.usart.rxBusy) this.feed();
    }
  }

  /** Runs until the firmware has transmitted `count` more lines, or throws after `maxCycles`. */
  runUntilLines(count: number, maxCycles: number): void {
    const target = this.lines.length + count;
    const end = this.cpu.cycles + maxCycles;
    while (this.lines.length < target) {
      if (this.cpu.cycles >= end) throw new Error(`firmware sent ${this.lines.length} of ${target} lines within ${maxCycles} cycles`);
      avrInstruction(this.cpu);
      this.cpu.tick();
      if (this.rxQueue.length && !this.usart.rxBusy) this.feed();
    }
  }

  /** Sends one line and returns the firmware's next line. */
  request(line: string, maxCycles = CLOCK_HZ): string {
    this.send(line + '\n');
    this.runUntilLines(1, maxCycles);
    return this.lines[this.lines.length - 1].text;
  }
}
