import type { BoardProfile } from '../profiles.ts';

/**
 * How each AVR board is built and flashed with Debian's toolchain (arduino-core-avr's boards.txt),
 * and which pins the protocol uses (docs/protocol.md §5). Data only.
 */
export interface BuildTarget {
  /** -DARDUINO_<boardDef> */
  readonly boardDef: string;
  /** Directory under arduino-core-avr's variants/. */
  readonly variant: string;
  /** avrdude programmer (-c) and upload baud (-b) of the bootloader. */
  readonly programmer: string;
  readonly uploadBaud: number;
  /** Usable flash and RAM as boards.txt states them (the bootloader takes the rest). */
  readonly maxFlash_B: number;
  readonly maxRam_B: number;
  /** PWM pins for actuator k, in order (analogWrite, 8-bit). */
  readonly pwmPins: readonly number[];
  /** Analog input pins A0, A1, … as Arduino pin numbers. */
  readonly analogPins: readonly number[];
}

export const buildTargets: Readonly<Record<string, BuildTarget>> = {
  uno: {
    boardDef: 'AVR_UNO',
    variant: 'standard',
    programmer: 'arduino',
    uploadBaud: 115200,
    maxFlash_B: 32256,
    maxRam_B: 2048,
    pwmPins: [9, 10, 3, 11, 5, 6],
    analogPins: [14, 15, 16, 17, 18, 19],
  },
  nano: {
    boardDef: 'AVR_NANO',
    variant: 'eightanaloginputs',
    programmer: 'arduino',
    // The ATmega328P Nano's (old) bootloader listens at 57600 baud.
    uploadBaud: 57600,
    maxFlash_B: 30720,
    maxRam_B: 2048,
    pwmPins: [9, 10, 3, 11, 5, 6],
    analogPins: [14, 15, 16, 17, 18, 19, 20, 21],
  },
  mega2560: {
    boardDef: 'AVR_MEGA2560',
    variant: 'mega',
    programmer: 'wiring',
    uploadBaud: 115200,
    maxFlash_B: 253952,
    maxRam_B: 8192,
    pwmPins: [2, 3, 4, 5, 6, 7],
    analogPins: [54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69],
  },
};

export function getBuildTarget(board: BoardProfile): BuildTarget {
  const t = buildTargets[board.id];
  if (!t || board.toolchain !== 'avr-gcc') {
    throw new Error(
      `firmware for board '${board.id}' (${board.mcu}) cannot be generated: hilbench builds AVR firmware with avr-gcc for ${Object.keys(buildTargets).join(', ')}; pass --board uno (the scenario's converter counts are kept)`,
    );
  }
  return t;
}
