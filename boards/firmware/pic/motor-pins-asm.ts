/**
 * The stepper's direction pins from the signed step rate in `rate_hi:rate_lo`: RC0 set while the
 * motor runs (rate ≠ 0), RC1 set when it runs in reverse (rate < 0). Shared by the on-board fuzzy
 * firmware and the io firmware so both drive the rig's pins the same way.
 */
export const MOTOR_PINS_FROM_RATE = `        movf    rate_lo, w
        iorwf   rate_hi, w
        btfsc   STATUS, Z
        bcf     PORTC, 0
        btfss   STATUS, Z
        bsf     PORTC, 0
        btfss   rate_hi, 7
        bcf     PORTC, 1
        btfsc   rate_hi, 7
        bsf     PORTC, 1`;
