import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../hil/emulator/index.ts';
import { encodeS, type Frame } from '../protocol/index.ts';
import { LatencyLog } from '../run/latency.ts';
import { SerialLink } from '../hil/transport/index.ts';

/**
 * `npm run bench -- hil`: lockstep S/A exchanges per second through the real path (serialport →
 * socat pty → avr8js USART → generated maglev-fixed firmware, emulated in real time), next to the
 * limit set by the wire and the firmware: (bytes of S + bytes of A) × 10 bits / baud + the
 * firmware's measured turnaround cycles / 16 MHz. Target: ≥ 80 % of that limit.
 */
const EXCHANGES = 2000;
const BAUD = 115200;
const root = fileURLToPath(new URL('..', import.meta.url));

export async function benchHil(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-bench-hil-'));
  const sketch = join(dir, 'maglev_fixed_fw');
  execFileSync(process.execPath, [join(root, 'bin/hilbench.js'), 'firmware', 'generate', 'maglev-fixed', '--out', sketch, '--build'], { stdio: 'ignore' });
  const hex = join(sketch, 'build', 'maglev_fixed_fw.hex');
  const device = join(dir, 'ttyEMU0');
  const emu = await startEmulator({ board: 'uno', firmware: hex, device, realtime: true });
  const link = new SerialLink({ path: device, baudRate: BAUD });
  // Turnaround on the board: cycles from the request's last byte in the receiver to the first
  // byte of the answer in the transmitter (parse, CRC, controller, formatting).
  let lastRxCycle = 0;
  let waitingFirstTx = false;
  let turnaround = 0;
  let turnarounds = 0;
  const usart = emu.board.usart;
  const rxComplete = usart.onRxComplete;
  usart.onRxComplete = () => {
    lastRxCycle = emu.board.cpu.cycles;
    waitingFirstTx = true;
    rxComplete?.();
  };
  const txByte = usart.onByteTransmit;
  usart.onByteTransmit = (b) => {
    if (waitingFirstTx) {
      turnaround += emu.board.cpu.cycles - lastRxCycle;
      turnarounds++;
      waitingFirstTx = false;
    }
    txByte?.(b);
  };
  try {
    await link.open();
    let sBytes = 0;
    let aBytes = 0;
    const rtt = new LatencyLog();
    let answers: Frame[] = [];
    const sub = link.frames$.subscribe((f) => answers.push(f));
    // Warm up the JIT on both sides, then measure.
    for (let seq = 0; seq < 200; seq++) await link.request(encodeS(seq, [500 + (seq % 40)], [8000]), 'A', seq);
    answers = [];
    turnaround = 0;
    turnarounds = 0;
    const t0 = performance.now();
    for (let i = 0; i < EXCHANGES; i++) {
      const seq = (200 + i) % 65536;
      const line = encodeS(seq, [500 + (i % 40)], [8000]);
      sBytes += line.length;
      const s = performance.now();
      const f = await link.request(line, 'A', seq);
      rtt.add((performance.now() - s) / 1000);
      if (f.type === 'A') aBytes += `A ${f.seq} ${f.values.join(' ')}*00\r\n`.length;
    }
    const wall_s = (performance.now() - t0) / 1000;
    sub.unsubscribe();
    const rate = EXCHANGES / wall_s;
    const cycles = turnarounds ? turnaround / turnarounds : NaN;
    const wire_s = ((sBytes + aBytes) / EXCHANGES) * 10 / BAUD;
    const limit = 1 / (wire_s + cycles / emu.board.clock_Hz);
    const q = rtt.summary('rtt');
    console.log(`  lockstep through the pty, emulator in real time, ${BAUD} baud, generated maglev-fixed firmware`);
    console.log(`  frames: ${(sBytes / EXCHANGES).toFixed(1)} B request + ${(aBytes / EXCHANGES).toFixed(1)} B answer → ${(wire_s * 1e6).toFixed(0)} µs on the wire per exchange`);
    console.log(`  firmware turnaround: ${cycles.toFixed(0)} cycles = ${((cycles / emu.board.clock_Hz) * 1e6).toFixed(0)} µs per tick`);
    console.log(`  limit ${limit.toFixed(0)} exchanges/s; measured ${rate.toFixed(0)} exchanges/s = ${((rate / limit) * 100).toFixed(1)} % of the limit (target ≥ 80 %)`);
    const p50 = (q.rtt_p50_us as number) / 1e6;
    console.log(`  rate implied by the median round trip: ${(1 / p50).toFixed(0)} exchanges/s = ${((1 / p50 / limit) * 100).toFixed(1)} % of the limit (the mean above includes scheduling stalls of a shared machine)`);
    console.log(`  round trip p50 ${q.rtt_p50_us} µs, p99 ${q.rtt_p99_us} µs, max ${q.rtt_max_us} µs; emulator's largest lag behind real time ${(emu.maxLag_s * 1000).toFixed(1)} ms`);
    console.log(`  link counters: timeouts ${link.counters.timeouts}, retries ${link.counters.retries}, bad CRC ${link.counters.badCrc}, out of sequence ${link.counters.outOfSequence}`);
  } finally {
    await link.close();
    await emu.stop();
  }
}
