import type { AVRUSART } from 'avr8js';
import { frameTypeOf, type FrameType } from '../../protocol/frames.ts';

/** Longer first words name no frame type: no need to keep them. */
const MAX_TYPE_LENGTH = 8;

/**
 * Host bytes → the emulated USART's receiver, one byte per character time. avr8js has no RX FIFO:
 * `writeByte` refuses while a byte is in flight, so bytes wait here and the next one is handed
 * over from `onRxComplete`. Board bytes → `onTx`, collected and flushed by the run loop.
 */
export class UsartBridge {
  private readonly rx: number[] = [];
  private rxHead = 0;
  private tx: number[] = [];
  rxBytes = 0;
  txBytes = 0;
  /** Host line ends ('\n') handed to the USART so far. */
  linesFed = 0;
  /**
   * Consulted before the first byte of each host line: false holds the line back (see the
   * emulator's board-clock pacing). Null: every byte goes in as soon as the USART takes it.
   */
  lineGate: (() => boolean) | null = null;
  /** Called with the frame type of every line the host sends (e.g. 'HELLO', 'X'), as its first word arrives. */
  onHostLine: ((type: FrameType) => void) | null = null;
  private lineStart = '';
  private atLineStart = true;
  private atFedLineStart = true;

  constructor(private readonly usart: AVRUSART) {
    usart.onRxComplete = () => this.feed();
    usart.onByteTransmit = (b) => {
      this.tx.push(b);
      this.txBytes++;
    };
  }

  /** Queues bytes received from the host. */
  push(data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      const b = data[i];
      this.rx.push(b);
      if (this.onHostLine) this.watchLine(b);
    }
    this.feed();
  }

  /** Hands the next queued byte to the USART if it can take one (also called by the run loop, for a receiver enabled late). */
  feed(): void {
    if (this.rxHead >= this.rx.length || this.usart.rxBusy || !this.usart.rxEnable) return;
    if (this.lineGate && this.atFedLineStart && !this.lineGate()) return;
    const b = this.rx[this.rxHead];
    if (this.usart.writeByte(b)) {
      this.rxHead++;
      this.rxBytes++;
      this.atFedLineStart = b === 10;
      if (b === 10) this.linesFed++;
      if (this.rxHead > 4096) {
        this.rx.splice(0, this.rxHead);
        this.rxHead = 0;
      }
    }
  }

  private watchLine(b: number): void {
    if (b === 10) {
      this.atLineStart = true;
      this.lineStart = '';
      return;
    }
    if (!this.atLineStart) return;
    if (b === 32) {
      this.atLineStart = false;
      const type = frameTypeOf(this.lineStart);
      if (type) this.onHostLine?.(type);
    } else if (this.lineStart.length < MAX_TYPE_LENGTH) this.lineStart += String.fromCharCode(b);
  }

  get pendingRx(): number {
    return this.rx.length - this.rxHead;
  }

  /** Bytes the board sent since the last call. */
  takeTx(): Uint8Array | null {
    if (this.tx.length === 0) return null;
    const out = Uint8Array.from(this.tx);
    this.tx = [];
    return out;
  }
}
