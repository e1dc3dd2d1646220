import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INT32_MAX, INT32_MIN } from '../../protocol/encode.ts';
import {
  ErrCode,
  CRC_HEX_DIGITS,
  FIRMWARE_ID_PATTERN,
  FRAME_TRAILER_BYTES,
  hilFirmwareId,
  IO_FIRMWARE_ID,
  MAX_BODY_BYTES,
  MAX_HELLO_PERIOD_US,
  MAX_LINE_BYTES,
  MAX_WATCHDOG_MS,
  periodMicros,
  PROTOCOL_VERSION,
  SEQ_MODULO,
  type FirmwareRole,
} from '../../protocol/frames.ts';
import { getBoard } from '../profiles.ts';
import { getBuildTarget, type BuildTarget } from './board-targets.ts';
import { controllerC } from './controllers/index.ts';
import type { FirmwareDescription } from './description.ts';

/**
 * `hilbench firmware generate`: an Arduino sketch folder (opens in the Arduino IDE; builds with the
 * generated Makefile and Debian's avr-gcc) holding the protocol loop (templates/hil_protocol.cpp),
 * the board's configuration (hil_config.h) and, for the hil role, the scenario's controller in
 * integer arithmetic (controller.cpp). The io role is the generic sensor/actuator firmware.
 */
export type { FirmwareRole };

export interface GenerateOptions {
  readonly role: FirmwareRole;
  /** Sketch name: the .ino file and its folder must carry the same name for the Arduino IDE. */
  readonly sketch: string;
  /** Serial baud rate; default the board profile's. */
  readonly baud?: number;
  /**
   * Board profile id to build for; default the scenario's. In the hil role the counts in S frames
   * stay those of the scenario's converters (the host samples them), so a scenario written for
   * another board (e.g. the solar tracker's PIC16F877 with its 8-bit ADC) runs bit-exact on an Uno.
   */
  readonly board?: string;
}

export interface GeneratedFirmware {
  readonly sketch: string;
  /** File name → contents, all in the sketch folder. */
  readonly files: Readonly<Record<string, string>>;
  /** What READY will announce. */
  readonly identity: { readonly board: string; readonly firmware: string; readonly nSensors: number; readonly nActuators: number; readonly Ts_us: number; readonly nRefs: number };
  readonly target: BuildTarget;
}

const templateDir = join(dirname(fileURLToPath(import.meta.url)), 'templates');
const template = (name: string) => readFileSync(join(templateDir, name), 'utf8');

/** The protocol's numbers as the C templates name them (@NAME@): they come from protocol/, not restated in C. */
const protocolValues: Readonly<Record<string, number>> = {
  PROTOCOL_VERSION,
  MAX_LINE_BYTES,
  FRAME_TRAILER_BYTES,
  CRC_HEX_DIGITS,
  MAX_WATCHDOG_MS,
  MAX_HELLO_PERIOD_US,
  SEQ_MAX: SEQ_MODULO - 1,
  ERR_CRC: ErrCode.crc,
  ERR_TOOLONG: ErrCode.toolong,
  ERR_SYNTAX: ErrCode.syntax,
  ERR_ARITY: ErrCode.arity,
  ERR_RANGE: ErrCode.range,
  ERR_STATE: ErrCode.state,
  ERR_VERSION: ErrCode.version,
};

/** A protocol template with its @NAME@ placeholders filled from protocol/. */
function protocolTemplate(name: string): string {
  return template(name).replace(/@([A-Z0-9_]+)@/g, (_, key: string) => {
    const v = protocolValues[key];
    if (v === undefined) throw new Error(`templates/${name}: unknown placeholder @${key}@`);
    return String(v);
  });
}

/** int32 bounds as C constants (INT32_MIN written so that no literal overflows a long). */
const C_INT32_MIN = `(${INT32_MIN + 1}L - 1)`;
const C_INT32_MAX = `${INT32_MAX}L`;

/** Files a generation may leave in a sketch folder besides the .ino (for cleaning up a regeneration). */
export const generatedFileNames = ['hil_config.h', 'hil_protocol.h', 'hil_protocol.cpp', 'Makefile', 'controller.cpp', 'fixed_point.h'] as const;

/** A sketch name the Arduino IDE accepts: letters, digits, _ and -, starting with a letter or digit. */
export function sketchNameFrom(dir: string): string {
  const n = basename(dir).replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z0-9]/.test(n) ? n.slice(0, 63) : `s${n}`.slice(0, 63);
}

export function generateFirmware(built: FirmwareDescription, o: GenerateOptions): GeneratedFirmware {
  const { version } = built;
  const board = o.board ? getBoard(o.board) : built.board;
  const target = getBuildTarget(board);
  const io = o.role === 'io';
  const sensors = built.sensors;
  const actuators = built.actuators;
  const firmware = io ? IO_FIRMWARE_ID : hilFirmwareId(built.name);
  if (!FIRMWARE_ID_PATTERN.test(firmware)) {
    throw new Error(`firmware name '${firmware}' must match ${String(FIRMWARE_ID_PATTERN)}: rename the scenario`);
  }
  const Ts_us = io ? 0 : periodMicros(built.Ts);
  const nRefs = io ? 0 : built.references.length;
  const nS = sensors.length;
  const nA = actuators.length;

  let pwmIndex = 0;
  const actPins = actuators.map((a) => {
    if (a.kind !== 'pwm') return 255;
    if (pwmIndex >= target.pwmPins.length) throw new Error(`board '${board.id}' has only ${target.pwmPins.length} PWM pins for ${nA} actuators`);
    return target.pwmPins[pwmIndex++];
  });
  if (io) {
    const d = actuators.find((a) => a.kind !== 'pwm');
    if (d) throw new Error(`io firmware drives pwm actuators only; '${d.name}' is ${d.kind}`);
    const ds = sensors.find((s) => s.kind !== 'adc' || s.bits !== board.adc.bits);
    if (ds) throw new Error(`io firmware samples the board's ${board.adc.bits}-bit ADC; sensor '${ds.name}' is ${ds.kind} with ${ds.bits} bits`);
    if (nS > target.analogPins.length) throw new Error(`board '${board.id}' has only ${target.analogPins.length} analog inputs for ${nS} sensors`);
  }
  const actMin = actuators.map((a) => (a.kind === 'pwm' ? 0 : Math.round(a.min / a.lsb)));
  const actMax = actuators.map((a) => (a.kind === 'pwm' ? 2 ** a.bits - 1 : Math.round(a.max / a.lsb)));
  const sensorMin = sensors.map((s) => (s.kind === 'adc' ? '0L' : C_INT32_MIN));
  const sensorMax = sensors.map((s) => (s.kind === 'adc' ? `${2 ** s.bits - 1}L` : C_INT32_MAX));

  // Longest frame either way must fit one line (section 1).
  const intW = 11;
  const worstIn = io ? 2 + 6 + nA * (1 + intW) : 2 + 6 + (nS + nRefs) * (1 + intW);
  const worstOut = io ? 2 + 6 + nS * 5 : 2 + 6 + nA * (1 + intW);
  if (worstIn > MAX_BODY_BYTES || worstOut > MAX_BODY_BYTES) {
    throw new Error(`${nS} sensors, ${nRefs} references and ${nA} actuators do not fit one ${MAX_LINE_BYTES}-byte frame`);
  }
  const maxFields = Math.max(1, 1 + nS + nRefs, 1 + nA);
  const list = (xs: readonly (number | string)[]) => `{${xs.length ? xs.join(', ') : '0'}}`;
  const baud = o.baud ?? board.uart.defaultBaud;

  const config = `// What this firmware is, for the protocol loop (hil_protocol.cpp). Generated by hilbench ${version}.
#ifndef HIL_CONFIG_H
#define HIL_CONFIG_H
#define HIL_BOARD "${board.id}"
#define HIL_FIRMWARE "${firmware}"
#define HIL_ROLE_IO ${io ? 1 : 0}
#define HIL_BAUD ${baud}UL
#define HIL_TS_US ${Ts_us}L
#define HIL_N_SENSORS ${nS}
#define HIL_N_ACTUATORS ${nA}
#define HIL_N_REFS ${nRefs}
#define HIL_MAX_FIELDS ${maxFields}
// Sensors in S/M order: ${sensors.map((s) => s.name).join(', ') || '(none)'}
#define HIL_SENSOR_MIN ${list(sensorMin)}
#define HIL_SENSOR_MAX ${list(sensorMax)}
#define HIL_SENSOR_PINS ${list(sensors.map((_, i) => target.analogPins[i] ?? 255))}
// Actuators in A/X order: ${actuators.map((a) => `${a.name} (${a.kind}${actPins[actuators.indexOf(a)] !== 255 ? `, pin ${actPins[actuators.indexOf(a)]}` : ''})`).join(', ') || '(none)'}
#define HIL_ACT_PINS ${list(actPins)}
#define HIL_ACT_IS_PWM ${list(actuators.map((a) => (a.kind === 'pwm' ? 1 : 0)))}
#define HIL_ACT_BITS ${list(actuators.map((a) => (a.kind === 'pwm' ? a.bits : 0)))}
#define HIL_ACT_MIN ${list(actMin.map((v) => `${v}L`))}
#define HIL_ACT_MAX ${list(actMax.map((v) => `${v}L`))}
// References in S order (micro-units): ${io ? '(none: io firmware)' : built.references.join(', ') || '(none)'}
#endif
`;

  const files: Record<string, string> = {
    [`${o.sketch}.ino`]: sketchText(built, o, firmware, baud),
    'hil_config.h': config,
    'hil_protocol.h': protocolTemplate('hil_protocol.h'),
    'hil_protocol.cpp': protocolTemplate('hil_protocol.cpp'),
    Makefile: makefile(o.sketch, board.name, board.mcu, board.clock_Hz, target),
  };
  if (!io) {
    const gen = controllerC(built);
    Object.assign(files, gen.files);
  }
  return { sketch: o.sketch, files, identity: { board: board.id, firmware, nSensors: nS, nActuators: nA, Ts_us, nRefs }, target };
}

function sketchText(built: FirmwareDescription, o: GenerateOptions, firmware: string, baud: number): string {
  const what =
    o.role === 'io'
      ? 'generic I/O firmware: X frames set the PWM pins, M frames answer with analogRead counts'
      : `the controller of scenario '${built.name}' (${built.controllerType}) behind the lockstep protocol`;
  return `// ${o.sketch}: ${what}.
// Generated by hilbench ${built.version} from ${basename(built.file)}; firmware id ${firmware}, board ${built.board.id}, ${baud} baud.
// Protocol: docs/protocol.md (line frames with CRC-16, HELLO/READY, S/A, X/M, WD, FAULT, ERR).
// Build: open this folder in the Arduino IDE, or run \`make\` (Debian: gcc-avr avr-libc arduino-core-avr).
#include <Arduino.h>
#include "hil_protocol.h"

void setup() {
  hil_setup();
}

void loop() {
  hil_poll();
}
`;
}

function makefile(sketch: string, boardName: string, mcu: string, clock_Hz: number, t: BuildTarget): string {
  return template('Makefile.in')
    .replaceAll('@SKETCH@', sketch)
    .replaceAll('@BOARD_NAME@', boardName)
    .replaceAll('@MCU@', mcu)
    .replaceAll('@F_CPU@', `${clock_Hz}L`)
    .replaceAll('@BOARD_DEF@', t.boardDef)
    .replaceAll('@VARIANT@', t.variant)
    .replaceAll('@PROGRAMMER@', t.programmer)
    .replaceAll('@UPLOAD_BAUD@', String(t.uploadBaud));
}
