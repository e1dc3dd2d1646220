import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyPair, type PtyPair } from '../../hil/emulator/index.ts';
import { encodeFrame, encodeS, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { SerialLink } from '../../hil/transport/index.ts';
import { freshDir } from './helpers.ts';

// A board whose answers stop coming — or go to another program that has the port open too (a
// serial monitor takes the bytes it reads) — ends the run with a message that names both causes.
let pty: PtyPair | undefined;
let board: SerialPort | undefined;
let link: SerialLink | undefined;
afterEach(async () => {
  await link?.close();
  if (board?.isOpen) await new Promise<void>((r) => board!.close(() => r()));
  pty?.stop();
  link = board = pty = undefined;
});

describe('answers that never reach the host', () => {
  it('after READY the board goes silent: "stopped answering", naming another program on the port as a cause', async () => {
    pty = await startPtyPair(join(freshDir('hilbench-silent-'), 'tty'));
    const boardPort = new SerialPort({ path: pty.boardEnd, baudRate: 115200, autoOpen: false });
    board = boardPort;
    await new Promise<void>((res, rej) => boardPort.open((e) => (e ? rej(e) : res())));
    // A board that answers HELLO and nothing else.
    boardPort.on('data', (d: Buffer) => {
      if (d.toString('latin1').includes('HELLO')) {
        boardPort.write(encodeFrame({ type: 'READY', version: PROTOCOL_VERSION, board: 'uno', firmware: 'hil/test', nSensors: 1, nActuators: 1, Ts_us: 1000, nRefs: 1 }));
      }
    });
    link = new SerialLink({ path: pty.device, requestTimeoutMs: 300, retries: 1, handshakeTimeoutMs: 30_000 });
    await link.open();
    const e = await link.request(encodeS(0, [1], [0]), 'A', 0).catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/stopped answering: no A 0 within 300 ms \(2 attempt\(s\)\)/);
    expect((e as Error).message).toMatch(/no other program \(a serial monitor, a second hilbench\) has the port open/);
  }, 60_000);
});
