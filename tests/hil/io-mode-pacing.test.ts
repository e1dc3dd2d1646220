/**
 * Board-clock pacing of the io firmware (`HELLO 2 <period_us>`, docs/hil.md "io mode pacing") and
 * the emulator's fast mode with a rig, which stops board time while the board waits for the host.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getBoard } from '../../boards/profiles.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { AvrBoard, UsartBridge, loadIntelHex, startEmulator, type RunningEmulator } from '../../hil/emulator/index.ts';
import { crc16ccitt } from 'crc';
import { frameLine } from '../../protocol/index.ts';
import { ProtocolIoBoard, helloWithPeriod, runIo, runIoScenario, type IoBoard } from '../../hil/runners/io-run.ts';
import { LinkLog } from '../../hil/runners/link-log.ts';
import { SerialLink } from '../../hil/transport/serial-link.ts';
import { buildTestFirmware, freshDir, generatedFirmware } from './helpers.ts';

const CLOCK_HZ = 16_000_000;

/** The io firmware on the product's AvrBoard, driven line by line in board time (no pty). */
class Bench {
  readonly board: AvrBoard;
  private readonly bridge: UsartBridge;
  private partial = '';
  /** Lines sent by the board, with the board cycle of their '\n'. */
  readonly lines: { text: string; cycles: number }[] = [];

  constructor(hex: string) {
    const uno = getBoard('uno');
    this.board = new AvrBoard(loadIntelHex(readFileSync(hex, 'utf8'), uno.memory.flash_B, hex), uno);
    this.bridge = new UsartBridge(this.board.usart);
    this.board.run(CLOCK_HZ / 100); // boot
  }

  /** Runs until the board has sent one more line (at most `maxCycles`). */
  private runToLine(maxCycles: number): { text: string; cycles: number } {
    const want = this.lines.length + 1;
    const end = this.board.cycles + maxCycles;
    while (this.lines.length < want && this.board.cycles < end) {
      this.bridge.feed();
      this.board.run(16);
      const out = this.bridge.takeTx();
      if (!out) continue;
      for (const b of out) {
        if (b === 10) {
          this.lines.push({ text: this.partial, cycles: this.board.cycles });
          this.partial = '';
        } else this.partial += String.fromCharCode(b);
      }
    }
    if (this.lines.length < want) throw new Error(`no answer within ${maxCycles} cycles`);
    return this.lines[want - 1];
  }

  /** Sends one frame and returns the board's answer; `meanwhile` runs after `afterCycles` of board time. */
  request(body: string, meanwhile?: { afterCycles: number; run: () => void }): { text: string; cycles: number } {
    this.bridge.push(Buffer.from(frameLine(body), 'latin1'));
    if (meanwhile) {
      const n = this.lines.length;
      for (let c = 0; c < meanwhile.afterCycles; c += 16) {
        this.bridge.feed();
        this.board.run(16);
        const out = this.bridge.takeTx();
        if (out) throw new Error(`the board answered '${String.fromCharCode(...out)}' before ${meanwhile.afterCycles} cycles`);
      }
      expect(this.lines.length).toBe(n);
      meanwhile.run();
    }
    const l = this.runToLine(CLOCK_HZ / 10);
    const star = l.text.lastIndexOf('*');
    expect(l.text.slice(star + 1), `CRC of '${l.text}'`).toBe(crc16ccitt(l.text.slice(0, star)).toString(16).toUpperCase().padStart(4, '0'));
    return { text: l.text.slice(0, star), cycles: l.cycles };
  }

  idle(cycles: number): void {
    this.board.run(cycles);
  }
}

describe('io firmware: board-clock pacing', () => {
  it('HELLO 2 <period_us> announces the period; X is applied and sampled on the board’s period grid; a late X slips it', async () => {
    const hex = await generatedFirmware('maglev', ['--role', 'io', '--baud', '1000000']);
    const b = new Bench(hex);
    expect(b.request('HELLO 2 2000').text).toBe('READY 2 uno io/generic 1 1 2000 0');
    // Ten X frames sent as soon as each M is in: the answers come every 2 ms of board time.
    const at: number[] = [];
    for (let k = 0; k < 10; k++) at.push(b.request(`X ${k} 100`).cycles);
    const gaps = at.slice(1).map((c, i) => (c - at[i]) / CLOCK_HZ);
    // micros() counts in 4 µs steps; the grid does not drift (8 periods sum to 16 ms).
    // The very first conversion after power-up takes 25 ADC clocks instead of 13 (ATmega328P data
    // sheet §24.4), so M 0 leaves 96 µs later after its sample than the others: start at M 1.
    // One answer may also wait for an interrupt of the Arduino core (timer 0) that falls between
    // the boundary and the answer: with protocol v2's longer CRC-16 one gap here is 10.7 µs short.
    for (const g of gaps.slice(1)) expect(Math.abs(g - 0.002)).toBeLessThan(12e-6);
    expect(Math.abs((at[9] - at[1]) / CLOCK_HZ - 0.016)).toBeLessThan(8e-6);
    // The voltage is sampled at the boundary, not when X arrives: 1 ms after X (received and parsed
    // within ~0.2 ms) the board is still silent, the voltage changes, and M carries the new one.
    b.board.setAnalogVoltage(0, 1.0);
    b.request('X 10 100');
    const m11 = b.request('X 11 100', { afterCycles: CLOCK_HZ * 0.001, run: () => b.board.setAnalogVoltage(0, 4.0) });
    expect(m11.text).toBe(`M 11 ${Math.floor((4.0 / 5) * 1024)}`);
    // A late X (host took 3 ms) is answered at once (X in, ADC, M out take ~0.6 ms at 1 Mbaud), not at
    // the old grid's next boundary 1 ms later, and the grid restarts from it.
    b.idle(CLOCK_HZ * 0.003);
    const sent = b.board.cycles;
    const late = b.request('X 12 100');
    expect((late.cycles - sent) / CLOCK_HZ).toBeLessThan(0.0008);
    const next = b.request('X 13 100');
    expect(Math.abs((next.cycles - late.cycles) / CLOCK_HZ - 0.002)).toBeLessThan(8e-6);
    // A retransmitted X repeats the answer at once.
    const again = b.request('X 13 100');
    expect(again.text).toBe(next.text);
    expect((again.cycles - next.cycles) / CLOCK_HZ).toBeLessThan(0.0008);
  }, 60_000);

  it('plain HELLO 2 keeps host pacing (answer at once); a period over 1 s is refused with ERR 5', async () => {
    const hex = await generatedFirmware('maglev', ['--role', 'io', '--baud', '1000000']);
    const b = new Bench(hex);
    expect(b.request('HELLO 2 1000001').text).toBe('ERR 5 - range');
    expect(b.request('HELLO 2').text).toBe('READY 2 uno io/generic 1 1 0 0');
    b.request('X 0 100');
    b.idle(CLOCK_HZ * 0.0003);
    const sent = b.board.cycles;
    expect((b.request('X 1 100').cycles - sent) / CLOCK_HZ).toBeLessThan(0.0008);
    // HELLO with a period again after a paced run: READY echoes it, a plain HELLO clears it.
    expect(b.request('HELLO 2 5000').text).toBe('READY 2 uno io/generic 1 1 5000 0');
    expect(b.request('HELLO 2').text).toBe('READY 2 uno io/generic 1 1 0 0');
  }, 60_000);
});

describe('emulator fast mode + rig: host stalls stop board time', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  /** One io run of `ticks` ticks through the pty; `stall(k)` ms of host delay before tick k. */
  async function ioRun(hex: string, stall: (k: number) => number, tag: string): Promise<string[]> {
    const built = buildRun(loadScenario('maglev', { set: ['Ts=0.002', 'computationDelay=true', 'duration=0.3'] }));
    const dir = freshDir(`hilbench-pace-${tag}-`);
    emu = await startEmulator({ board: 'uno', firmware: hex, device: join(dir, 'tty'), realtime: false, rig: buildRun(loadScenario('maglev')) });
    const link = new SerialLink({ path: emu.device, baudRate: 1_000_000, retries: 0, requestTimeoutMs: 2000 });
    try {
      await link.open();
      const log = new LinkLog(join(dir, 'link.ndjson'));
      expect(await helloWithPeriod(link, built.scenario.Ts, log)).toBe('board');
      const inner = new ProtocolIoBoard(link, 1, 1);
      let k = 0;
      const stalling: IoBoard = {
        sensorCount: 1,
        actuatorCount: 1,
        async exchange(act, t) {
          const ms = stall(k++);
          if (ms > 0) await new Promise((r) => setTimeout(r, ms));
          return inner.exchange(act, t);
        },
      };
      const r = await runIoScenario(built, stalling, { outDir: join(dir, 'io'), pacing: 'board' });
      expect(r.status).toBe('completed');
      // sensor counts and applied actuator counts: columns 2 and 5 of t_s, x_counts, x, x_ref, i_counts, i
      return readFileSync(join(dir, 'io', 'run.csv'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(',').slice(0, 6).join(','));
    } finally {
      await link.close();
    }
  }

  it('a run with host stalls of up to 25 ms gives the same samples as one without', async () => {
    const hex = await generatedFirmware('maglev', ['--role', 'io', '--baud', '1000000']);
    const smooth = await ioRun(hex, () => 0, 'a');
    await emu?.stop();
    // Every seventh tick the host stalls 5–25 ms, ten times the 2 ms period: with real-time pacing the
    // plant would run open-loop that long.
    const stalled = await ioRun(hex, (k) => (k % 7 === 3 ? 5 + ((k * 13) % 21) : 0), 'b');
    expect(stalled.length).toBe(151);
    expect(stalled).toEqual(smooth);
    // The loop closed: the measured position moved off its initial count.
    expect(new Set(smooth.slice(1).map((l) => l.split(',')[1])).size).toBeGreaterThan(3);
  }, 60_000);
});

describe('hil run --mode io picks the pacing from the firmware', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  async function pacingOf(hex: string, baudRate: number, ioPacing?: 'host'): Promise<Record<string, unknown>> {
    const dir = freshDir('hilbench-pick-');
    emu = await startEmulator({ board: 'uno', firmware: hex, device: join(dir, 'tty'), realtime: false });
    const built = buildRun(loadScenario('maglev', { set: ['Ts=0.002', 'duration=0.05'] }));
    // What is checked is the pacing chosen, not how fast the answers come: on a busy machine the
    // emulated board may need far more wall time per request than a real one (default 250 ms).
    const r = await runIo(built, { port: emu.device, outDir: join(dir, 'io'), baudRate, ioPacing, requestTimeoutMs: 60_000, handshakeTimeoutMs: 60_000 });
    expect(r.status).toBe('completed');
    await emu.stop();
    return r.metrics;
  }

  it('board pacing with the generated io firmware; host pacing when forced, or when the firmware refuses HELLO 2 <period>', async () => {
    const generated = await generatedFirmware('maglev', ['--role', 'io', '--baud', '1000000']);
    const board = await pacingOf(generated, 1_000_000);
    expect(board.io_pacing).toBe('board');
    expect(board.host_turnaround_count).toBe(24);
    expect((await pacingOf(generated, 1_000_000, 'host')).io_pacing).toBe('host');
    // The hand-written test firmware knows only HELLO 2 (ERR 4 arity for the period field).
    const old = await pacingOf(buildTestFirmware('io'), 115200);
    expect(old.io_pacing).toBe('host');
    expect(old.samples).toBe(25);
  }, 60_000);
});
