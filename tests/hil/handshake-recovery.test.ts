/**
 * A host killed in the middle of writing a frame leaves half a line in the board's input buffer.
 * The next host must still get its READY (docs/protocol.md §2.5: ERR 1–3 mean a damaged line).
 * Real components: generated maglev-fixed firmware in avr8js, socat pty, serialport.
 */
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../hil/emulator/index.ts';
import { encodeS, type Frame } from '../../protocol/index.ts';
import { SerialLink } from '../../hil/transport/index.ts';
import { freshDir, generatedFirmware } from './helpers.ts';

let emu: RunningEmulator | undefined;
let link: SerialLink | undefined;
afterEach(async () => {
  await link?.close();
  await emu?.stop();
  link = emu = undefined;
});

/** What a host killed mid-write leaves: bytes of a frame without its line end. */
async function writePartial(device: string, text: string): Promise<void> {
  const port = new SerialPort({ path: device, baudRate: 115200, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  await new Promise<void>((res, rej) => port.write(text, (e) => (e ? rej(e) : res())));
  await new Promise<void>((res) => port.drain(() => res()));
  // Let the emulated board take the bytes in before the port goes away.
  await new Promise((r) => setTimeout(r, 200));
  await new Promise<void>((res) => port.close(() => res()));
}

describe('handshake after a half-written line', () => {
  it('a partial "S 12 50" in the board buffer: the next SerialLink still handshakes and runs', async () => {
    const hex = await generatedFirmware('maglev-fixed');
    const device = join(freshDir('hilbench-half-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: hex, device, realtime: true });
    await writePartial(device, 'S 12 50');
    link = new SerialLink({ path: device });
    const frames: Frame[] = [];
    link.frames$.subscribe((f) => frames.push(f));
    const ready = await link.open();
    expect(ready).toMatchObject({ type: 'READY', firmware: 'hil/maglev-fixed' });
    // The flushing "\n" ended the half line, the board answered ERR 1 crc (with the seq it could
    // read, section 2.5), and the first HELLO got READY.
    expect(frames[0]).toEqual({ type: 'ERR', code: 1, seq: 12, text: 'crc' });
    expect(link.counters.framesOut).toBe(1);
    const a = await link.request(encodeS(0, [546], [8000]), 'A', 0);
    expect(a).toMatchObject({ type: 'A', seq: 0 });
  }, 60_000);

  it('a half line longer than 128 bytes: ERR 2 toolong for it, then READY', async () => {
    const hex = await generatedFirmware('maglev-fixed');
    const device = join(freshDir('hilbench-half-'), 'ttyEMU0');
    emu = await startEmulator({ board: 'uno', firmware: hex, device, realtime: true });
    // The board discards an overlong line up to its '\n' (here the flushing one) and answers ERR 2.
    await writePartial(device, 'S 12 ' + '5'.repeat(200));
    link = new SerialLink({ path: device });
    const frames: Frame[] = [];
    link.frames$.subscribe((f) => frames.push(f));
    const ready = await link.open();
    expect(ready.type).toBe('READY');
    expect(frames[0]).toEqual({ type: 'ERR', code: 2, seq: 12, text: 'toolong' });
    expect(link.counters.framesOut).toBe(1);
  }, 60_000);
});
