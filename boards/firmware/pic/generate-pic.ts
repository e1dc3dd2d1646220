import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SolarFuzzyController } from '../../../controllers/solar-tracker/solar-fuzzy-controller.ts';
import type { FirmwareDescription } from '../description.ts';
import type { BoardProfile } from '../../profiles.ts';
import { solarFuzzyAsm } from './solar-fuzzy-asm.ts';
import { solarIoAsm } from './solar-io-asm.ts';
import { IO_FIRMWARE_ID, MAX_HELLO_PERIOD_US, PROTOCOL_VERSION } from '../../../protocol/index.ts';

/**
 * `hilbench firmware generate --board pic16f877`: a gpasm project (MPASM syntax, so MPLAB X builds
 * it too) with the protocol loop (hil_protocol.asm, one file for every scenario), the firmware's
 * identity and texts (hil_config.inc) and the scenario's controller in assembly (controller.inc).
 * Debian's sdcc has no PIC ports and XC8 is not packaged, hence assembly rather than C.
 */
export interface PicGenerateOptions {
  readonly role: 'hil' | 'io';
  /** Project name: the .asm and the .hex carry it. */
  readonly name: string;
  /** Serial baud rate; default 115200, the host's default. */
  readonly baud?: number;
}

export interface PicFirmware {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly identity: { readonly board: string; readonly firmware: string; readonly nSensors: number; readonly nActuators: number; readonly Ts_us: number; readonly nRefs: number };
  /** The baud rate the USART really runs at (SPBRG rounding), and the requested one. */
  readonly baud: { readonly requested: number; readonly actual: number; readonly spbrg: number; readonly brgh: 0 | 1 };
}

export const PIC_DEFAULT_BAUD = 115200;
/** Program words and RAM bytes (general-purpose registers) of the PIC16F877. */
export const PIC16F877_PROGRAM_WORDS = 8192;
export const PIC16F877_RAM_B = 368;
/** Files a PIC generation writes (for cleaning up a regeneration). */
export const picGeneratedFileNames = ['hil_config.inc', 'controller.inc', 'Makefile'] as const;

const templateDir = dirname(fileURLToPath(import.meta.url));

/** SPBRG and BRGH for a baud rate at clock_Hz (datasheet formulas), and the rate they give. */
export function picBaud(clock_Hz: number, baud: number): { spbrg: number; brgh: 0 | 1; actual: number } {
  for (const brgh of [1, 0] as const) {
    const div = brgh ? 16 : 64;
    const spbrg = Math.round(clock_Hz / (div * baud)) - 1;
    if (spbrg >= 0 && spbrg <= 255) return { spbrg, brgh, actual: clock_Hz / (div * (spbrg + 1)) };
  }
  throw new Error(`baud ${baud} cannot be generated from a ${clock_Hz / 1e6} MHz clock (SPBRG out of 0-255)`);
}

/** movlw/call pairs sending `text` through out_char (gpasm has no string iteration). */
function chars(text: string): string {
  return [...text].map((ch) => `        movlw   0x${ch.charCodeAt(0).toString(16).padStart(2, '0')}        ; ${ch === ' ' ? 'space' : ch}\n        call    out_char`).join('\n');
}

export function generatePicFirmware(d: FirmwareDescription, board: BoardProfile, o: PicGenerateOptions): PicFirmware {
  const version = d.version;
  const io = o.role === 'io';
  const c = d.controller;
  if (!io && !(c instanceof SolarFuzzyController)) {
    throw new Error(`controller type '${d.controllerType}' has no PIC16F877 assembly generator (types with one: solar-fuzzy-pic, solar-winter-fix); use --board uno`);
  }
  const firmware = io ? IO_FIRMWARE_ID : `hil/${d.name}`;
  if (!/^[A-Za-z0-9._/-]{1,40}$/.test(firmware)) throw new Error(`firmware name '${firmware}' must be 1-40 characters of [A-Za-z0-9._/-]: rename the scenario`);
  const nS = d.sensors.length;
  const nA = d.actuators.length;
  // io firmware: no references, and the period comes with HELLO (0 until then: the host paces).
  const nRefs = io ? 0 : d.references.length;
  const Ts_us = io ? 0 : Math.round(d.Ts * 1e6);
  const requested = o.baud ?? PIC_DEFAULT_BAUD;
  const b = picBaud(board.clock_Hz, requested);
  if (Math.abs(b.actual / requested - 1) > 0.03) {
    throw new Error(`baud ${requested} is ${((b.actual / requested - 1) * 100).toFixed(1)} % off at ${board.clock_Hz / 1e6} MHz (SPBRG ${b.spbrg}): choose a rate within 3 %`);
  }
  // io: X carries the actuators and HELLO may carry the period (S frames are refused by arity or state).
  const maxFields = io ? Math.max(2, 1 + nA) : Math.max(1, 1 + nS + nRefs, 1 + nA);
  const ready = `READY ${PROTOCOL_VERSION} ${board.id} ${firmware} ${nS} ${nA} ${Ts_us} ${nRefs}`;
  const readyBody = io
    ? `${chars(`READY ${PROTOCOL_VERSION} ${board.id} ${firmware} ${nS} ${nA} `)}\n        call    io_out_period\n${chars(` ${nRefs}`)}`
    : chars(ready);
  const roleHooks = io
    ? `HELLO_ARITY macro                   ; HELLO 1 or HELLO 1 <period_us>
        movlw   2
        subwf   nf, w
        movlw   1
        btfsc   STATUS, Z
        movlw   2
        endm

HELLO_CHECK macro
        call    io_hello_period
        xorlw   0
        btfss   STATUS, Z
        goto    err_range
        endm

HELLO_SET macro
        movf    hp_lo, w
        movwf   period_lo
        movf    hp_hi, w
        movwf   period_hi
        endm

ROLE_MS_TICK macro
        call    io_ms_tick
        endm`
    : // (gpasm 1.4 crashes on a macro with an empty body, hence the comment lines)
      `HELLO_ARITY macro
        movlw   1
        endm

HELLO_CHECK macro
        ; hil firmware takes no period
        endm

HELLO_SET macro
        ; hil firmware takes no period
        endm

ROLE_MS_TICK macro
        ; hil firmware counts only the watchdog's milliseconds
        endm`;
  const pinDirections = io
    ? `PIN_DIRECTIONS macro                ; bank 1: PORTB, PORTD, RC0-RC2 outputs; AN0-AN4 analog, ADRESH = 8-bit code
        clrf    TRISB
        clrf    TRISD
        movlw   0xf8
        movwf   TRISC
        movlw   0x02
        movwf   ADCON1
        endm`
    : `PIN_DIRECTIONS macro                ; bank 1: RC0, RC1 and PORTB outputs; RC6/RC7 left to the USART
        clrf    TRISB
        movlw   0xfc
        movwf   TRISC
        endm`;
  const texts = { crc: 'crc', toolong: 'toolong', syntax: 'syntax', arity: 'arity', range: 'range', state: 'state', faulted: 'faulted', version: 'version' };
  const config = `; What this firmware is, for the protocol loop (hil_protocol.asm). Generated by hilbench ${version}.
HIL_PROTOCOL_VERSION equ ${PROTOCOL_VERSION}
HIL_N_SENSORS   equ ${nS}       ; ${io ? 'M' : 'S'} order: ${d.sensors.map((s) => s.name).join(', ')}
HIL_N_ACTUATORS equ ${nA}       ; ${io ? 'X' : 'A'} order: ${d.actuators.map((a) => a.name).join(', ')}
HIL_N_REFS      equ ${nRefs}
HIL_MAX_FIELDS  equ ${maxFields}
HIL_REQUEST_TYPE equ '${io ? 'X' : 'S'}'
HIL_ANSWER_TYPE equ '${io ? 'M' : 'A'}'
HIL_SPBRG       equ ${b.spbrg}      ; ${requested} baud requested, ${b.actual.toFixed(0)} baud at ${board.clock_Hz / 1e6} MHz
HIL_BRGH        equ ${b.brgh}

${pinDirections}

${roleHooks}

; ${ready}${io ? ' (the period as HELLO set it)' : ''}
READY_BODY macro
${readyBody}
        endm

FAULT_BODY macro
${chars('FAULT WATCHDOG')}
        endm
${Object.entries(texts)
  .map(([k, t]) => `\nOUT_CHARS_${k} macro\n${chars(t)}\n        endm`)
  .join('\n')}
`;
  const controller = io
    ? solarIoAsm({ sensors: d.sensors, actuators: d.actuators, maxPeriod_us: MAX_HELLO_PERIOD_US })
    : solarFuzzyAsm(c as SolarFuzzyController, { sensors: d.sensors, actuators: d.actuators, origin: `scenario '${d.name}', ${d.controllerType}` });
  const files: Record<string, string> = {
    [`${o.name}.asm`]: readFileSync(join(templateDir, 'hil_protocol.asm'), 'utf8').replace(
      `; hilbench serial protocol v${PROTOCOL_VERSION}`,
      `; ${o.name}: ${io ? `the I/O of scenario '${d.name}' (io role: X/M, the controller on the host)` : `the controller of scenario '${d.name}' behind the lockstep protocol`}, generated by hilbench ${version}\n; from ${basename(d.file)}; build: make (gputils), or add this folder's files to an MPLAB X project.\n; hilbench serial protocol v${PROTOCOL_VERSION}`,
    ),
    'hil_config.inc': config,
    'controller.inc': controller,
    Makefile: readFileSync(join(templateDir, 'Makefile.in'), 'utf8').replaceAll('@NAME@', o.name),
  };
  return { name: o.name, files, identity: { board: board.id, firmware, nSensors: nS, nActuators: nA, Ts_us, nRefs }, baud: { requested, ...b } };
}
