; hilbench serial protocol v2, board side, for the PIC16F877 at 20 MHz (gpasm / MPASM syntax): line
; frames with CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), HELLO/READY, lockstep S/A, WD watchdog with safe outputs and
; FAULT WATCHDOG, ERR for every rejected line. docs/protocol.md is the contract; this file follows
; boards/firmware/templates/hil_protocol.cpp check for check, so both boards reject the same lines
; with the same codes.
;
; The PIC has no RAM for a 128-byte line in one bank, so a line is checked as it arrives: the CRC,
; the type and every integer field are accumulated byte by byte, flags remember what was wrong, and
; the verdict is taken at the '\n' in the C firmware's order (too long, non-ASCII, CRC, syntax,
; type, arity, range). Bank 0 holds the variables; the parsed fields, the controller's memberships
; and the receive ring are in bank 1, reached through FSR only.
        list    p=16f877, r=dec
        #include <p16f877.inc>
        errorlevel -302, -305
        __config _HS_OSC & _WDT_OFF & _PWRTE_ON & _LVP_OFF & _BODEN_OFF & _CP_OFF

        #include "hil_config.inc"

MAX_BODY_BYTES  equ 127             ; bytes before '\n' (128 with it, section 1)

; flags: what the line so far broke
F_TOOLONG       equ 0
F_NONASCII      equ 1
F_CRC           equ 2               ; a second '*', a non-hex digit after it, or more than four
F_SYNTAX        equ 3
F_RANGE         equ 4
F_TOOMANY       equ 5
F_PENDCR        equ 6               ; last byte was '\r' (fine only right before '\n')
F_STAR          equ 7               ; the '*' has been seen
; tok: tokenizer state
T_INTYPE        equ 0
T_NEG           equ 1
T_ZERO          equ 2               ; the field's first digit was 0
T_BAD           equ 3               ; this field is not an integer
T_OVF           equ 4               ; this field left int32
; state: the board's protocol state
S_GREETED       equ 0
S_FAULTED       equ 1
S_HAVELAST      equ 2
S_SEQOK         equ 3               ; the current line's seq is readable: field 0, for its ERR

        cblock 0x20
        rx_crc_hi, rx_crc_lo, tx_crc_hi, tx_crc_lo, crc_i
        rxb, linelen, flags, tok
        typelen, type0, type1, type2, type3, type4
        nf, fieldlen, ndig, starcount, got_hi, got_lo
        acc0, acc1, acc2, acc3
        val0, val1, val2, val3      ; a field loaded by load_field
        state, last_seq_lo, last_seq_hi
        wd_ms_lo, wd_ms_hi, wd_el_lo, wd_el_hi
        num_lo, num_hi, digit, printed
        tmp
        PROTO_END
        endc
        cblock 0x70                 ; shared by all banks: interrupt context, the ms counter, the ring's ends
        w_save, status_save, fsr_save, ms_pending, rx_head, rx_tail
        endc
FIELDS          equ 0xA0            ; HIL_MAX_FIELDS x 4 bytes, little-endian, bank 1 (FSR only)
RXBUF           equ 0xC0            ; received bytes, 32, bank 1 (FSR only)
RXBUF_MASK      equ 0x1f
        if FIELDS + 4 * HIL_MAX_FIELDS + 9 > RXBUF
        error "fields and memberships overlap the receive ring"
        endif

        org     0x0000
        goto    start
        org     0x0004
; Two interrupt sources: the USART receiver (each byte into a 32-byte ring in bank 1, so a host's
; retransmission that arrives while the firmware computes or sends is kept, as the Arduino core's
; receive buffer keeps it) and timer 2 (the 1 ms tick of the watchdog's clock).
isr:
        movwf   w_save
        swapf   STATUS, w
        movwf   status_save
        clrf    STATUS              ; bank 0, IRP 0
        movf    FSR, w
        movwf   fsr_save
isr_rx:
        btfss   PIR1, RCIF
        goto    isr_timer
        movf    rx_head, w
        addlw   RXBUF
        movwf   FSR
        movf    RCREG, w            ; reading clears RCIF once the 2-byte FIFO is empty
        movwf   INDF
        incf    rx_head, w
        andlw   RXBUF_MASK
        xorwf   rx_tail, w          ; full: the byte is dropped (the line fails its CRC)
        btfsc   STATUS, Z
        goto    isr_rx
        xorwf   rx_tail, w
        movwf   rx_head
        goto    isr_rx
isr_timer:
        btfsc   RCSTA, OERR         ; cannot happen with the ring, but would stop the receiver
        bcf     RCSTA, CREN
        bsf     RCSTA, CREN
        btfss   PIR1, TMR2IF
        goto    isr_end
        bcf     PIR1, TMR2IF
        incf    ms_pending, f
isr_end:
        movf    fsr_save, w
        movwf   FSR
        swapf   status_save, w
        movwf   STATUS
        swapf   w_save, f
        swapf   w_save, w
        retfie

; ---------------------------------------------------------------- output
; CRC-16/CCITT-FALSE update, bit by bit (docs/protocol.md section 1), of the bank-0 register pair
; at FSR (high byte) and FSR + 1 (low byte) with W. Through FSR so that the receive and the send
; CRCs need no copies in the little bank-0 RAM left.
crc16:
        bcf     STATUS, IRP
        xorwf   INDF, f
        movlw   8
        movwf   crc_i
crc16_loop:
        incf    FSR, f              ; low byte (incf/decf leave C alone)
        bcf     STATUS, C
        rlf     INDF, f
        decf    FSR, f
        rlf     INDF, f
        btfss   STATUS, C
        goto    crc16_next
        movlw   0x10
        xorwf   INDF, f
        incf    FSR, f
        movlw   0x21
        xorwf   INDF, f
        decf    FSR, f
crc16_next:
        decfsz  crc_i, f
        goto    crc16_loop
        return

; Sends W and adds it to the outgoing frame's CRC.
out_char:
        btfss   PIR1, TXIF
        goto    out_char
        movwf   TXREG
        movwf   tmp
        movlw   tx_crc_hi
        movwf   FSR
        movf    tmp, w
        goto    crc16

out_begin:
        movlw   0xff
        movwf   tx_crc_hi
        movwf   tx_crc_lo
        return

; Sends one hex digit of W's low nibble (no CRC: it is the CRC).
out_hex_nibble:
        andlw   0x0f
        movwf   tmp
        movlw   10
        subwf   tmp, w
        btfsc   STATUS, C
        goto    out_hex_letter
        movf    tmp, w
        addlw   '0'
        goto    out_raw
out_hex_letter:
        addlw   'A'
out_raw:
        btfss   PIR1, TXIF
        goto    out_raw
        movwf   TXREG
        return

; "*HHHH\n"
out_end:
        movlw   '*'
        call    out_raw
        swapf   tx_crc_hi, w
        call    out_hex_nibble
        movf    tx_crc_hi, w
        call    out_hex_nibble
        swapf   tx_crc_lo, w
        call    out_hex_nibble
        movf    tx_crc_lo, w
        call    out_hex_nibble
        movlw   '\n'
        goto    out_raw

; " <num_hi:num_lo>" unsigned decimal
out_space_u16:
        movlw   ' '
        call    out_char
out_u16:
        clrf    printed
        movlw   HIGH 10000
        movwf   val1
        movlw   LOW 10000
        call    out_digit
        movlw   HIGH 1000
        movwf   val1
        movlw   LOW 1000
        call    out_digit
        clrf    val1
        movlw   100
        call    out_digit
        clrf    val1
        movlw   10
        call    out_digit
        bsf     printed, 0          ; the units digit is always printed
        clrf    val1
        movlw   1
        ; fall through
; One decimal digit: how many times val1:W fits in num, subtracted; leading zeros suppressed.
out_digit:
        movwf   val0
        clrf    digit
out_digit_loop:
        movf    val1, w             ; num >= val ?
        subwf   num_hi, w
        btfss   STATUS, C
        goto    out_digit_done
        btfss   STATUS, Z
        goto    out_digit_sub
        movf    val0, w
        subwf   num_lo, w
        btfss   STATUS, C
        goto    out_digit_done
out_digit_sub:
        movf    val0, w
        subwf   num_lo, f
        btfss   STATUS, C
        decf    num_hi, f
        movf    val1, w
        subwf   num_hi, f
        incf    digit, f
        goto    out_digit_loop
out_digit_done:
        movf    digit, w
        iorwf   printed, w
        btfsc   STATUS, Z
        return
        bsf     printed, 0
        movf    digit, w
        addlw   '0'
        goto    out_char

; " <num_hi:num_lo>" signed decimal
out_space_s16:
        movlw   ' '
        call    out_char
        btfss   num_hi, 7
        goto    out_u16
        movlw   '-'
        call    out_char
        comf    num_lo, f
        comf    num_hi, f
        incf    num_lo, f
        btfsc   STATUS, Z
        incf    num_hi, f
        goto    out_u16

; "ERR <W> " then the caller's text; use the ERR_* macros.
send_err_head:
        movwf   digit
        call    out_begin
        movlw   'E'
        call    out_char
        movlw   'R'
        call    out_char
        movlw   'R'
        call    out_char
        movlw   ' '
        call    out_char
        movf    digit, w
        addlw   '0'
        call    out_char
        btfss   state, S_SEQOK      ; the seq of the S line it answers, or '-' (section 2.5)
        goto    send_err_noseq
        movlw   0
        call    load_field
        movf    val0, w
        movwf   num_lo
        movf    val1, w
        movwf   num_hi
        call    out_space_u16
        goto    send_err_sep
send_err_noseq:
        movlw   ' '
        call    out_char
        movlw   '-'
        call    out_char
send_err_sep:
        movlw   ' '
        goto    out_char

err_crc:
        movlw   1
        call    send_err_head
        OUT_CHARS_crc
        goto    out_end
err_toolong:
        movlw   2
        call    send_err_head
        OUT_CHARS_toolong
        goto    out_end
err_syntax:
        movlw   3
        call    send_err_head
        OUT_CHARS_syntax
        goto    out_end
err_arity:
        movlw   4
        call    send_err_head
        OUT_CHARS_arity
        goto    out_end
err_range:
        movlw   5
        call    send_err_head
        OUT_CHARS_range
        goto    out_end
err_state:
        movlw   6
        call    send_err_head
        OUT_CHARS_state
        goto    out_end
err_faulted:
        movlw   6
        call    send_err_head
        OUT_CHARS_faulted
        goto    out_end
err_version:
        movlw   7
        call    send_err_head
        OUT_CHARS_version
        goto    out_end

; ---------------------------------------------------------------- input
line_reset:
        movlw   0xff
        movwf   rx_crc_hi
        movwf   rx_crc_lo
        clrf    linelen
        clrf    flags
        clrf    tok
        bsf     tok, T_INTYPE
        clrf    typelen
        clrf    nf
        clrf    starcount
        clrf    got_hi
        clrf    got_lo
        bcf     state, S_SEQOK
        return

field_start:
        clrf    fieldlen
        clrf    ndig
        clrf    acc0
        clrf    acc1
        clrf    acc2
        clrf    acc3
        movlw   (1 << T_INTYPE)
        andwf   tok, f              ; keeps nothing of the previous field
        return

; The current field ends (at ' ' or '*'): empty is a syntax error whatever its index; beyond
; HIL_MAX_FIELDS it only counts (arity); otherwise its integer is checked and stored.
field_end:
        movf    fieldlen, f
        btfsc   STATUS, Z
        bsf     flags, F_SYNTAX
        movlw   HIL_MAX_FIELDS
        subwf   nf, w
        btfsc   STATUS, C
        goto    field_too_many
        movf    ndig, f             ; "-" alone
        btfsc   STATUS, Z
        bsf     tok, T_BAD
        btfss   tok, T_NEG          ; "-0"
        goto    field_end_neg_ok
        btfsc   tok, T_ZERO
        bsf     tok, T_BAD
field_end_neg_ok:
        call    note_seq
        btfsc   tok, T_BAD
        bsf     flags, F_SYNTAX
        btfsc   tok, T_OVF
        bsf     flags, F_RANGE
        btfss   tok, T_NEG
        goto    field_store
        comf    acc0, f             ; acc = -acc
        comf    acc1, f
        comf    acc2, f
        comf    acc3, f
        incf    acc0, f
        btfsc   STATUS, Z
        incf    acc1, f
        btfsc   STATUS, Z
        incf    acc2, f
        btfsc   STATUS, Z
        incf    acc3, f
field_store:
        bcf     STATUS, IRP
        movf    nf, w
        movwf   FSR
        bcf     STATUS, C
        rlf     FSR, f
        rlf     FSR, f
        movlw   FIELDS
        addwf   FSR, f
        movf    acc0, w
        movwf   INDF
        incf    FSR, f
        movf    acc1, w
        movwf   INDF
        incf    FSR, f
        movf    acc2, w
        movwf   INDF
        incf    FSR, f
        movf    acc3, w
        movwf   INDF
        incf    nf, f
        return
field_too_many:
        bsf     flags, F_TOOMANY
        return

; At the end of a line's first field: an "S " or "X " line whose field is a canonical integer
; 0..65535 after ASCII bytes only has a readable seq, given in its ERR whatever else is wrong
; with the line (section 2.5; the C firmware's read_seq).
note_seq:
        movf    nf, f
        btfss   STATUS, Z
        return
        decf    typelen, w
        btfss   STATUS, Z
        return
        movf    fieldlen, f
        btfsc   STATUS, Z
        return
        movf    tok, w
        andlw   (1 << T_NEG) | (1 << T_BAD) | (1 << T_OVF)
        btfss   STATUS, Z
        return
        btfsc   flags, F_NONASCII
        return
        movf    acc3, w
        iorwf   acc2, w
        btfss   STATUS, Z
        return
        movlw   'S'
        subwf   type0, w
        btfsc   STATUS, Z
        goto    note_seq_ok
        movlw   'X'
        subwf   type0, w
        btfss   STATUS, Z
        return
note_seq_ok:                        ; field_store keeps it as field 0
        bsf     state, S_SEQOK
        return

; val = field W (0-based)
load_field:
        movwf   FSR
        bcf     STATUS, IRP
        bcf     STATUS, C
        rlf     FSR, f
        rlf     FSR, f
        movlw   FIELDS
        addwf   FSR, f
        movf    INDF, w
        movwf   val0
        incf    FSR, f
        movf    INDF, w
        movwf   val1
        incf    FSR, f
        movf    INDF, w
        movwf   val2
        incf    FSR, f
        movf    INDF, w
        movwf   val3
        return

; One character of a field: '-' first, then digits without a leading zero; acc stays the
; magnitude, and T_OVF once it passes 2147483647 (2147483648 for a negative field).
field_char:
        incf    fieldlen, f
        movlw   '-'
        subwf   rxb, w
        btfss   STATUS, Z
        goto    field_digit
        decf    fieldlen, w
        btfss   STATUS, Z
        bsf     tok, T_BAD          ; '-' after the first character
        bsf     tok, T_NEG
        return
field_digit:
        movlw   '0'
        subwf   rxb, w
        movwf   digit
        movlw   10
        subwf   digit, w
        btfsc   STATUS, C
        goto    field_bad           ; not 0-9 (the subtraction wrapped or was >= 10)
        btfsc   tok, T_ZERO         ; any digit after a leading 0
        bsf     tok, T_BAD
        movf    ndig, f
        btfss   STATUS, Z
        goto    field_acc
        movf    digit, f
        btfsc   STATUS, Z
        bsf     tok, T_ZERO
field_acc:
        incf    ndig, f
        btfsc   tok, T_OVF
        return
        ; acc = acc * 10 + digit, in 32 bits: acc*2 (kept in val), acc*8, sum, + digit; any carry out is overflow
        bcf     STATUS, C
        rlf     acc0, f
        rlf     acc1, f
        rlf     acc2, f
        rlf     acc3, f
        btfsc   STATUS, C
        goto    field_ovf
        movf    acc0, w
        movwf   val0
        movf    acc1, w
        movwf   val1
        movf    acc2, w
        movwf   val2
        movf    acc3, w
        movwf   val3
        call    acc_shl
        btfsc   STATUS, C
        goto    field_ovf
        call    acc_shl
        btfsc   STATUS, C
        goto    field_ovf
        movf    val0, w
        call    acc_add0
        btfsc   STATUS, C
        goto    field_ovf
        movf    val1, w
        call    acc_add1
        btfsc   STATUS, C
        goto    field_ovf
        movf    val2, w
        call    acc_add2
        btfsc   STATUS, C
        goto    field_ovf
        movf    val3, w
        addwf   acc3, f
        btfsc   STATUS, C
        goto    field_ovf
        movf    digit, w
        call    acc_add0
        btfsc   STATUS, C
        goto    field_ovf
        ; magnitude limit: below 2^31, or exactly 2^31 for a negative field
        btfss   acc3, 7
        return
        btfss   tok, T_NEG
        goto    field_ovf
        movlw   0x80
        subwf   acc3, w
        iorwf   acc2, w
        iorwf   acc1, w
        iorwf   acc0, w
        btfsc   STATUS, Z
        return
field_ovf:
        bsf     tok, T_OVF
        return
field_bad:
        bsf     tok, T_BAD
        return

acc_shl:
        bcf     STATUS, C
        rlf     acc0, f
        rlf     acc1, f
        rlf     acc2, f
        rlf     acc3, f
        return
; acc += W << 8k with the carry rippling up; C = carry out of acc3
acc_add0:
        addwf   acc0, f
        btfss   STATUS, C
        goto    acc_add0_nc
        incf    acc1, f
        btfsc   STATUS, Z
        goto    acc_add0_c1
acc_add0_nc:
        bcf     STATUS, C
        return
acc_add0_c1:
        incf    acc2, f
        btfss   STATUS, Z
        goto    acc_add0_nc
        incf    acc3, f
        bcf     STATUS, C
        btfsc   STATUS, Z
        bsf     STATUS, C
        return
acc_add1:
        addwf   acc1, f
        btfss   STATUS, C
        goto    acc_add0_nc
        incf    acc2, f
        btfss   STATUS, Z
        goto    acc_add0_nc
        incf    acc3, f
        bcf     STATUS, C
        btfsc   STATUS, Z
        bsf     STATUS, C
        return
acc_add2:
        addwf   acc2, f
        btfss   STATUS, C
        goto    acc_add0_nc
        incf    acc3, f
        bcf     STATUS, C
        btfsc   STATUS, Z
        bsf     STATUS, C
        return

; One received byte in rxb (not '\n').
rx_byte:
        incf    linelen, f
        movlw   MAX_BODY_BYTES + 1
        subwf   linelen, w
        btfsc   STATUS, C
        bsf     flags, F_TOOLONG
        btfsc   STATUS, Z
        decf    linelen, f          ; stays at 128 (no wrap)
        btfsc   flags, F_TOOLONG
        return
        btfsc   flags, F_PENDCR     ; a '\r' not followed by '\n'
        bsf     flags, F_NONASCII
        bcf     flags, F_PENDCR
        movlw   '\r'
        subwf   rxb, w
        btfss   STATUS, Z
        goto    rx_not_cr
        bsf     flags, F_PENDCR
        return
rx_not_cr:
        movlw   0x20                ; printable 0x20-0x7E only
        subwf   rxb, w
        btfss   STATUS, C
        goto    rx_nonascii
        movlw   0x7f
        subwf   rxb, w
        btfsc   STATUS, C
        goto    rx_nonascii
        btfsc   flags, F_STAR
        goto    rx_after_star
        movlw   '*'
        subwf   rxb, w
        btfss   STATUS, Z
        goto    rx_body
        bsf     flags, F_STAR
        btfss   tok, T_INTYPE
        goto    field_end
        return
rx_nonascii:
        bsf     flags, F_NONASCII
        return
rx_after_star:
        incf    starcount, f
        movlw   5
        subwf   starcount, w
        btfsc   STATUS, C
        goto    rx_crc_bad          ; more than four characters after '*'
        movlw   '0'
        subwf   rxb, w
        movwf   digit
        movlw   10
        subwf   digit, w
        btfss   STATUS, C
        goto    rx_hex_ok           ; 0-9
        movlw   'A'
        subwf   rxb, w
        movwf   digit
        movlw   6
        subwf   digit, w
        btfsc   STATUS, C
        goto    rx_crc_bad          ; not A-F either
        movlw   10
        addwf   digit, f
rx_hex_ok:                          ; got = got << 4 | digit
        swapf   got_hi, w
        andlw   0xf0
        movwf   got_hi
        swapf   got_lo, w
        andlw   0x0f
        iorwf   got_hi, f
        swapf   got_lo, w
        andlw   0xf0
        iorwf   digit, w
        movwf   got_lo
        return
rx_crc_bad:
        bsf     flags, F_CRC
        return
rx_body:
        movlw   rx_crc_hi
        movwf   FSR
        movf    rxb, w
        call    crc16
        btfss   tok, T_INTYPE
        goto    rx_field
        ; type: upper-case letters up to the first space
        movlw   ' '
        subwf   rxb, w
        btfss   STATUS, Z
        goto    rx_type_char
        movf    typelen, f
        btfsc   STATUS, Z
        bsf     flags, F_SYNTAX
        bcf     tok, T_INTYPE
        goto    field_start
rx_type_char:
        movlw   'A'
        subwf   rxb, w
        movwf   digit
        movlw   26
        subwf   digit, w
        btfsc   STATUS, C
        bsf     flags, F_SYNTAX
        movlw   5                   ; the first five letters are kept, the length counted to 6
        subwf   typelen, w
        btfsc   STATUS, C
        goto    rx_type_long
        movlw   type0
        addwf   typelen, w
        movwf   FSR
        bcf     STATUS, IRP
        movf    rxb, w
        movwf   INDF
        incf    typelen, f
        return
rx_type_long:
        movlw   6
        movwf   typelen
        return
rx_field:
        movlw   ' '
        subwf   rxb, w
        btfss   STATUS, Z
        goto    field_char
        call    field_end
        goto    field_start

; ---------------------------------------------------------------- the verdict at '\n'
; W = 1 if val (32-bit) is within 0..(HIGH k:LOW k) given as val_limit_hi:val_limit_lo in num
val_u16_le:
        movf    val3, w
        iorwf   val2, w
        btfss   STATUS, Z
        retlw   0
        movf    val1, w
        subwf   num_hi, w           ; num_hi - val1
        btfss   STATUS, C
        retlw   0
        btfss   STATUS, Z
        retlw   1
        movf    val0, w
        subwf   num_lo, w
        btfss   STATUS, C
        retlw   0
        retlw   1

line_end:
        btfsc   flags, F_TOOLONG
        goto    err_toolong
        btfsc   flags, F_NONASCII
        goto    err_syntax
        btfss   flags, F_STAR
        goto    err_crc
        btfsc   flags, F_CRC
        goto    err_crc
        movlw   4
        subwf   starcount, w
        btfss   STATUS, Z
        goto    err_crc
        movf    got_hi, w
        subwf   rx_crc_hi, w
        btfss   STATUS, Z
        goto    err_crc
        movf    got_lo, w
        subwf   rx_crc_lo, w
        btfss   STATUS, Z
        goto    err_crc
        btfsc   tok, T_INTYPE       ; body without a space: the type ends at the '*'
        goto    line_type_end
line_checked_type:
        btfsc   flags, F_SYNTAX
        goto    err_syntax
        ; which message
        movlw   5
        subwf   typelen, w
        btfsc   STATUS, Z
        goto    line_is_hello
        movlw   2
        subwf   typelen, w
        btfsc   STATUS, Z
        goto    line_is_wd
        decf    typelen, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   'S'
        subwf   type0, w
        btfsc   STATUS, Z
        goto    line_is_s
        movlw   'X'
        subwf   type0, w
        btfsc   STATUS, Z
        goto    line_is_x
        goto    err_syntax
line_type_end:
        movf    typelen, f
        btfsc   STATUS, Z
        bsf     flags, F_SYNTAX
        goto    line_checked_type

; W = expected field count; goes to err_arity / err_range when the line fails them
check_arity:
        btfsc   flags, F_TOOMANY
        goto    arity_bad
        subwf   nf, w
        btfss   STATUS, Z
        goto    arity_bad
        btfsc   flags, F_RANGE
        goto    range_bad
        retlw   0
arity_bad:
        retlw   4
range_bad:
        retlw   5

line_is_hello:
        movlw   'H'
        subwf   type0, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   'E'
        subwf   type1, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   'L'
        subwf   type2, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   'L'
        subwf   type3, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   'O'
        subwf   type4, w
        btfss   STATUS, Z
        goto    err_syntax
        HELLO_ARITY                 ; generated: W = the fields HELLO may have
        call    check_arity
        xorlw   0
        btfss   STATUS, Z
        goto    arity_or_range
        movlw   0
        call    load_field
        movlw   HIL_PROTOCOL_VERSION
        subwf   val0, w
        iorwf   val1, w
        iorwf   val2, w
        iorwf   val3, w
        btfss   STATUS, Z
        goto    err_version
        HELLO_CHECK                 ; generated: io firmware checks HELLO's period field
        call    board_reset
        HELLO_SET                   ; generated: io firmware takes the period
        bsf     state, S_GREETED
        call    out_begin
        READY_BODY
        goto    out_end

; W = check_arity's non-zero verdict: the line gets its ERR.
arity_or_range:
        xorlw   4
        btfsc   STATUS, Z
        goto    err_arity
        goto    err_range

line_is_wd:
        movlw   'W'
        subwf   type0, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   'D'
        subwf   type1, w
        btfss   STATUS, Z
        goto    err_syntax
        movlw   1
        call    check_arity
        xorlw   0
        btfss   STATUS, Z
        goto    arity_or_range
        movlw   0
        call    load_field
        movlw   HIGH 60000
        movwf   num_hi
        movlw   LOW 60000
        movwf   num_lo
        call    val_u16_le
        xorlw   0
        btfsc   STATUS, Z
        goto    err_range
        movf    val0, w
        movwf   wd_ms_lo
        movf    val1, w
        movwf   wd_ms_hi
        clrf    wd_el_lo
        clrf    wd_el_hi
        call    out_begin
        movlw   'W'
        call    out_char
        movlw   'D'
        call    out_char
        movf    wd_ms_lo, w
        movwf   num_lo
        movf    wd_ms_hi, w
        movwf   num_hi
        call    out_space_u16
        goto    out_end

line_is_x:
        movlw   1 + HIL_N_ACTUATORS
        goto    line_request
line_is_s:
        movlw   1 + HIL_N_SENSORS + HIL_N_REFS
line_request:
        call    check_arity
        xorlw   0
        btfss   STATUS, Z
        goto    arity_or_range
        btfsc   state, S_FAULTED
        goto    err_faulted
        btfss   state, S_GREETED
        goto    err_state
        movlw   HIL_REQUEST_TYPE    ; S for hil firmware, X for io firmware
        subwf   type0, w
        btfss   STATUS, Z
        goto    err_state
        movlw   0
        call    load_field
        movlw   0xff
        movwf   num_hi
        movwf   num_lo
        call    val_u16_le
        xorlw   0
        btfsc   STATUS, Z
        goto    err_range
        btfss   state, S_HAVELAST
        goto    request_new
        movf    val0, w
        subwf   last_seq_lo, w
        btfss   STATUS, Z
        goto    request_new
        movf    val1, w
        subwf   last_seq_hi, w
        btfss   STATUS, Z
        goto    request_new
        clrf    wd_el_lo            ; a retransmission: the previous answer again (section 3)
        clrf    wd_el_hi
        goto    send_answer
request_new:
        movf    val0, w             ; seq kept in acc (free once the line is parsed)
        movwf   acc0
        movf    val1, w
        movwf   acc1
        call    check_request_ranges  ; generated: W = 0 if every count is in its channel's range
        xorlw   0
        btfss   STATUS, Z
        goto    err_range
        clrf    wd_el_lo
        clrf    wd_el_hi
        call    controller_step
        movf    acc0, w
        movwf   last_seq_lo
        movf    acc1, w
        movwf   last_seq_hi
        bsf     state, S_HAVELAST
        call    send_answer
        goto    write_pins
send_answer:
        call    out_begin
        movlw   HIL_ANSWER_TYPE
        call    out_char
        movf    last_seq_lo, w
        movwf   num_lo
        movf    last_seq_hi, w
        movwf   num_hi
        call    out_space_u16
        call    send_values         ; generated: " a0 a1 ..."
        goto    out_end

board_reset:
        call    controller_reset
        clrf    wd_ms_lo
        clrf    wd_ms_hi
        clrf    wd_el_lo
        clrf    wd_el_hi
        bcf     state, S_FAULTED
        bcf     state, S_HAVELAST
        goto    safe_outputs

; ---------------------------------------------------------------- watchdog
ms_tick:
        ROLE_MS_TICK                ; generated: what the role does every millisecond
        movf    wd_ms_lo, w
        iorwf   wd_ms_hi, w
        btfsc   STATUS, Z
        return
        btfsc   state, S_FAULTED
        return
        incf    wd_el_lo, f
        btfsc   STATUS, Z
        incf    wd_el_hi, f
        movf    wd_ms_hi, w         ; elapsed >= wd_ms ?
        subwf   wd_el_hi, w
        btfss   STATUS, C
        return
        btfss   STATUS, Z
        goto    wd_expired
        movf    wd_ms_lo, w
        subwf   wd_el_lo, w
        btfss   STATUS, C
        return
wd_expired:
        call    safe_outputs
        bsf     state, S_FAULTED
        call    out_begin
        FAULT_BODY
        goto    out_end

; ---------------------------------------------------------------- main
start:
        bsf     STATUS, RP0         ; bank 1
        movlw   HIL_SPBRG
        movwf   SPBRG
        movlw   (1 << TXEN) | (HIL_BRGH << BRGH)
        movwf   TXSTA
        movlw   0x06                ; PORTA and PORTE digital (ADCON1 PCFG = 011x)
        movwf   ADCON1
        movlw   249                 ; timer 2: 5 MHz / 4 / 250 / 5 = 1 kHz
        movwf   PR2
        bsf     PIE1, TMR2IE
        bsf     PIE1, RCIE
        PIN_DIRECTIONS              ; generated: TRIS registers (bank 1)
        bcf     STATUS, RP0         ; bank 0
        movlw   (1 << SPEN) | (1 << CREN)
        movwf   RCSTA
        movlw   b'00100101'         ; postscale 1:5, on, prescale 1:4
        movwf   T2CON
        clrf    ms_pending
        clrf    rx_head
        clrf    rx_tail
        clrf    state
        call    board_reset
        call    line_reset
        bsf     INTCON, PEIE
        bsf     INTCON, GIE
main_loop:
        movf    ms_pending, f
        btfsc   STATUS, Z
        goto    main_rx
        decf    ms_pending, f
        call    ms_tick
main_rx:
        movf    rx_head, w
        xorwf   rx_tail, w
        btfsc   STATUS, Z
        goto    idle_main
        movf    rx_tail, w
        addlw   RXBUF
        movwf   FSR
        bcf     STATUS, IRP
        movf    INDF, w
        movwf   rxb
        incf    rx_tail, w
        andlw   RXBUF_MASK
        movwf   rx_tail
        movlw   '\n'
        subwf   rxb, w
        btfsc   STATUS, Z
        goto    main_line
        call    rx_byte
        goto    main_loop
main_line:
        call    line_end
        call    line_reset
        goto    main_loop
; Nothing to do until an interrupt: boards/pic-bridge skips board time to the next timer or
; receiver event while the PC is here (fast mode), as it does at idle_wait.
idle_main:
        goto    main_loop

        #include "controller.inc"

        end
