// hilbench serial protocol v@PROTOCOL_VERSION@, board side: line frames with CRC-16/CCITT-FALSE, HELLO/READY,
// lockstep S/A, I/O X/M, WD watchdog with safe outputs and FAULT WATCHDOG, ERR for every rejected
// line. The normative description is docs/protocol.md; section numbers below refer to it.
#include <Arduino.h>
#include <stdlib.h>
#include <avr/pgmspace.h>
#include <util/crc16.h>
#include "hil_config.h"
#include "hil_protocol.h"

#define HIL_MAX_LINE @MAX_LINE_BYTES@ /* bytes per line including '\n' (section 1) */

static const uint8_t act_pin[] = HIL_ACT_PINS;
static const uint8_t act_is_pwm[] = HIL_ACT_IS_PWM;
static const uint8_t act_bits[] = HIL_ACT_BITS;
static const int32_t act_min[] = HIL_ACT_MIN;
static const int32_t act_max[] = HIL_ACT_MAX;
static const int32_t sensor_min[] = HIL_SENSOR_MIN;
static const int32_t sensor_max[] = HIL_SENSOR_MAX;
#if HIL_ROLE_IO
static const uint8_t sensor_pin[] = HIL_SENSOR_PINS;
#endif

static char line[HIL_MAX_LINE + 1];
static uint8_t line_len;
static bool line_too_long;
static char out[HIL_MAX_LINE + 1];
static uint8_t out_len;

static int32_t fields[HIL_MAX_FIELDS];
static int32_t sensors[HIL_N_SENSORS > 0 ? HIL_N_SENSORS : 1];
static int32_t refs[HIL_N_REFS > 0 ? HIL_N_REFS : 1];
static int32_t acts[HIL_N_ACTUATORS > 0 ? HIL_N_ACTUATORS : 1];

static bool greeted;       // a HELLO has been answered since power-up
static bool faulted;       // the watchdog expired; only HELLO leaves this state
static bool have_last;     // acts/last_seq hold the answer to the last executed request
static uint16_t last_seq;
static uint16_t wd_ms;     // 0 = disarmed
static uint32_t wd_last_ms;
#if HIL_ROLE_IO
// Board-clock pacing (HELLO 1 <period_us>): 0 answers X at once (the host paces the ticks);
// otherwise X is applied and the inputs sampled at the next period boundary on micros().
static uint32_t period_us;
static uint32_t next_us;   // the next period boundary
static bool anchored;      // the first X after HELLO set the schedule
#endif

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF; docs/protocol.md section 1): avr-libc's
// _crc_xmodem_update is this polynomial's byte update, unrolled in assembly.
#define HIL_CRC_INIT 0xFFFF
static inline uint16_t crc16_update(uint16_t crc, uint8_t b) { return _crc_xmodem_update(crc, b); }

static void out_str(const char *s) {
  while (*s && out_len < HIL_MAX_LINE - @FRAME_TRAILER_BYTES@) out[out_len++] = *s++;
}

static void out_int(int32_t v) {
  char buf[12];
  ltoa(v, buf, 10);
  out[out_len++] = ' ';
  out_str(buf);
}

// Appends "*HHHH\n" and writes the frame.
static void out_send(void) {
  static const char hex[] = "0123456789ABCDEF";
  uint16_t crc = HIL_CRC_INIT;
  for (uint8_t i = 0; i < out_len; i++) crc = crc16_update(crc, (uint8_t)out[i]);
  out[out_len++] = '*';
  for (int8_t shift = 12; shift >= 0; shift -= 4) out[out_len++] = hex[(crc >> shift) & 15];
  out[out_len++] = '\n';
  Serial.write((const uint8_t *)out, out_len);
  out_len = 0;
}

// The seq of the S/X line being rejected, or -1 where it cannot be read (section 2.5).
static int32_t err_seq = -1;

// Section 2.5: a line that starts "S " or "X " and a canonical integer 0 ... 65535 ended by ' ' or
// '*' has a readable seq, whatever else is wrong with it; -1 otherwise.
static int32_t read_seq(const char *s, uint8_t n) {
  if (n < 4 || (s[0] != 'S' && s[0] != 'X') || s[1] != ' ') return -1;
  int32_t v = 0;
  uint8_t i = 2;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
    if (i > 2 && s[2] == '0') return -1;  // leading zero
    v = v * 10 + (s[i] - '0');
    if (v > @SEQ_MAX@) return -1;
  }
  if (i == 2 || i >= n || (s[i] != ' ' && s[i] != '*')) return -1;
  return v;
}

static void send_err(uint8_t code, const char *text) {
  out_len = 0;
  out_str("ERR");
  out_int(code);
  if (err_seq < 0) out_str(" -");
  else out_int(err_seq);
  out[out_len++] = ' ';
  out_str(text);
  out_send();
}

// Section 4: every pwm pin LOW; digital-kind actuators hold (nothing to drive on a pin).
static void apply_safe_outputs(void) {
  for (uint8_t k = 0; k < HIL_N_ACTUATORS; k++) {
    if (act_is_pwm[k]) {
      analogWrite(act_pin[k], 0);
      digitalWrite(act_pin[k], LOW);
    }
  }
}

// Mirrors (hil) or applies (io) the actuator counts on the pwm pins, scaled to analogWrite's 8 bits.
static void write_pins(const int32_t *a) {
  for (uint8_t k = 0; k < HIL_N_ACTUATORS; k++) {
    if (!act_is_pwm[k]) continue;
    int32_t v = a[k];
    if (act_bits[k] > 8) v >>= (act_bits[k] - 8);
    else if (act_bits[k] < 8) v = (v * 255) / ((1L << act_bits[k]) - 1);
    analogWrite(act_pin[k], (int)v);
  }
}

static void send_answer(char type) {
  char t[2] = {type, 0};
  out_len = 0;
  out_str(t);
  out_int(last_seq);
#if HIL_ROLE_IO
  for (uint8_t i = 0; i < HIL_N_SENSORS; i++) out_int(sensors[i]);
#else
  for (uint8_t k = 0; k < HIL_N_ACTUATORS; k++) out_int(acts[k]);
#endif
  out_send();
}

static void board_reset(void) {
#if !HIL_ROLE_IO
  controller_reset();
#endif
  wd_ms = 0;
  faulted = false;
  have_last = false;
#if HIL_ROLE_IO
  period_us = 0;
  anchored = false;
#endif
  apply_safe_outputs();
}

// Parses "0" / ["-"] %x31-39 *%x30-39 into an int32. Returns 0 ok, 3 syntax, 5 out of int32 range.
static uint8_t parse_int(const char *s, uint8_t n, int32_t *v) {
  bool neg = false;
  uint8_t i = 0;
  if (n == 0) return 3;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (n == 1) return 3;
  }
  if (s[i] == '0' && (n - i > 1 || neg)) return 3;  // leading zero or "-0"
  uint32_t acc = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c < '0' || c > '9') return 3;
    uint8_t d = (uint8_t)(c - '0');
    if (acc > 214748364UL || (acc == 214748364UL && d > (neg ? 8 : 7))) return 5;
    acc = acc * 10 + d;
  }
  *v = neg ? (int32_t)(0 - acc) : (int32_t)acc;
  return 0;
}

// Handles one complete line (without '\n'). Every rejected line gets exactly one ERR.
static void handle_line(char *s, uint8_t n) {
  if (n > 0 && s[n - 1] == '\r') n--;
  err_seq = read_seq(s, n);
  for (uint8_t i = 0; i < n; i++) {
    if ((uint8_t)s[i] < 0x20 || (uint8_t)s[i] > 0x7E) return send_err(@ERR_SYNTAX@, "syntax");
  }
  // CRC: exactly one '*', followed by four upper-case hex digits and the line end.
  if (n < @CRC_HEX_DIGITS@ + 1 || s[n - @CRC_HEX_DIGITS@ - 1] != '*') return send_err(@ERR_CRC@, "crc");
  uint8_t body = n - @CRC_HEX_DIGITS@ - 1;
  uint16_t crc = HIL_CRC_INIT;
  for (uint8_t i = 0; i < body; i++) {
    if (s[i] == '*') return send_err(@ERR_CRC@, "crc");
    crc = crc16_update(crc, (uint8_t)s[i]);
  }
  uint16_t want = 0;
  for (uint8_t i = body + 1; i < n; i++) {
    char c = s[i];
    uint8_t d;
    if (c >= '0' && c <= '9') d = (uint8_t)(c - '0');
    else if (c >= 'A' && c <= 'F') d = (uint8_t)(c - 'A' + 10);
    else return send_err(@ERR_CRC@, "crc");
    want = (uint16_t)((want << 4) | d);
  }
  if (want != crc) return send_err(@ERR_CRC@, "crc");

  // Type: upper-case letters up to the first space or the end of the body.
  uint8_t p = 0;
  while (p < body && s[p] != ' ') {
    if (s[p] < 'A' || s[p] > 'Z') return send_err(@ERR_SYNTAX@, "syntax");
    p++;
  }
  if (p == 0) return send_err(@ERR_SYNTAX@, "syntax");
  uint8_t type_len = p;
  // Fields: exactly one space before each, no empty field, no trailing space.
  uint8_t nf = 0;
  bool too_many = false;
  uint8_t range_err = 0;
  while (p < body) {
    p++;  // the space
    uint8_t start = p;
    while (p < body && s[p] != ' ') p++;
    if (p == start) return send_err(@ERR_SYNTAX@, "syntax");
    if (nf >= HIL_MAX_FIELDS) {
      too_many = true;
      continue;
    }
    uint8_t r = parse_int(s + start, p - start, &fields[nf]);
    if (r == 3) return send_err(@ERR_SYNTAX@, "syntax");
    if (r == 5) range_err = 5;
    nf++;
  }

  char t0 = s[0];
  bool is_hello = type_len == 5 && strncmp(s, "HELLO", 5) == 0;
  bool is_wd = type_len == 2 && s[0] == 'W' && s[1] == 'D';
  bool is_s = type_len == 1 && t0 == 'S';
  bool is_x = type_len == 1 && t0 == 'X';
  if (!is_hello && !is_wd && !is_s && !is_x) return send_err(@ERR_SYNTAX@, "syntax");

  uint8_t arity = is_hello || is_wd ? 1 : is_s ? 1 + HIL_N_SENSORS + HIL_N_REFS : 1 + HIL_N_ACTUATORS;
#if HIL_ROLE_IO
  if (is_hello && nf == 2) arity = 2;  // HELLO 1 <period_us>: board-clock pacing
#endif
  if (too_many || nf != arity) return send_err(@ERR_ARITY@, "arity");
  if (range_err) return send_err(@ERR_RANGE@, "range");

  // Only a valid frame restarts the watchdog (section 2.4): wd_last_ms is set below once a frame
  // has passed every check, so a host sending only rejected lines still lets it expire.
  if (is_hello) {
    if (fields[0] != @PROTOCOL_VERSION@) return send_err(@ERR_VERSION@, "version");
#if HIL_ROLE_IO
    if (nf == 2 && (fields[1] < 0 || fields[1] > @MAX_HELLO_PERIOD_US@L)) return send_err(@ERR_RANGE@, "range");
#endif
    board_reset();
    greeted = true;
    out_len = 0;
    out_str("READY @PROTOCOL_VERSION@ " HIL_BOARD " " HIL_FIRMWARE);
    out_int(HIL_N_SENSORS);
    out_int(HIL_N_ACTUATORS);
#if HIL_ROLE_IO
    if (nf == 2) period_us = (uint32_t)fields[1];
    out_int((int32_t)period_us);
#else
    out_int(HIL_TS_US);
#endif
    out_int(HIL_N_REFS);
    return out_send();
  }
  if (is_wd) {
    if (fields[0] < 0 || fields[0] > @MAX_WATCHDOG_MS@) return send_err(@ERR_RANGE@, "range");
    wd_last_ms = millis();
    wd_ms = (uint16_t)fields[0];
    out_len = 0;
    out_str("WD");
    out_int(wd_ms);
    return out_send();
  }
  // S or X.
  if (faulted) return send_err(@ERR_STATE@, "faulted");
  if (!greeted || is_s == (bool)HIL_ROLE_IO) return send_err(@ERR_STATE@, "state");
  if (fields[0] < 0 || fields[0] > @SEQ_MAX@) return send_err(@ERR_RANGE@, "range");
  uint16_t seq = (uint16_t)fields[0];
  if (have_last && seq == last_seq) {
    wd_last_ms = millis();
    return send_answer(is_s ? 'A' : 'M');  // retransmission (section 3)
  }
#if HIL_ROLE_IO
  for (uint8_t k = 0; k < HIL_N_ACTUATORS; k++) {
    if (fields[1 + k] < act_min[k] || fields[1 + k] > act_max[k]) return send_err(@ERR_RANGE@, "range");
  }
  wd_last_ms = millis();
  for (uint8_t k = 0; k < HIL_N_ACTUATORS; k++) acts[k] = fields[1 + k];
  if (period_us != 0) {
    // As a sampled controller's board would: outputs change and inputs are sampled on the board's
    // own period grid; the first X after HELLO starts the grid, a late X slips it.
    uint32_t now = micros();
    if (!anchored) {
      anchored = true;
      next_us = now;
    } else if ((int32_t)(now - next_us) > 0) {
      next_us = now;
    } else {
      while ((int32_t)(micros() - next_us) < 0) {
      }
    }
    next_us += period_us;
  }
  write_pins(acts);
  for (uint8_t i = 0; i < HIL_N_SENSORS; i++) sensors[i] = analogRead(sensor_pin[i]);
  last_seq = seq;
  have_last = true;
  send_answer('M');
#else
  for (uint8_t i = 0; i < HIL_N_SENSORS; i++) {
    if (fields[1 + i] < sensor_min[i] || fields[1 + i] > sensor_max[i]) return send_err(@ERR_RANGE@, "range");
  }
  wd_last_ms = millis();
  for (uint8_t i = 0; i < HIL_N_SENSORS; i++) sensors[i] = fields[1 + i];
  for (uint8_t j = 0; j < HIL_N_REFS; j++) refs[j] = fields[1 + HIL_N_SENSORS + j];
  controller_step(sensors, refs, acts);
  last_seq = seq;
  have_last = true;
  send_answer('A');
  write_pins(acts);
#endif
}

void hil_setup(void) {
  board_reset();
  Serial.begin(HIL_BAUD);
}

void hil_poll(void) {
  while (Serial.available() > 0) {
    int c = Serial.read();
    if (c == '\n') {
      if (line_too_long) {
        err_seq = read_seq(line, line_len);
        send_err(@ERR_TOOLONG@, "toolong");
      }
      else handle_line(line, line_len);
      line_len = 0;
      line_too_long = false;
    } else if (line_len < HIL_MAX_LINE - 1) {
      line[line_len++] = (char)c;  // at most 127 bytes before the '\n'
    } else {
      line_too_long = true;
    }
  }
  if (wd_ms != 0 && !faulted && (uint32_t)(millis() - wd_last_ms) >= wd_ms) {
    apply_safe_outputs();
    faulted = true;
    out_len = 0;
    out_str("FAULT WATCHDOG");
    out_send();
  }
}
