/*
 * The maglev RK4 + PID loop of `hilbench run maglev`, written in C as the speed reference for
 * `npm run bench`. Same model (plants/maglev), same PID (controllers/pid, reverse action,
 * filtered derivative on measurement, backward integration, conditional anti-windup), same
 * converters (10-bit ADC, 8-bit PWM), same detector noise (xoshiro128** + Box–Muller), same
 * non-finite guard; rows are copied into a buffer once per control period as the recorder's
 * sink receives them. Prints steps/s and the final state so the bench can check both loops agree.
 * Usage: maglev-loop <steps>
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint32_t s0, s1, s2, s3;
static int has_spare = 0;
static double spare = 0;
static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t next_u32(void) {
  uint32_t result = rotl(s1 * 5, 7) * 9, t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  return result;
}
static double uniform(void) { uint32_t a = next_u32() >> 5, b = next_u32() >> 6; return (a * 67108864.0 + b) / 9007199254740992.0; }
static double gaussian(void) {
  if (has_spare) { has_spare = 0; return spare; }
  double u = 0; while (u == 0) u = uniform();
  double v = uniform(), r = sqrt(-2 * log(u)), phi = 2 * M_PI * v;
  spare = r * sin(phi); has_spare = 1; return r * cos(phi);
}

/* Parameters. By default they are read at run time (from text, as hilbench reads them from a
 * scenario file), which makes this the same loop as the TypeScript one. Compiled with
 * -DCONST_PARAMS they are compile-time constants that gcc folds: a single-purpose program,
 * printed beside it for comparison. */
#ifdef CONST_PARAMS
#define PARAM(v) (v)
static const double g = 9.81, xmax = 0.015;
static const double invA = 1 / 0.004, halfL0OverA = 0.697 / (2 * 0.004), invM = 1 / 0.009, kvOverM = 0.0 / 0.009;
static void load_params(void) {}
#else
#define PARAM(v) strtod(#v, NULL)
static double g, xmax, invA, halfL0OverA, invM, kvOverM;
static void load_params(void) {
  double m = PARAM(0.009), a = PARAM(0.004), L0 = PARAM(0.697), kv = PARAM(0.0);
  g = PARAM(9.81);
  xmax = PARAM(0.015);
  invA = 1 / a; halfL0OverA = L0 / (2 * a); invM = 1 / m; kvOverM = kv / m;
}
#endif
static double force(double x, double i) { double s = 1 + x * invA; return halfL0OverA * i * i / (s * s); }
static void deriv(const double *x, double i, double *dx) {
  double gap = x[0] < 0 ? 0 : x[0] > xmax ? xmax : x[0];
  dx[0] = x[1];
  dx[1] = g - force(gap, i) * invM - kvOverM * x[1];
}
static double detector(double x) {
  double rising = 1 / (1 + exp(-(x - (0.01175 - 0.01)) / 0.0004));
  double falling = 1 / (1 + exp(-(0.01175 - x) / 0.0004));
  return 9 * (1 - rising * falling);
}

int main(int argc, char **argv) {
  long steps = argc > 1 ? atol(argv[1]) : 10000000;
  load_params();
  /* splitmix32 seeding as in firmware-sim/rng.ts */
  uint32_t z = 0;
  uint32_t seedv[4];
  uint32_t seed = (uint32_t)atol(argc > 2 ? argv[2] : "0");
  z = seed;
  for (int k = 0; k < 4; k++) {
    z += 0x9e3779b9u; uint32_t r = z;
    r = (r ^ (r >> 16)) * 0x85ebca6bu; r = (r ^ (r >> 13)) * 0xc2b2ae35u; seedv[k] = r ^ (r >> 16);
  }
  s0 = seedv[0]; s1 = seedv[1]; s2 = seedv[2]; s3 = seedv[3];

  const double dt = PARAM(1e-4), kp = PARAM(51.57), ki = PARAM(623.2), kd = PARAM(0.7205), N = PARAM(10.0), bias = PARAM(0.0955),
               umin = PARAM(0.0), umax = PARAM(0.15);
  double x[2] = {0.0085, 0}, k1[2], k2[2], k3[2], k4[2], tmp[2], y[4], row[12] = {0};
  double integral = 0, deriv_term = 0, prev_d = 0, prev_t = NAN, i_applied = 0.0955, checksum = 0;
  int act = (int)lround(0.0955 / 0.15 * 255), counts = 0;
  i_applied = act / 255.0 * 0.15;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long k = 0; k < steps; k++) {
    double t = k * dt;
    if (k % 10 == 0) {
      y[0] = x[0] * (5 / 0.015);
      for (int d = 0; d < 3; d++) y[1 + d] = detector(x[0] + d * 0.0025) + 0.02 * gaussian();
      for (int d = 0; d < 4; d++) if (y[d] - y[d] != 0) { fprintf(stderr, "non-finite output\n"); return 1; }
      int c = (int)floor(y[0] / 5 * 1024); counts = c < 0 ? 0 : c > 1023 ? 1023 : c;
      double meas = 0.003 * (counts * 5.0 / 1024), r = 0.008;
      int first = prev_t != prev_t; double h = first ? 1e-3 : t - prev_t; prev_t = t;
      double dinput = -meas; if (first) prev_d = dinput;
      double p = -kp * (r - meas), Tf = kd / kp / N;
      deriv_term = Tf / (Tf + h) * deriv_term + (-kd) / (Tf + h) * (dinput - prev_d); prev_d = dinput;
      double e = -(r - meas), base = bias + p + deriv_term, dI = ki * h * e, v = base + integral;
      if (!((v >= umax && dI > 0) || (v <= umin && dI < 0))) integral += dI;
      if (integral > umax - bias) integral = umax - bias; else if (integral < umin - bias) integral = umin - bias;
      v = base + integral;
      double u = v > umax ? umax : v < umin ? umin : v;
      long ac = lround((u - umin) / (umax - umin) * 255); act = ac < 0 ? 0 : ac > 255 ? 255 : (int)ac;
      i_applied = umin + act / 255.0 * (umax - umin);
      row[0] = t; row[1] = x[0]; row[2] = x[1]; row[3] = i_applied; row[4] = y[0]; row[5] = y[1]; row[6] = y[2]; row[7] = y[3];
      row[8] = counts; row[9] = meas; row[10] = r; row[11] = act;
      checksum += row[1];
    }
    deriv(x, i_applied, k1); for (int j = 0; j < 2; j++) tmp[j] = x[j] + dt / 2 * k1[j];
    deriv(tmp, i_applied, k2); for (int j = 0; j < 2; j++) tmp[j] = x[j] + dt / 2 * k2[j];
    deriv(tmp, i_applied, k3); for (int j = 0; j < 2; j++) tmp[j] = x[j] + dt * k3[j];
    deriv(tmp, i_applied, k4); for (int j = 0; j < 2; j++) x[j] += dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
    if (x[0] <= 0) { x[0] = 0; if (x[1] < 0) x[1] = 0; } else if (x[0] >= xmax) { x[0] = xmax; if (x[1] > 0) x[1] = 0; }
    for (int j = 0; j < 2; j++) if (x[j] - x[j] != 0) { fprintf(stderr, "non-finite state\n"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  printf("{\"steps_per_s\": %.6g, \"x_m\": %.17g, \"v_mps\": %.17g, \"checksum\": %.17g, \"row_last\": %.17g}\n", steps / secs, x[0], x[1], checksum, row[11]);
  return 0;
}
