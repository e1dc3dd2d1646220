/**
 * Board profiles: data only. The simulated MCU (firmware-sim/channels.ts) and the firmware
 * generator read these; nothing here has behaviour.
 */
export interface AdcProfile {
  /** Resolution in bits of the converter as the firmware reads it. */
  readonly bits: number;
  /** Reference voltage in volts (full scale). */
  readonly vref_V: number;
  readonly channels: number;
}

export interface PwmProfile {
  /** Resolution in bits of `analogWrite`-style outputs. */
  readonly bits: number;
  readonly frequency_Hz: number;
  readonly channels: number;
}

export interface BoardProfile {
  readonly id: string;
  readonly name: string;
  readonly mcu: string;
  readonly clock_Hz: number;
  readonly adc: AdcProfile;
  readonly pwm: PwmProfile;
  readonly uart: { readonly defaultBaud: number; readonly count: number };
  readonly memory: { readonly flash_B: number; readonly ram_B: number; readonly eeprom_B: number };
  /** Compiler family for generated firmware. */
  readonly toolchain: 'avr-gcc' | 'gputils';
  readonly notes?: string;
}

const atmega328pAdc: AdcProfile = { bits: 10, vref_V: 5, channels: 6 };
const atmegaPwm: PwmProfile = { bits: 8, frequency_Hz: 490, channels: 6 };

export const boards: Readonly<Record<string, BoardProfile>> = {
  uno: {
    id: 'uno',
    name: 'Arduino Uno R3',
    mcu: 'atmega328p',
    clock_Hz: 16_000_000,
    adc: atmega328pAdc,
    pwm: atmegaPwm,
    uart: { defaultBaud: 115200, count: 1 },
    memory: { flash_B: 32768, ram_B: 2048, eeprom_B: 1024 },
    toolchain: 'avr-gcc',
  },
  nano: {
    id: 'nano',
    name: 'Arduino Nano (ATmega328P)',
    mcu: 'atmega328p',
    clock_Hz: 16_000_000,
    adc: { bits: 10, vref_V: 5, channels: 8 },
    pwm: atmegaPwm,
    uart: { defaultBaud: 115200, count: 1 },
    memory: { flash_B: 32768, ram_B: 2048, eeprom_B: 1024 },
    toolchain: 'avr-gcc',
  },
  mega2560: {
    id: 'mega2560',
    name: 'Arduino Mega 2560',
    mcu: 'atmega2560',
    clock_Hz: 16_000_000,
    adc: { bits: 10, vref_V: 5, channels: 16 },
    pwm: { bits: 8, frequency_Hz: 490, channels: 15 },
    uart: { defaultBaud: 115200, count: 4 },
    memory: { flash_B: 262144, ram_B: 8192, eeprom_B: 4096 },
    toolchain: 'avr-gcc',
  },
  pic16f877: {
    id: 'pic16f877',
    name: 'Microchip PIC16F877',
    mcu: 'pic16f877',
    clock_Hz: 20_000_000,
    // The converter has 10 bits; the solar-tracker paper reads it left-justified as 8 bits (ADRESH
    // only), mapping 0–5 V to 00–FFh. The firmware reads what this profile says.
    adc: { bits: 8, vref_V: 5, channels: 8 },
    pwm: { bits: 10, frequency_Hz: 1220, channels: 2 },
    uart: { defaultBaud: 9600, count: 1 },
    memory: { flash_B: 14336, ram_B: 368, eeprom_B: 256 },
    toolchain: 'gputils',
    notes: '10-bit ADC used as 8-bit left-justified (ADFM = 0, ADRESH), as in the solar tracker paper.',
  },
};

export function getBoard(id: string): BoardProfile {
  const board = boards[id];
  if (!board) {
    throw new Error(`unknown board '${id}' (known: ${Object.keys(boards).join(', ')})`);
  }
  return board;
}
