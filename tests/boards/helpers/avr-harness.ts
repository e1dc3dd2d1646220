/**
 * Line-level access to generated firmware on the product's emulated board (hil/emulator's AvrBoard:
 * CPU, timers, USART0, ADC through `channelValues`, ports B–D) without a pty: bytes are fed one at a
 * time on `onRxComplete` (avr8js has no RX FIFO) and the firmware's lines are collected with the
 * cycle counts they were sent at. Time is counted in simulated cycles only.
 */
import { readFileSync } from 'node:fs';
import type { AVRADC, AVRIOPort, AVRUSART, CPU } from 'avr8js';
import { getBoard } from '../../../boards/profiles.ts';
import { AvrBoard as EmulatedUno, loadIntelHex } from '../../../hil/emulator/index.ts';

export const CLOCK_HZ = 16_000_000;

export class AvrBoard {
  readonly board: EmulatedUno;
  readonly cpu: CPU;
  readonly usart: AVRUSART;
  readonly adc: AVRADC;
  readonly portB: AVRIOPort;
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
    const uno = getBoard('uno');
    this.board = new EmulatedUno(loadIntelHex(readFileSync(hexFile, 'utf8'), uno.memory.flash_B, hexFile), uno);
    this.cpu = this.board.cpu;
    this.usart = this.board.usart;
    this.adc = this.board.adc;
    this.portB = this.board.ports.B;
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

  /** Runs for `cycles` simulated CPU cycles (in slices, retrying a byte the USART could not take yet). */
  run(cycles: number): void {
    const end = this.cpu.cycles + cycles;
    while (this.cpu.cycles < end) {
      this.board.run(Math.min(64, end - this.cpu.cycles));
      if (this.rxQueue.length && !this.usart.rxBusy) this.feed();
    }
  }

  /** Runs until the firmware has transmitted `count` more lines, or throws after `maxCycles`. */
  runUntilLines(count: number, maxCycles: number): void {
    const target = this.lines.length + count;
    const end = this.cpu.cycles + maxCycles;
    while (this.lines.length < target) {
      if (this.cpu.cycles >= end) throw new Error(`firmware sent ${this.lines.length} of ${target} lines within ${maxCycles} cycles`);
      this.board.run(64);
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
