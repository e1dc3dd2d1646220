// hilbench serial protocol v@PROTOCOL_VERSION@, board side: line frames with CRC-8 (poly 0x07, init 0), HELLO/READY,
// lockstep S/A, I/O X/M, WD watchdog with safe outputs and FAULT WATCHDOG, ERR for every rejected
// line. The normative description is docs/protocol.md; section numbers below refer to it.
#include <Arduino.h>
#include <stdlib.h>
#include <avr/pgmspace.h>
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

// CRC-8 (poly 0x07, init 0) by table: the bitwise form of docs/protocol.md, one lookup per byte
// instead of eight shifts (the table is the bitwise form applied to every byte value).
static const uint8_t crc8_table[256] PROGMEM = {
  0x00, 0x07, 0x0E, 0x09, 0x1C, 0x1B, 0x12, 0x15, 0x38, 0x3F, 0x36, 0x31, 0x24, 0x23, 0x2A, 0x2D,
  0x70, 0x77, 0x7E, 0x79, 0x6C, 0x6B, 0x62, 0x65, 0x48, 0x4F, 0x46, 0x41, 0x54, 0x53, 0x5A, 0x5D,
  0xE0, 0xE7, 0xEE, 0xE9, 0xFC, 0xFB, 0xF2, 0xF5, 0xD8, 0xDF, 0xD6, 0xD1, 0xC4, 0xC3, 0xCA, 0xCD,
  0x90, 0x97, 0x9E, 0x99, 0x8C, 0x8B, 0x82, 0x85, 0xA8, 0xAF, 0xA6, 0xA1, 0xB4, 0xB3, 0xBA, 0xBD,
  0xC7, 0xC0, 0xC9, 0xCE, 0xDB, 0xDC, 0xD5, 0xD2, 0xFF, 0xF8, 0xF1, 0xF6, 0xE3, 0xE4, 0xED, 0xEA,
  0xB7, 0xB0, 0xB9, 0xBE, 0xAB, 0xAC, 0xA5, 0xA2, 0x8F, 0x88, 0x81, 0x86, 0x93, 0x94, 0x9D, 0x9A,
  0x27, 0x20, 0x29, 0x2E, 0x3B, 0x3C, 0x35, 0x32, 0x1F, 0x18, 0x11, 0x16, 0x03, 0x04, 0x0D, 0x0A,
  0x57, 0x50, 0x59, 0x5E, 0x4B, 0x4C, 0x45, 0x42, 0x6F, 0x68, 0x61, 0x66, 0x73, 0x74, 0x7D, 0x7A,
  0x89, 0x8E, 0x87, 0x80, 0x95, 0x92, 0x9B, 0x9C, 0xB1, 0xB6, 0xBF, 0xB8, 0xAD, 0xAA, 0xA3, 0xA4,
  0xF9, 0xFE, 0xF7, 0xF0, 0xE5, 0xE2, 0xEB, 0xEC, 0xC1, 0xC6, 0xCF, 0xC8, 0xDD, 0xDA, 0xD3, 0xD4,
  0x69, 0x6E, 0x67, 0x60, 0x75, 0x72, 0x7B, 0x7C, 0x51, 0x56, 0x5F, 0x58, 0x4D, 0x4A, 0x43, 0x44,
  0x19, 0x1E, 0x17, 0x10, 0x05, 0x02, 0x0B, 0x0C, 0x21, 0x26, 0x2F, 0x28, 0x3D, 0x3A, 0x33, 0x34,
  0x4E, 0x49, 0x40, 0x47, 0x52, 0x55, 0x5C, 0x5B, 0x76, 0x71, 0x78, 0x7F, 0x6A, 0x6D, 0x64, 0x63,
  0x3E, 0x39, 0x30, 0x37, 0x22, 0x25, 0x2C, 0x2B, 0x06, 0x01, 0x08, 0x0F, 0x1A, 0x1D, 0x14, 0x13,
  0xAE, 0xA9, 0xA0, 0xA7, 0xB2, 0xB5, 0xBC, 0xBB, 0x96, 0x91, 0x98, 0x9F, 0x8A, 0x8D, 0x84, 0x83,
  0xDE, 0xD9, 0xD0, 0xD7, 0xC2, 0xC5, 0xCC, 0xCB, 0xE6, 0xE1, 0xE8, 0xEF, 0xFA, 0xFD, 0xF4, 0xF3,
};

static inline uint8_t crc8_update(uint8_t crc, uint8_t b) { return pgm_read_byte(&crc8_table[crc ^ b]); }

static void out_str(const char *s) {
  while (*s && out_len < HIL_MAX_LINE - 4) out[out_len++] = *s++;
}

static void out_int(int32_t v) {
  char buf[12];
  ltoa(v, buf, 10);
  out[out_len++] = ' ';
  out_str(buf);
}

// Appends "*HH\n" and writes the frame.
static void out_send(void) {
  static const char hex[] = "0123456789ABCDEF";
  uint8_t crc = 0;
  for (uint8_t i = 0; i < out_len; i++) crc = crc8_update(crc, (uint8_t)out[i]);
  out[out_len++] = '*';
  out[out_len++] = hex[crc >> 4];
  out[out_len++] = hex[crc & 15];
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
  // CRC: exactly one '*', followed by two upper-case hex digits and the line end.
  if (n < 3 || s[n - 3] != '*') return send_err(@ERR_CRC@, "crc");
  uint8_t body = n - 3;
  uint8_t crc = 0;
  for (uint8_t i = 0; i < body; i++) {
    if (s[i] == '*') return send_err(@ERR_CRC@, "crc");
    crc = crc8_update(crc, (uint8_t)s[i]);
  }
  uint8_t want = 0;
  for (uint8_t i = body + 1; i < n; i++) {
    char c = s[i];
    uint8_t d;
    if (c >= '0' && c <= '9') d = (uint8_t)(c - '0');
    else if (c >= 'A' && c <= 'F') d = (uint8_t)(c - 'A' + 10);
    else return send_err(@ERR_CRC@, "crc");
    want = (uint8_t)((want << 4) | d);
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
