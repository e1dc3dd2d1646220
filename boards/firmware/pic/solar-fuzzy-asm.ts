import type { FirmwareActuator, FirmwareSensor } from '../description.ts';
import { RULE_POSITION } from '../../../controllers/solar-tracker/rules.ts';
import type { SolarFuzzyController } from '../../../controllers/solar-tracker/solar-fuzzy-controller.ts';
import { MOTOR_PINS_FROM_RATE } from './motor-pins-asm.ts';

/**
 * PIC16F877 assembly (gpasm) for the solar tracker's integer fuzzy controller: the operations of
 * controllers/solar-tracker/fuzzy-int.ts and solar-fuzzy-controller.ts, emitted from the same
 * tables and parameters as the AVR C (boards/firmware/controllers/solar-fuzzy-c.ts). 8-bit
 * memberships, 16-bit sums, the rounded weighted average by repeated subtraction (the quotient is
 * 0-4), the winter fix's stretch, the decision period and the stepper's integer P loop. Also the
 * board's pins: RC0 motor running, RC1 direction (reverse), PORTB the LCD position index.
 */
export interface SolarAsmContext {
  readonly sensors: readonly FirmwareSensor[];
  readonly actuators: readonly FirmwareActuator[];
  readonly origin: string;
}

const u8 = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`${name} ${v} must be an integer 0-255 for the PIC firmware`);
  return v;
};

export function solarFuzzyAsm(c: SolarFuzzyController, ctx: SolarAsmContext): string {
  const o = c.o;
  const loop = o.loop as unknown as { kpQ8?: number; pid?: unknown; o?: { rateMax_sps?: number } };
  if (loop.pid) throw new Error("the position loop 'pid' computes in floating point: use positionLoop 'p' (integer) for firmware");
  const kpQ8 = loop.kpQ8 ?? NaN;
  const rateMax = loop.o?.rateMax_sps ?? NaN;
  if (!Number.isInteger(kpQ8) || kpQ8 < 1 || kpQ8 > 65535) throw new Error(`the position loop gain kpQ8 ${kpQ8} must be an integer 1-65535 for the PIC firmware`);
  if (!Number.isInteger(rateMax) || rateMax < 0 || rateMax > 32767) throw new Error(`the step-rate limit ${rateMax} must be an integer 0-32767 for the PIC firmware`);
  // An error of 2^16 steps or more saturates the rate: |e|·kpQ8/256 ≥ 256·kpQ8 ≥ rateMax.
  if (256 * kpQ8 < rateMax) throw new Error(`kpQ8 ${kpQ8} is too small for the step-rate limit ${rateMax} in the PIC's 16-bit loop`);
  const [s1, s2, s3, steps] = ctx.sensors;
  for (const s of [s1, s2, s3]) {
    if (s.kind !== 'adc' || s.gain !== 1 || s.offset !== 0 || s.vref !== 5 || s.bits < 8 || s.bits > 16) {
      throw new Error(`sensor '${s.name}' must be a plain 0-5 V ADC channel of 8-16 bits (gain 1, offset 0) for the firmware to recover the 8-bit code exactly`);
    }
  }
  if (steps.kind !== 'digital' || steps.lsb !== 1 || steps.gain !== 1 || steps.offset !== 0) {
    throw new Error(`sensor '${steps.name}' must be a digital step count with lsb 1, gain 1, offset 0`);
  }
  const [rate, lcd] = ctx.actuators;
  for (const a of [rate, lcd]) {
    if (a.kind !== 'digital' || a.lsb !== 1) throw new Error(`actuator '${a.name}' must be digital with lsb 1 (counts = the integer command)`);
  }
  // The C clamps to the channels' count ranges after the loop's own limits; the PIC firmware
  // requires those clamps to change nothing, which holds when the ranges contain the limits.
  if (Math.round(rate.min) > -rateMax || Math.round(rate.max) < rateMax) {
    throw new Error(`actuator '${rate.name}' range ${rate.min}..${rate.max} must contain ±${rateMax} for the PIC firmware`);
  }
  if (Math.round(lcd.min) > 0 || Math.round(lcd.max) < 4) throw new Error(`actuator '${lcd.name}' range ${lcd.min}..${lcd.max} must contain 0..4 for the PIC firmware`);
  const spp = o.stepsPerPosition;
  if (!Number.isInteger(spp) || spp < 0 || 4 * spp > 32767) throw new Error(`steps per position ${spp} must keep 4 positions within 32767 steps for the PIC firmware`);
  const decideEvery = o.decideEvery;
  if (!Number.isInteger(decideEvery) || decideEvery < 1 || decideEvery > 65535) throw new Error(`the decision period ${decideEvery} ticks must be 1-65535 for the PIC firmware`);
  const bp = o.breakpoints;
  const L = u8('breakpoint low', bp.low);
  const M = u8('breakpoint mid', bp.mid);
  const H = u8('breakpoint high', bp.high);
  if (!(L < M && M < H)) throw new Error(`breakpoints ${L} < ${M} < ${H} must increase`);
  const winter = o.decision === 'winter-fix';
  if (winter && !(o.minContrast >= 1)) throw new Error(`minContrast ${o.minContrast} must be at least 1 (the stretch divides by the contrast)`);

  // ADC counts → 8-bit code: shift right (bits − 8), as the C does.
  const loadCode = (i: number, dst: string) => {
    const shift = ctx.sensors[i].bits - 8;
    const lines = [`        movlw   ${1 + i}`, '        call    load_field'];
    for (let k = 0; k < shift; k++) lines.push('        bcf     STATUS, C', '        rrf     val1, f', '        rrf     val0, f');
    lines.push('        movf    val0, w', `        movwf   ${dst}`);
    return lines.join('\n');
  };
  const rangeChecks = ctx.sensors
    .map((s, i) => {
      if (s.kind !== 'adc') return `        ; ${s.name}: any int32`;
      const max = 2 ** s.bits - 1;
      return [
        `        ; ${s.name}: 0..${max}`,
        `        movlw   ${1 + i}`,
        '        call    load_field',
        `        movlw   HIGH ${max}`,
        '        movwf   num_hi',
        `        movlw   LOW ${max}`,
        '        movwf   num_lo',
        '        call    val_u16_le',
        '        xorlw   0',
        '        btfsc   STATUS, Z',
        '        retlw   1',
      ].join('\n');
    })
    .join('\n');
  const minmax = (v: string) => `        movf    ${v}, w
        subwf   mx, w               ; mx - ${v}
        btfsc   STATUS, C
        goto    $+3
        movf    ${v}, w
        movwf   mx
        movf    mn, w
        subwf   ${v}, w             ; ${v} - mn
        btfsc   STATUS, C
        goto    $+3
        movf    ${v}, w
        movwf   mn`;
  const stretch = (v: string) => `        movf    mn, w
        subwf   ${v}, w
        call    scale255
        movwf   ${v}`;

  return `; Solar tracker fuzzy controller (Odabas et al. 2009, PIC16F877) in integer arithmetic, generated by
; hilbench (${ctx.origin}). Same operations as controllers/solar-tracker/fuzzy-int.ts.
BP_L            equ ${L}
BP_M            equ ${M}
BP_H            equ ${H}
DECIDE_EVERY    equ ${decideEvery}        ; control periods between fuzzy decisions
STEPS_PER_POS   equ ${spp}
KP_Q8           equ ${kpQ8}               ; position loop gain, Q8 (steps/s per step)
RATE_MAX        equ ${rateMax}
${winter ? `NIGHT_CODE      equ ${u8('nightCode', o.nightCode)}\nMIN_CONTRAST    equ ${u8('minContrast', o.minContrast)}\n` : ''}MU              equ FIELDS + 4 * HIL_MAX_FIELDS   ; memberships low/normal/high of S1, S2, S3 (bank 1, FSR)

        cblock  PROTO_END
        phase_lo, phase_hi, position
        c1, c2, c3, mcode, mx, mn
        i1, i2, i3, m1, m12, wr, kk
        sw_lo, sw_hi, sp_lo, sp_hi
        d_lo, d_hi, dv, rem, cnt
        e0, e1, e2, e3, negative
        p0, p1, p2, p3, k_lo, k_hi
        rate_lo, rate_hi
        CTL_END
        endc
        if CTL_END > 0x70
        error "controller variables overflow bank 0"
        endif

controller_reset:
        clrf    phase_lo
        clrf    phase_hi
        clrf    position
        clrf    rate_lo
        clrf    rate_hi
        return

; d_hi:d_lo / dv (1-255), quotient in d_hi:d_lo (restoring division; rem holds 9 bits with C).
div16_8:
        clrf    rem
        movlw   16
        movwf   cnt
div_loop:
        bcf     STATUS, C
        rlf     d_lo, f
        rlf     d_hi, f
        rlf     rem, f
        btfsc   STATUS, C
        goto    div_sub
        movf    dv, w
        subwf   rem, w
        btfss   STATUS, C
        goto    div_next
div_sub:
        movf    dv, w
        subwf   rem, f
        bsf     d_lo, 0
div_next:
        decfsz  cnt, f
        goto    div_loop
        return

; W = W * 255 / dv, truncated (x * 255 = x * 256 - x)
scale255:
        movwf   d_hi
        clrf    d_lo
        movf    d_hi, w
        subwf   d_lo, f
        btfss   STATUS, C
        decf    d_hi, f
        call    div16_8
        movf    d_lo, w
        return

; low, normal, high (0-255) of code mcode into INDF, INDF+1, INDF+2
memberships:
        movf    mcode, w
        sublw   BP_L                ; L - c, C = 1 if c <= L
        btfsc   STATUS, C
        goto    mu_low
        movf    mcode, w
        sublw   BP_M - 1
        btfsc   STATUS, C
        goto    mu_low_normal
        movf    mcode, w
        xorlw   BP_M
        btfsc   STATUS, Z
        goto    mu_mid
        movf    mcode, w
        sublw   BP_H - 1
        btfsc   STATUS, C
        goto    mu_normal_high
        clrf    INDF
        incf    FSR, f
        clrf    INDF
        incf    FSR, f
        movlw   255
        movwf   INDF
        return
mu_low:
        movlw   255
        movwf   INDF
        incf    FSR, f
        clrf    INDF
        incf    FSR, f
        clrf    INDF
        return
mu_mid:
        clrf    INDF
        incf    FSR, f
        movlw   255
        movwf   INDF
        incf    FSR, f
        clrf    INDF
        return
mu_low_normal:
        movlw   BP_M - BP_L
        movwf   dv
        movf    mcode, w
        sublw   BP_M                ; M - c
        call    scale255
        movwf   INDF
        incf    FSR, f
        movlw   BP_L
        subwf   mcode, w            ; c - L
        call    scale255
        movwf   INDF
        incf    FSR, f
        clrf    INDF
        return
mu_normal_high:
        movlw   BP_H - BP_M
        movwf   dv
        clrf    INDF
        incf    FSR, f
        movf    mcode, w
        sublw   BP_H                ; H - c
        call    scale255
        movwf   INDF
        incf    FSR, f
        movlw   BP_M
        subwf   mcode, w            ; c - M
        call    scale255
        movwf   INDF
        return

; 27 rules, AND = min, weighted average rounded half up: (2P + W) / (2W). c1..c3 in, W = position.
infer:
        bcf     STATUS, IRP
        movlw   MU
        movwf   FSR
        movf    c1, w
        movwf   mcode
        call    memberships
        movlw   MU + 3
        movwf   FSR
        movf    c2, w
        movwf   mcode
        call    memberships
        movlw   MU + 6
        movwf   FSR
        movf    c3, w
        movwf   mcode
        call    memberships
        clrf    sw_lo
        clrf    sw_hi
        clrf    sp_lo
        clrf    sp_hi
        clrf    i1
inf_l1:
        movlw   MU
        addwf   i1, w
        movwf   FSR
        movf    INDF, w
        btfsc   STATUS, Z
        goto    inf_n1
        movwf   m1
        clrf    i2
inf_l2:
        movlw   MU + 3
        addwf   i2, w
        movwf   FSR
        movf    INDF, w
        btfsc   STATUS, Z
        goto    inf_n2
        movwf   m12                 ; m12 = min(m1, m2)
        movf    m1, w
        subwf   m12, w
        btfss   STATUS, C
        goto    inf_m12
        movf    m1, w
        movwf   m12
inf_m12:
        clrf    i3
inf_l3:
        movlw   MU + 6
        addwf   i3, w
        movwf   FSR
        movf    INDF, w
        movwf   wr                  ; w = min(m12, m3)
        movf    m12, w
        subwf   wr, w
        btfss   STATUS, C
        goto    inf_w
        movf    m12, w
        movwf   wr
inf_w:
        movf    wr, w               ; W += w
        addwf   sw_lo, f
        btfsc   STATUS, C
        incf    sw_hi, f
        movf    i1, w               ; kk = 9 i1 + 3 i2 + i3
        movwf   kk
        bcf     STATUS, C
        rlf     kk, f
        rlf     kk, f
        rlf     kk, f
        addwf   kk, f
        movf    i2, w
        addwf   kk, f
        addwf   kk, f
        addwf   kk, f
        movf    i3, w
        addwf   kk, w
        call    rule_position
        movwf   kk
inf_pk:                             ; P += w * Konum (0-4)
        movf    kk, f
        btfsc   STATUS, Z
        goto    inf_n3
        movf    wr, w
        addwf   sp_lo, f
        btfsc   STATUS, C
        incf    sp_hi, f
        decf    kk, f
        goto    inf_pk
inf_n3:
        incf    i3, f
        movlw   3
        subwf   i3, w
        btfss   STATUS, C
        goto    inf_l3
inf_n2:
        incf    i2, f
        movlw   3
        subwf   i2, w
        btfss   STATUS, C
        goto    inf_l2
inf_n1:
        incf    i1, f
        movlw   3
        subwf   i1, w
        btfss   STATUS, C
        goto    inf_l1
        movf    sw_lo, w
        iorwf   sw_hi, w
        btfsc   STATUS, Z
        retlw   0
        bcf     STATUS, C           ; sp = 2P + W, sw = 2W
        rlf     sp_lo, f
        rlf     sp_hi, f
        movf    sw_lo, w
        addwf   sp_lo, f
        btfsc   STATUS, C
        incf    sp_hi, f
        movf    sw_hi, w
        addwf   sp_hi, f
        bcf     STATUS, C
        rlf     sw_lo, f
        rlf     sw_hi, f
        clrf    kk
inf_q:
        movf    sw_hi, w
        subwf   sp_hi, w
        btfss   STATUS, C
        goto    inf_qdone
        btfss   STATUS, Z
        goto    inf_qsub
        movf    sw_lo, w
        subwf   sp_lo, w
        btfss   STATUS, C
        goto    inf_qdone
inf_qsub:
        movf    sw_lo, w
        subwf   sp_lo, f
        btfss   STATUS, C
        decf    sp_hi, f
        movf    sw_hi, w
        subwf   sp_hi, f
        incf    kk, f
        goto    inf_q
inf_qdone:
        movf    kk, w
        return
${
  winter
    ? `
; Winter fix: stretch the codes min -> 0, max -> 255; night parks at 0, a contrast-free sky lies flat (2).
decide:
        movf    c1, w
        movwf   mx
        movwf   mn
${minmax('c2')}
${minmax('c3')}
        movlw   NIGHT_CODE
        subwf   mx, w
        btfss   STATUS, C
        retlw   0
        movf    mn, w
        subwf   mx, w
        movwf   dv                  ; span
        movlw   MIN_CONTRAST
        subwf   dv, w
        btfss   STATUS, C
        retlw   2
${stretch('c1')}
${stretch('c2')}
${stretch('c3')}
        goto    infer
`
    : `
decide:
        goto    infer
`
}
controller_step:
        movf    phase_lo, w
        iorwf   phase_hi, w
        btfss   STATUS, Z
        goto    ctl_decided
${loadCode(0, 'c1')}
${loadCode(1, 'c2')}
${loadCode(2, 'c3')}
        call    decide
        movwf   position
ctl_decided:
        incf    phase_lo, f
        btfsc   STATUS, Z
        incf    phase_hi, f
        movlw   HIGH DECIDE_EVERY   ; phase >= DECIDE_EVERY -> 0
        subwf   phase_hi, w
        btfss   STATUS, C
        goto    ctl_loop
        btfss   STATUS, Z
        goto    ctl_phase0
        movlw   LOW DECIDE_EVERY
        subwf   phase_lo, w
        btfss   STATUS, C
        goto    ctl_loop
ctl_phase0:
        clrf    phase_lo
        clrf    phase_hi
ctl_loop:
        ; Stepper P loop: rate = trunc((target - steps) * KP_Q8 / 256), limited to +-RATE_MAX.
        movlw   ${1 + 3}
        call    load_field          ; steps, int32
        movf    val3, w             ; beyond +-2^24 steps the rate saturates
        btfsc   STATUS, Z
        goto    ctl_small
        incf    val3, w
        btfsc   STATUS, Z
        goto    ctl_small
        clrf    negative
        btfss   val3, 7
        bsf     negative, 0         ; steps >= 2^24: error very negative
        goto    ctl_saturate
ctl_small:
        comf    val0, w             ; e = -steps + position * STEPS_PER_POS
        movwf   e0
        comf    val1, w
        movwf   e1
        comf    val2, w
        movwf   e2
        comf    val3, w
        movwf   e3
        incf    e0, f
        btfsc   STATUS, Z
        incf    e1, f
        btfsc   STATUS, Z
        incf    e2, f
        btfsc   STATUS, Z
        incf    e3, f
        movf    position, w
        movwf   cnt
ctl_target:
        movf    cnt, f
        btfsc   STATUS, Z
        goto    ctl_sign
        movlw   LOW STEPS_PER_POS
        addwf   e0, f
        movlw   1
        btfsc   STATUS, C
        call    ctl_carry1
        movlw   HIGH STEPS_PER_POS
        addwf   e1, f
        movlw   1
        btfsc   STATUS, C
        call    ctl_carry2
        decf    cnt, f
        goto    ctl_target
ctl_sign:
        clrf    negative
        btfss   e3, 7
        goto    ctl_mag
        bsf     negative, 0
        comf    e0, f
        comf    e1, f
        comf    e2, f
        comf    e3, f
        incf    e0, f
        btfsc   STATUS, Z
        incf    e1, f
        btfsc   STATUS, Z
        incf    e2, f
        btfsc   STATUS, Z
        incf    e3, f
ctl_mag:
        movf    e3, w
        iorwf   e2, w
        btfss   STATUS, Z
        goto    ctl_saturate
        ; p = |e| * KP_Q8 (16 x 16 -> 32 bits, shift and add)
        clrf    p0
        clrf    p1
        clrf    p2
        clrf    p3
        movlw   LOW KP_Q8
        movwf   k_lo
        movlw   HIGH KP_Q8
        movwf   k_hi
        movlw   16
        movwf   cnt
ctl_mul:
        bcf     STATUS, C
        rrf     k_hi, f
        rrf     k_lo, f
        btfss   STATUS, C
        goto    ctl_mul_shift
        movf    e0, w
        addwf   p0, f
        movf    e1, w
        btfsc   STATUS, C
        incfsz  e1, w
        addwf   p1, f
        movf    e2, w
        btfsc   STATUS, C
        incfsz  e2, w
        addwf   p2, f
        movf    e3, w
        btfsc   STATUS, C
        incfsz  e3, w
        addwf   p3, f
ctl_mul_shift:
        bcf     STATUS, C
        rlf     e0, f
        rlf     e1, f
        rlf     e2, f
        rlf     e3, f
        decfsz  cnt, f
        goto    ctl_mul
        ; r = p >> 8 = p3:p2:p1; min(r, RATE_MAX)
        movf    p3, f
        btfss   STATUS, Z
        goto    ctl_saturate
        movlw   HIGH RATE_MAX
        subwf   p2, w
        btfss   STATUS, C
        goto    ctl_r
        btfss   STATUS, Z
        goto    ctl_saturate
        movlw   LOW RATE_MAX
        subwf   p1, w
        btfsc   STATUS, C
        goto    ctl_saturate
ctl_r:
        movf    p1, w
        movwf   rate_lo
        movf    p2, w
        movwf   rate_hi
        goto    ctl_apply_sign
ctl_saturate:
        movlw   LOW RATE_MAX
        movwf   rate_lo
        movlw   HIGH RATE_MAX
        movwf   rate_hi
ctl_apply_sign:
        btfss   negative, 0
        return
        comf    rate_lo, f
        comf    rate_hi, f
        incf    rate_lo, f
        btfsc   STATUS, Z
        incf    rate_hi, f
        return
ctl_carry1:                         ; carry from e0 into e1..e3
        incf    e1, f
        btfss   STATUS, Z
        return
ctl_carry2:                         ; carry from e1 into e2..e3
        incf    e2, f
        btfsc   STATUS, Z
        incf    e3, f
        return

; W = 0 if every count of the S frame is in its channel's range (fields 1..)
check_request_ranges:
${rangeChecks}
        retlw   0

; " <rate> <lcd>"
send_values:
        movf    rate_lo, w
        movwf   num_lo
        movf    rate_hi, w
        movwf   num_hi
        call    out_space_s16
        movf    position, w
        movwf   num_lo
        clrf    num_hi
        goto    out_space_u16

; RC0 motor running, RC1 reverse, PORTB LCD position index
write_pins:
        movf    position, w
        movwf   PORTB
${MOTOR_PINS_FROM_RATE}
        return

; Section 4: digital actuators hold; the motor stops (speed 0), the display keeps its position.
safe_outputs:
        bcf     PORTC, 0
        return

; Konum of rule 9*i1 + 3*i2 + i3 (Tablo 1 of the paper); W = rule index
        org     0x0700
rule_position:
        movwf   kk
        movlw   HIGH rule_position_table
        movwf   PCLATH
        movf    kk, w
        addwf   PCL, f
rule_position_table:
${RULE_POSITION.map((k) => `        retlw   ${k}`).join('\n')}
`;
}
