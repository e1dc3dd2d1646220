/**
 * `npm run bench -- crc`: how often a randomly edited frame passes as another valid frame with
 * protocol v1's CRC-8 (poly 0x07, init 0, two hex digits) and with v2's CRC-16/CCITT-FALSE (poly
 * 0x1021, init 0xFFFF, four hex digits), by the same mutation fuzz on the same frames; and what each costs on the
 * emulated ATmega328P, in cycles per maglev tick (request body + answer body) and per longest
 * frame, against the tick's cycle budget (Ts × 16 MHz).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc16ccitt as refCrc16, crc8 as refCrc8 } from 'crc';
import { getBoard } from '../boards/profiles.ts';
import { Xoshiro128 } from '../firmware-sim/rng.ts';
import { AvrBoard } from '../hil/emulator/avr-board.ts';
import { loadIntelHex } from '../hil/emulator/intel-hex.ts';
import { crc16, FrameDecoder, frameBody, MAX_LINE_BYTES, type Frame } from '../protocol/index.ts';
import { crc8 } from './crc8.ts';
import { parseFrameBody } from '../protocol/decode.ts';

/** Mutated frames per run: enough for a 95 % upper bound on the CRC-16 rate 100× below CRC-8's. */
const TRIALS = 4_000_000;

const crc8To = (s: string, end: number) => crc8(s, 0, end);

interface Check {
  readonly name: string;
  readonly digits: number;
  readonly crc: (s: string, end: number) => number;
}
const CRC8: Check = { name: 'CRC-8 (0x07)', digits: 2, crc: crc8To };
const CRC16: Check = { name: 'CRC-16/CCITT-FALSE', digits: 4, crc: (s, end) => crc16(s, 0, end) };

function line(body: string, c: Check): string {
  return `${body}*${c.crc(body, body.length).toString(16).toUpperCase().padStart(c.digits, '0')}`;
}

/** docs/protocol.md §1's acceptance, with `c`'s check field: what a receiver would act upon. */
function accepts(l: string, c: Check): boolean {
  if (l.length + 1 > MAX_LINE_BYTES) return false;
  let star = -1;
  for (let i = 0; i < l.length; i++) {
    const b = l.charCodeAt(i);
    if (b < 0x20 || b > 0x7e) return false;
    if (b === 0x2a && star < 0) star = i;
  }
  if (l.charCodeAt(0) === 0x23 || star !== l.length - 1 - c.digits) return false;
  let got = 0;
  for (let i = star + 1; i < l.length; i++) {
    const b = l.charCodeAt(i);
    const d = b >= 48 && b <= 57 ? b - 48 : b >= 65 && b <= 70 ? b - 55 : -1;
    if (d < 0) return false;
    got = got * 16 + d;
  }
  return got === c.crc(l, star) && parseFrameBody(l.slice(0, star)) !== null;
}

function randomFrame(rng: Xoshiro128): Frame {
  const int = (n: number) => Math.floor(rng.uniform() * n);
  const seq = int(65536);
  const vals = (n: number) => Array.from({ length: n }, () => (rng.uniform() < 0.2 ? -int(100000) : int(1024)));
  switch (int(8)) {
    case 0:
      return { type: 'S', seq, values: vals(1 + int(6)) };
    case 1:
      return { type: 'A', seq, values: vals(1 + int(4)) };
    case 2:
      return { type: 'X', seq, values: vals(1 + int(4)) };
    case 3:
      return { type: 'M', seq, values: vals(1 + int(6)) };
    case 4:
      return { type: 'READY', version: 2, board: 'uno', firmware: 'hil/maglev', nSensors: 1, nActuators: 1, Ts_us: 1000, nRefs: 1 };
    case 5:
      return { type: 'WD', ms: int(60001) };
    case 6:
      return rng.uniform() < 0.5 ? { type: 'ERR', code: 1 + int(7), seq, text: 'crc' } : { type: 'ERR', code: 1 + int(7), text: 'syntax' };
    default:
      return { type: 'HELLO', version: 2 };
  }
}

const KINDS = ['one byte replaced', 'two bytes replaced', 'one byte deleted', 'one byte inserted', 'two bytes swapped', 'truncated'] as const;

/** One random edit, drawn from `u` (uniforms in [0, 1)) so that both encodings get the same edit. */
function mutate(s: string, kind: number, u: readonly number[]): string {
  const at = (x: number) => Math.floor(x * s.length);
  const byteAt = (x: number, old: number) => {
    const b = Math.floor(x * 255);
    return String.fromCharCode(b >= old ? b + 1 : b); // any byte but the old one
  };
  switch (kind) {
    case 0: {
      const i = at(u[0]);
      return s.slice(0, i) + byteAt(u[1], s.charCodeAt(i)) + s.slice(i + 1);
    }
    case 1: {
      const i = at(u[0]);
      let t = s.slice(0, i) + byteAt(u[1], s.charCodeAt(i)) + s.slice(i + 1);
      const j = at(u[2]);
      t = t.slice(0, j) + byteAt(u[3], t.charCodeAt(j)) + t.slice(j + 1);
      return t;
    }
    case 2: {
      const i = at(u[0]);
      return s.slice(0, i) + s.slice(i + 1);
    }
    case 3: {
      const i = Math.floor(u[0] * (s.length + 1));
      return s.slice(0, i) + ' 0123456789-'[Math.floor(u[1] * 12)] + s.slice(i);
    }
    case 4: {
      const i = at(u[0]);
      const j = at(u[1]);
      if (i === j) return s;
      const [a, b] = i < j ? [i, j] : [j, i];
      return s.slice(0, a) + s[b] + s.slice(a + 1, b) + s[a] + s.slice(b + 1);
    }
    default:
      return s.slice(0, at(u[0]));
  }
}

/** Undetected corruptions of both checks over the same frames and edits. */
function fuzz(): void {
  if (refCrc16('123456789') !== 0x29b1 || crc16('123456789') !== 0x29b1) throw new Error('CRC-16/CCITT-FALSE check value');
  const rng = new Xoshiro128(20261206);
  const decoder = new FrameDecoder();
  const edited = [0, 0];
  const accepted = [new Array(KINDS.length).fill(0), new Array(KINDS.length).fill(0)];
  const perKind = new Array(KINDS.length).fill(0);
  const u = [0, 0, 0, 0];
  for (let n = 0; n < TRIALS; n++) {
    const body = frameBody(randomFrame(rng));
    const kind = n % KINDS.length;
    for (let k = 0; k < 4; k++) u[k] = rng.uniform();
    perKind[kind]++;
    for (const [c, check] of [CRC8, CRC16].entries()) {
      const good = line(body, check);
      if (n < 1000 && check.digits === 4 && refCrc16(body) !== crc16(body)) throw new Error(`CRC-16 table disagrees with the crc package on ${body}`);
      if (n < 1000 && check.digits === 2 && refCrc8(body) !== crc8(body)) throw new Error(`CRC-8 disagrees with the crc package on ${body}`);
      const bad = mutate(good, kind, u);
      if (bad === good) continue;
      edited[c]++;
      const ok = accepts(bad, check);
      // The bench's acceptance is the decoder's, for the CRC the decoder has.
      if (check === CRC16) {
        const f = decoder.decode(bad);
        if ((f !== null && f !== 'comment') !== ok) throw new Error(`bench and FrameDecoder disagree on ${JSON.stringify(bad)}`);
      }
      if (ok) accepted[c][kind]++;
    }
  }
  console.log(`${TRIALS} random frames (S A X M READY WD ERR HELLO), one random edit each, the same edit for both checks`);
  console.log('edit                    CRC-8 accepted      CRC-16 accepted');
  for (let k = 0; k < KINDS.length; k++) console.log(`${KINDS[k].padEnd(22)} ${String(accepted[0][k]).padStart(8)} of ${perKind[k]}  ${String(accepted[1][k]).padStart(8)} of ${perKind[k]}`);
  const r8 = accepted[0].reduce((a, b) => a + b, 0);
  const r16 = accepted[1].reduce((a, b) => a + b, 0);
  const rate8 = r8 / edited[0];
  const rate16 = r16 / edited[1];
  // Poisson: with k events, the one-sided 95 % upper bound; for k = 0 it is 3.0 (rule of three).
  const upper16 = (r16 === 0 ? 3 : r16 + 1.645 * Math.sqrt(r16) + 1.35) / edited[1];
  console.log(`undetected: CRC-8 ${r8} of ${edited[0]} edited frames = ${rate8.toExponential(2)}; CRC-16 ${r16} of ${edited[1]} = ${rate16.toExponential(2)} (95 % upper bound ${upper16.toExponential(2)})`);
  console.log(`reduction: ${r16 ? (rate8 / rate16).toFixed(0) : '∞'}× measured, at least ${(rate8 / upper16).toFixed(0)}× at 95 %`);
}

/** Cycles of each CRC on the emulated ATmega328P, as the generated firmware computes it (avr-gcc -Os). */
function cycles(): void {
  const uno = getBoard('uno');
  // A maglev-fixed tick: the request body received and the answer body sent; and the longest body.
  const tick = 'S 65535 1023 8000' + 'A 65535 255';
  const longest = 'S 65535 ' + '1023 '.repeat(23).trimEnd();
  const tab8 = Array.from({ length: 256 }, (_, n) => '0x' + crc8(String.fromCharCode(n)).toString(16).padStart(2, '0')).join(',');
  const src = `#include <avr/io.h>
#include <avr/pgmspace.h>
#include <util/crc16.h>
static const uint8_t crc8_table[256] PROGMEM = {${tab8}};
static char tick[] = "${tick}";
static char longest[] = "${longest}";
__attribute__((noinline)) static uint8_t crc8_of(const char *s, uint8_t n) {
  uint8_t c = 0;
  for (uint8_t i = 0; i < n; i++) c = pgm_read_byte(&crc8_table[c ^ (uint8_t)s[i]]);
  return c;
}
__attribute__((noinline)) static uint16_t crc16_of(const char *s, uint8_t n) {
  uint16_t c = 0xFFFF;
  for (uint8_t i = 0; i < n; i++) c = _crc_xmodem_update(c, (uint8_t)s[i]);
  return c;
}
static void mark(uint8_t m, uint16_t v) { GPIOR1 = v & 0xff; GPIOR2 = v >> 8; GPIOR0 = m; }
int main(void) {
  mark(1, 0);
  uint16_t a = crc8_of(tick, sizeof tick - 1);
  mark(2, a);
  a = crc16_of(tick, sizeof tick - 1);
  mark(3, a);
  a = crc8_of(longest, sizeof longest - 1);
  mark(4, a);
  a = crc16_of(longest, sizeof longest - 1);
  mark(5, a);
  for (;;) {}
}
`;
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-bench-crc-'));
  writeFileSync(join(dir, 'crc.c'), src);
  execFileSync('avr-gcc', ['-mmcu=atmega328p', '-DF_CPU=16000000UL', '-Os', '-o', join(dir, 'crc.elf'), join(dir, 'crc.c')]);
  execFileSync('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', join(dir, 'crc.elf'), join(dir, 'crc.hex')]);
  const board = new AvrBoard(loadIntelHex(readFileSync(join(dir, 'crc.hex'), 'utf8'), uno.memory.flash_B), uno);
  const marks: { cycles: number; value: number }[] = [];
  const io = { lo: 0, hi: 0 };
  // GPIOR0/1/2 at data addresses 0x3E, 0x4A, 0x4B: the program's markers and results.
  board.cpu.writeHooks[0x4a] = (v) => void (io.lo = v);
  board.cpu.writeHooks[0x4b] = (v) => void (io.hi = v);
  board.cpu.writeHooks[0x3e] = () => void marks.push({ cycles: board.cycles, value: io.lo | (io.hi << 8) });
  while (marks.length < 5 && board.cycles < 1e7) board.run(1000);
  if (marks.length < 5) throw new Error('the CRC program did not finish');
  const want = [crc8(tick), crc16(tick), crc8(longest), crc16(longest)];
  for (let i = 0; i < 4; i++) if (marks[i + 1].value !== want[i]) throw new Error(`the AVR's CRC ${i} is ${marks[i + 1].value}, not ${want[i]}`);
  const d = (i: number) => marks[i + 1].cycles - marks[i].cycles;
  const budget = 0.001 * uno.clock_Hz;
  console.log(`ATmega328P at ${uno.clock_Hz / 1e6} MHz, avr-gcc -Os; CRC-8 by a PROGMEM table (the firmware's), CRC-16 by avr-libc _crc_xmodem_update`);
  console.log(`maglev tick (request + answer bodies, ${tick.length} B): CRC-8 ${d(0)} cycles, CRC-16 ${d(1)} cycles (+${d(1) - d(0)}), ${(((d(1) - d(0)) / budget) * 100).toFixed(2)} % of a 1 ms tick's ${budget} cycles`);
  console.log(`longest body (${longest.length} B): CRC-8 ${d(2)} cycles, CRC-16 ${d(3)} cycles (+${d(3) - d(2)}); bytes at 115200 baud arrive every ${Math.round((10 / 115200) * uno.clock_Hz)} cycles`);
}

/** protocol v1's CRC-8 routine of the PIC firmware (boards/firmware/pic/hil_protocol.asm before v2). */
const PIC_CRC8_V1 = `crc8:
        xorwf   crcv, f
        movlw   8
        movwf   crc_i
crc8_loop:
        bcf     STATUS, C
        rlf     crcv, f
        movlw   0x07
        btfsc   STATUS, C
        xorwf   crcv, f
        decfsz  crc_i, f
        goto    crc8_loop
        return`;

/**
 * Instruction cycles of each CRC on the PIC16F877 in gpsim (boards/pic-bridge), with the calling
 * sequence of each firmware's receive path: v1 copied its CRC through \`crcv\`, v2 points FSR at it.
 * Timer 1 counts instruction cycles; each count is held on PORTD:PORTB with its marker on PORTC
 * long enough for the bridge's pin reports, which come once per 0.1 ms slice.
 */
async function picCycles(): Promise<void> {
  const { startPicEmulator } = await import('../hil/emulator/pic-emulator.ts');
  const asm = readFileSync(new URL('../boards/firmware/pic/hil_protocol.asm', import.meta.url), 'utf8');
  const crc16Routine = /^crc16:\n[\s\S]*?\n {8}return$/m.exec(asm)?.[0];
  if (!crc16Routine) throw new Error('no crc16 routine in hil_protocol.asm');
  const tick = 'S 65535 1023 8000' + 'A 65535 255';
  const longest = 'S 65535 ' + '1023 '.repeat(23).trimEnd();
  const bytes8 = (t: string) => [...t].map((c) => `        movf    rx_crc, w\n        movwf   crcv\n        movlw   ${c.charCodeAt(0)}\n        call    crc8\n        movf    crcv, w\n        movwf   rx_crc`).join('\n');
  const bytes16 = (t: string) => [...t].map((c) => `        movlw   rx_crc_hi\n        movwf   FSR\n        movlw   ${c.charCodeAt(0)}\n        call    crc16`).join('\n');
  const show = (marker: number, lo: string, hi: string) =>
    `        movf    ${lo}, w\n        movwf   PORTB\n        movf    ${hi}, w\n        movwf   PORTD\n        movlw   ${marker}\n        movwf   PORTC\n        call    hold\n        call    hold\n        call    hold`;
  const measure = (k: number, init: string, body: string, lo: string, hi: string) => `${init}
        clrf    TMR1H
        clrf    TMR1L
        bsf     T1CON, TMR1ON
${body}
        bcf     T1CON, TMR1ON
${show(2 * k + 1, 'TMR1L', 'TMR1H')}
${show(2 * k + 2, lo, hi)}`;
  const init8 = '        clrf    rx_crc';
  const init16 = '        movlw   0xff\n        movwf   rx_crc_hi\n        movwf   rx_crc_lo';
  const src = `        list    p=16f877, r=dec
        #include <p16f877.inc>
        errorlevel -302
        __config _HS_OSC & _WDT_OFF & _PWRTE_OFF & _LVP_OFF & _BODEN_OFF & _CP_OFF
        cblock 0x20
        rx_crc, crcv, crc_i, rx_crc_hi, rx_crc_lo, dly, zero
        endc
        org     0
        goto    start
        org     4
        retfie
${PIC_CRC8_V1}
${crc16Routine}
hold:
        clrf    dly
hold_loop:
        nop
        decfsz  dly, f
        goto    hold_loop
        return
start:
        bsf     STATUS, RP0
        clrf    TRISB
        clrf    TRISD
        movlw   0xc0
        movwf   TRISC
        bcf     STATUS, RP0
        clrf    T1CON
        clrf    zero
${measure(0, init8, '', 'zero', 'zero')}
${measure(1, init8, bytes8(tick), 'rx_crc', 'zero')}
${measure(2, init16, bytes16(tick), 'rx_crc_lo', 'rx_crc_hi')}
${measure(3, init8, bytes8(longest), 'rx_crc', 'zero')}
${measure(4, init16, bytes16(longest), 'rx_crc_lo', 'rx_crc_hi')}
done:
        goto    done
        end
`;
  const dir = mkdtempSync(join(tmpdir(), 'hilbench-bench-crc-pic-'));
  writeFileSync(join(dir, 'crc.asm'), src);
  execFileSync('gpasm', ['-p', 'p16f877', '-o', join(dir, 'crc.hex'), join(dir, 'crc.asm')], { cwd: dir });
  const emu = await startPicEmulator({ firmware: join(dir, 'crc.hex'), device: join(dir, 'tty'), realtime: true });
  const seen = new Map<number, number>();
  const t0 = Date.now();
  while (seen.size < 10 && Date.now() - t0 < 60_000) {
    for (const p of emu.pinHistory) if (p.C >= 1 && p.C <= 10) seen.set(p.C, p.B | (p.D << 8));
    await new Promise((r) => setTimeout(r, 50));
  }
  await emu.stop();
  if (seen.size < 10) throw new Error(`the PIC CRC program reported ${seen.size} of 10 values`);
  const want = [0, crc8(tick), crc16(tick), crc8(longest), crc16(longest)];
  for (let k = 1; k < 5; k++) if (seen.get(2 * k + 2) !== want[k]) throw new Error(`the PIC's CRC ${k} is ${seen.get(2 * k + 2)}, not ${want[k]}`);
  const base = seen.get(1)!;
  const c = (k: number) => seen.get(2 * k + 1)! - base;
  // Solar on the PIC: Ts = 1 s; a byte at 115200 baud every 10 / 115200 s of 5 MHz instruction cycles.
  console.log(`PIC16F877 at 20 MHz (5 M instruction cycles/s) in gpsim; both CRCs bit by bit, called as each firmware's receive path calls them`);
  console.log(`maglev-size tick (${tick.length} B): CRC-8 ${c(1)} cycles, CRC-16 ${c(2)} cycles (+${c(2) - c(1)}); per byte ${(c(1) / tick.length).toFixed(0)} and ${(c(2) / tick.length).toFixed(0)}, a byte arrives every ${Math.round((10 / 115200) * 5e6)} cycles at 115200 baud`);
  console.log(`longest body (${longest.length} B): CRC-8 ${c(3)} cycles, CRC-16 ${c(4)} cycles (+${c(4) - c(3)}); the solar tick's budget is Ts = 1 s = 5000000 cycles`);
}

export async function benchCrc(): Promise<void> {
  cycles();
  await picCycles();
  fuzz();
}
