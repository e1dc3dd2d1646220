/**
 * A synchronous FirmwareLink to generated firmware running in the test harness's emulated board:
 * the S/A exchange of docs/protocol.md, byte for byte at the firmware's baud rate, without a pty.
 * (The product's path through socat and serialport is `hilbench hil run`; this one isolates the firmware.)
 */
import type { FirmwareLink } from '../../../firmware-sim/firmware-link.ts';
import { crc16ccitt } from 'crc';
import { encodeS, frameLine, PROTOCOL_VERSION, referenceMicro } from '../../../protocol/index.ts';
import { CLOCK_HZ, type AvrBoard } from './avr-harness.ts';

/** Parses a board frame, checking its CRC; returns the fields after the type. */
export function parseBoardFrame(line: string): { type: string; fields: string[] } {
  const star = line.lastIndexOf('*');
  if (star < 0) throw new Error(`board sent a line without CRC: '${line}'`);
  const body = line.slice(0, star);
  const crc = line.slice(star + 1);
  const want = crc16ccitt(body).toString(16).toUpperCase().padStart(4, '0');
  if (crc !== want) throw new Error(`board frame '${line}' has CRC ${crc}, expected ${want}`);
  const [type, ...fields] = body.split(' ');
  return { type, fields };
}

export function hello(board: AvrBoard): string[] {
  const { type, fields } = parseBoardFrame(board.request(frameLine(`HELLO ${PROTOCOL_VERSION}`).trimEnd(), CLOCK_HZ * 3));
  if (type !== 'READY') throw new Error(`HELLO answered with ${type} ${fields.join(' ')}`);
  return fields;
}

export class EmulatedLink implements FirmwareLink {
  readonly sensorCount: number;
  readonly actuatorCount: number;
  private readonly out: Int32Array;
  private readonly refs: Int32Array;
  private seq = 0;
  /** Cycles from the last byte of each S frame to the first byte of its A frame. */
  readonly computeCycles: number[] = [];

  constructor(
    private readonly board: AvrBoard,
    sensorCount: number,
    actuatorCount: number,
    /** Maps the run's reference vector onto the scenario order the S frame uses. */
    private readonly refOrder: readonly number[],
  ) {
    this.sensorCount = sensorCount;
    this.actuatorCount = actuatorCount;
    this.out = new Int32Array(actuatorCount);
    this.refs = new Int32Array(refOrder.length);
  }

  reset(): void {
    hello(this.board);
    this.seq = 0;
  }

  tick(sensorCounts: Int32Array, ref: Float64Array): Int32Array {
    for (let j = 0; j < this.refOrder.length; j++) this.refs[j] = referenceMicro(ref[this.refOrder[j]]);
    const line = encodeS(this.seq, sensorCounts, this.refs).trimEnd();
    const answer = this.board.request(line, CLOCK_HZ);
    this.computeCycles.push(this.board.lineStarts[this.board.lineStarts.length - 1] - this.board.lastRxCycles);
    const { type, fields } = parseBoardFrame(answer);
    if (type !== 'A' || Number(fields[0]) !== this.seq) throw new Error(`S ${this.seq} answered with '${answer}'`);
    for (let k = 0; k < this.actuatorCount; k++) this.out[k] = Number(fields[1 + k]);
    this.seq = (this.seq + 1) & 0xffff;
    return this.out;
  }
}
