/**
 * `npm run bench -- firmware`: for every firmware `hilbench firmware generate` emits, the code size
 * (flash/RAM against the Uno's limits) and the cycles the board spends per tick, measured on the
 * emulated ATmega328P (hil/emulator) driving the scenario's closed loop: from the last byte of a
 * request frame to the first byte of the answer (parse, CRC, controller, formatting). The ratio
 * against the control period's cycle budget (Ts × 16 MHz) is the figure to watch; the link's
 * lockstep limit adds the frames' transfer time at the baud rate.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFirmware } from '../boards/build.ts';
import { generateFirmware, type FirmwareRole } from '../boards/firmware/generate.ts';
import { firmwareDescription } from '../firmware-sim/scenario/firmware-description.ts';
import { getBoard } from '../boards/profiles.ts';
import type { FirmwareLink } from '../firmware-sim/firmware-link.ts';
import type { RowSink } from '../firmware-sim/recorder.ts';
import { buildRun } from '../firmware-sim/scenario/build.ts';
import { loadScenario } from '../firmware-sim/scenario/load.ts';
import { simulate } from '../run/simulate.ts';

import { AvrBoard } from '../hil/emulator/avr-board.ts';
import { loadIntelHex } from '../hil/emulator/intel-hex.ts';
import { encodeS, encodeX, frameLine, PROTOCOL_VERSION, referenceMicro } from '../protocol/index.ts';

const BAUD = 115200;

class NullSink implements RowSink {
  begin(): void {}
  write(): void {}
  end(): void {}
}

/** Line exchange with the emulated board's USART, bytes fed one at a time as they complete. */
class Wire {
  private rx: number[] = [];
  private line = '';
  private firstTx = -1;
  private pending = 0;
  /** Cycle count when the last byte of the request was complete in the USART's data register. */
  lastRx = 0;
  answers: { text: string; firstTx: number }[] = [];
  constructor(readonly board: AvrBoard) {
    board.usart.onByteTransmit = (b) => {
      if (this.firstTx < 0) this.firstTx = board.cycles;
      if (b === 10) {
        this.answers.push({ text: this.line, firstTx: this.firstTx });
        this.line = '';
        this.firstTx = -1;
      } else this.line += String.fromCharCode(b);
    };
    board.usart.onRxComplete = () => {
      if (--this.pending === 0) this.lastRx = this.board.cycles;
      this.feed();
    };
  }
  private feed(): void {
    if (this.rx.length && !this.board.usart.rxBusy && this.board.usart.writeByte(this.rx[0])) {
      this.rx.shift();
      this.pending++;
    }
  }
  request(text: string): { text: string; computeCycles: number } {
    for (let i = 0; i < text.length; i++) this.rx.push(text.charCodeAt(i));
    const n = this.answers.length;
    const limit = this.board.cycles + 3 * this.board.clock_Hz;
    while (this.answers.length === n) {
      if (this.board.cycles > limit) throw new Error(`no answer to ${text.trim()}`);
      this.board.run(64);
      this.feed();
    }
    const a = this.answers[n];
    return { text: a.text, computeCycles: a.firstTx - this.lastRx };
  }
}

class EmulatorLink implements FirmwareLink {
  readonly out: Int32Array;
  private seq = 0;
  readonly cycles: number[] = [];
  constructor(
    private readonly wire: Wire,
    readonly sensorCount: number,
    readonly actuatorCount: number,
    private readonly refOrder: readonly number[],
  ) {
    this.out = new Int32Array(actuatorCount);
  }
  reset(): void {
    this.wire.request(frameLine(`HELLO ${PROTOCOL_VERSION}`));
  }
  tick(counts: Int32Array, ref: Float64Array): Int32Array {
    const r = this.wire.request(encodeS(this.seq, counts, this.refOrder.map((j) => referenceMicro(ref[j]))));
    this.cycles.push(r.computeCycles);
    const f = r.text.slice(0, r.text.indexOf('*')).split(' ');
    for (let k = 0; k < this.actuatorCount; k++) this.out[k] = Number(f[2 + k]);
    this.seq = (this.seq + 1) & 0xffff;
    return this.out;
  }
}

interface Case {
  label: string;
  scenario: string;
  role: FirmwareRole;
  set?: string[];
  controller?: string;
}

const cases: Case[] = [
  { label: 'pid-fixed (maglev-fixed)', scenario: 'maglev-fixed', role: 'hil' },
  { label: 'sugeno-fixed (maglev-sugeno-fixed)', scenario: 'maglev-sugeno-fixed', role: 'hil' },
  { label: 'solar integer fuzzy, seed', scenario: 'solar', role: 'hil', set: ['duration=7200', 'utc_offset_h=-3', 'controllers.seed.decideEvery_s=1'], controller: 'seed' },
  { label: 'solar integer fuzzy, winter fix', scenario: 'solar', role: 'hil', set: ['duration=7200', 'utc_offset_h=-3', 'controllers.winter-fix.decideEvery_s=1'], controller: 'winter-fix' },
  { label: 'io generic (maglev channels)', scenario: 'maglev', role: 'io' },
];

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

export async function benchFirmware(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'hilbench-bench-fw-'));
  const uno = getBoard('uno');
  console.log(`board uno (ATmega328P, ${uno.clock_Hz / 1e6} MHz), ${BAUD} baud; cycles per tick = last request byte → first answer byte`);
  console.log('firmware                              flash B  RAM B  ticks  p50 cyc  max cyc  max µs  max/Ts budget');
  for (const c of cases) {
    const built = buildRun(loadScenario(c.scenario, { set: c.set, controller: c.controller }));
    const gen = generateFirmware(firmwareDescription(built), { role: c.role, sketch: 'fw', board: 'uno' });
    const dir = join(root, c.label.replace(/\W+/g, '_'));
    mkdirSync(dir);
    for (const [f, text] of Object.entries(gen.files)) writeFileSync(join(dir, f), text);
    const b = buildFirmware(dir, { coreBuildDir: join(root, 'core') });
    const board = new AvrBoard(loadIntelHex(readFileSync(b.hexFile, 'utf8'), uno.memory.flash_B), uno);
    const wire = new Wire(board);
    let cycles: number[];
    let Ts = built.scenario.Ts;
    if (c.role === 'hil') {
      const link = new EmulatorLink(wire, built.sensors.length, built.actuators.length, built.scenario.references.map((r) => built.config.references.findIndex((x) => x.name === r.name)));
      simulate(built.config, link, new NullSink());
      cycles = link.cycles;
    } else {
      wire.request(frameLine(`HELLO ${PROTOCOL_VERSION}`));
      cycles = [];
      for (let seq = 0; seq < 500; seq++) cycles.push(wire.request(encodeX(seq, [seq % 256])).computeCycles);
      Ts = 0.001; // io mode's usual 1 kHz pacing
    }
    const max = Math.max(...cycles);
    const budget = Ts * uno.clock_Hz;
    console.log(
      `${c.label.padEnd(37)} ${String(b.flash_B).padStart(7)} ${String(b.ram_B).padStart(6)} ${String(cycles.length).padStart(6)} ${String(pct(cycles, 0.5)).padStart(8)} ${String(max).padStart(8)} ${((max / uno.clock_Hz) * 1e6).toFixed(0).padStart(7)}  ${(max / budget).toFixed(4)} of ${Ts} s`,
    );
  }
}

/**
 * The PIC16F877 rows: the generated gpasm firmware in gpsim (boards/pic-bridge), driven by
 * `hilbench hil run` over the socat pty; cycles per tick are instruction cycles (Fosc/4 = 5 MHz)
 * from the request's '\n' in RCREG to the answer's first TXREG write, as the bridge counts them.
 */
export async function benchFirmwarePic(): Promise<void> {
  const { spawn } = await import('node:child_process');
  const { generatePicFirmware } = await import('../boards/firmware/pic/generate-pic.ts');
  const { buildPicFirmware } = await import('../cli/commands/firmware-pic.ts');
  const { startPicEmulator } = await import('../hil/emulator/pic-emulator.ts');
  const pic = getBoard('pic16f877');
  const cyclesPerSecond = pic.clock_Hz / 4;
  const root = mkdtempSync(join(tmpdir(), 'hilbench-bench-pic-'));
  console.log(`board pic16f877 (${pic.clock_Hz / 1e6} MHz, ${cyclesPerSecond / 1e6} MIPS), ${BAUD} baud requested; cycles per tick = request '\\n' in RCREG → first answer byte in TXREG`);
  console.log('firmware                         program words  RAM B  ticks  p50 cyc  max cyc  max µs  max/Ts budget | bridge: bytes in/out per wall s, simulated MIPS per simulating s');
  for (const c of cases.filter((x) => x.scenario === 'solar')) {
    const built = buildRun(loadScenario(c.scenario, { set: c.set, controller: c.controller }));
    const dir = join(root, c.label.replace(/\W+/g, '_'), 'fw');
    mkdirSync(dir, { recursive: true });
    const gen = generatePicFirmware(firmwareDescription(built), pic, { role: 'hil', name: 'fw' });
    for (const [f, text] of Object.entries(gen.files)) writeFileSync(join(dir, f), text);
    const b = buildPicFirmware(dir, 'fw');
    const emu = await startPicEmulator({ firmware: b.hexFile, device: join(root, `tty-${c.controller}`), latency: true });
    const t0 = performance.now();
    const args = ['bin/hilbench.js', 'hil', 'run', c.scenario, '--port', emu.device, '--out', join(root, `run-${c.controller}`), '--controller', c.controller ?? 'seed', ...(c.set ?? []).flatMap((s) => ['--set', s])];
    const code = await new Promise<number | null>((r) => spawn(process.execPath, args, { stdio: 'ignore' }).on('exit', r));
    const wall_s = (performance.now() - t0) / 1000;
    await emu.stop();
    if (code !== 0) throw new Error(`hil run against the PIC exited ${code}`);
    const cycles = emu.latencies;
    const max = Math.max(...cycles);
    const budget = built.scenario.Ts * cyclesPerSecond;
    const st = emu.stats;
    if (!st) throw new Error('pic-bridge reported no totals');
    console.log(
      `${c.label.padEnd(32)} ${String(b.programWords).padStart(13)} ${String(b.ram_B).padStart(6)} ${String(cycles.length).padStart(6)} ${String(pct([...cycles], 0.5)).padStart(8)} ${String(max).padStart(8)} ${((max / cyclesPerSecond) * 1e6).toFixed(0).padStart(7)}  ${(max / budget).toFixed(4)} of ${built.scenario.Ts} s | ${(st.rxBytes / wall_s).toFixed(0)}/${(st.txBytes / wall_s).toFixed(0)} B/s over ${wall_s.toFixed(1)} s, ${(st.cycles / st.busy_s / 1e6).toFixed(1)} MIPS (${(st.busy_s / wall_s * 100).toFixed(0)} % of wall time simulating)`,
    );
  }
}
