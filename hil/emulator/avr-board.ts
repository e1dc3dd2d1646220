import { UserError } from '../../errors/user-error.ts';
import {
  AVRADC,
  AVRIOPort,
  AVRTimer,
  AVRUSART,
  CPU,
  adcConfig,
  avrInstruction,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  timer1Config,
  timer2Config,
  usart0Config,
} from 'avr8js';
import type { BoardProfile } from '../../boards/profiles.ts';

/** An 8-bit PWM output of the ATmega328P as the protocol's pin table names it (docs/protocol.md §5). */
interface PwmPin {
  readonly name: string;
  /** Output compare register (low byte) in data space. */
  readonly ocr: number;
  /** Timer control register A and the shift of this channel's COM bits. */
  readonly tccra: number;
  readonly comShift: number;
  /** Port data register and bit, for analogWrite(0/255) which Arduino turns into digitalWrite. */
  readonly port: number;
  readonly bit: number;
}

/** docs/protocol.md §5 order: D9, D10, D3, D11, D5, D6. */
const UNO_PWM: readonly PwmPin[] = [
  { name: 'D9', ocr: 0x88, tccra: 0x80, comShift: 6, port: portBConfig.PORT, bit: 1 },
  { name: 'D10', ocr: 0x8a, tccra: 0x80, comShift: 4, port: portBConfig.PORT, bit: 2 },
  { name: 'D3', ocr: 0xb4, tccra: 0xb0, comShift: 4, port: portDConfig.PORT, bit: 3 },
  { name: 'D11', ocr: 0xb3, tccra: 0xb0, comShift: 6, port: portBConfig.PORT, bit: 3 },
  { name: 'D5', ocr: 0x48, tccra: 0x44, comShift: 4, port: portDConfig.PORT, bit: 5 },
  { name: 'D6', ocr: 0x47, tccra: 0x44, comShift: 6, port: portDConfig.PORT, bit: 6 },
];

export const EMULATED_BOARDS = ['uno', 'nano'] as const;

/**
 * An ATmega328P board in avr8js: CPU, the three timers, USART0, the ADC and ports B–D, built once
 * from a board profile. Time is counted in CPU cycles; `run` wraps avr8js's two-call step.
 */
export class AvrBoard {
  readonly cpu: CPU;
  readonly usart: AVRUSART;
  readonly adc: AVRADC;
  readonly clock_Hz: number;
  readonly ports: { readonly B: AVRIOPort; readonly C: AVRIOPort; readonly D: AVRIOPort };

  constructor(program: Uint16Array, readonly profile: BoardProfile) {
    if (profile.mcu !== 'atmega328p') {
      throw new UserError(`board '${profile.id}' (${profile.mcu}) cannot be emulated; use --board uno or nano`);
    }
    this.clock_Hz = profile.clock_Hz;
    this.cpu = new CPU(program);
    new AVRTimer(this.cpu, timer0Config);
    new AVRTimer(this.cpu, timer1Config);
    new AVRTimer(this.cpu, timer2Config);
    this.usart = new AVRUSART(this.cpu, usart0Config, this.clock_Hz);
    this.adc = new AVRADC(this.cpu, adcConfig);
    this.ports = {
      B: new AVRIOPort(this.cpu, portBConfig),
      C: new AVRIOPort(this.cpu, portCConfig),
      D: new AVRIOPort(this.cpu, portDConfig),
    };
  }

  get cycles(): number {
    return this.cpu.cycles;
  }

  /** Seconds of board time since reset. */
  get time_s(): number {
    return this.cpu.cycles / this.clock_Hz;
  }

  /** Executes instructions until at least `cycles` more cycles have elapsed. */
  run(cycles: number): void {
    const cpu = this.cpu;
    const end = cpu.cycles + cycles;
    while (cpu.cycles < end) {
      avrInstruction(cpu);
      cpu.tick();
    }
  }

  /** Voltage on analog pin A`channel` as the ADC will convert it. */
  setAnalogVoltage(channel: number, volts: number): void {
    this.adc.channelValues[channel] = volts;
  }

  get pwmPinCount(): number {
    return UNO_PWM.length;
  }

  pwmPinName(k: number): string {
    return UNO_PWM[k].name;
  }

  /**
   * Duty of PWM actuator `k` in 8-bit counts, read from the timer's compare register when the pin
   * is connected to the timer, else from the port bit (0 or 255), as analogWrite leaves it.
   */
  pwmDuty(k: number): number {
    const p = UNO_PWM[k];
    const d = this.cpu.data;
    const com = (d[p.tccra] >> p.comShift) & 3;
    if (com === 2) return d[p.ocr];
    if (com === 3) return 255 - d[p.ocr];
    return d[p.port] & (1 << p.bit) ? 255 : 0;
  }
}
