/* New moons and solar longitude after Meeus, Astronomical Algorithms, ch. 25 and 49.
 * Written from the book's formulas; see astro.h for what each function promises. */
#include "calendar/astro.h"

#include <math.h>

#define JD_UNIX_EPOCH 2440587.5 /* 1970-01-01 00:00 UT */

static double rad(double deg)
{
  return deg * (M_PI / 180.0);
}

double kc_cal__delta_t(double y)
{
  /* Espenak & Meeus (NASA eclipse site) piecewise fits; ample for day-level rounding. */
  double t;
  if (y < 1920) {
    t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
           0.000197 * t * t * t * t;
  }
  if (y < 1941) {
    t = y - 1920;
    return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
  }
  if (y < 1961) {
    t = y - 1950;
    return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
  }
  if (y < 1986) {
    t = y - 1975;
    return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
  }
  if (y < 2005) {
    t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * pow(t, 3) + 0.000651814 * pow(t, 4) +
           0.00002373599 * pow(t, 5);
  }
  if (y < 2050) {
    t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  double u = (y - 1820) / 100;
  if (y < 2150)
    return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

double kc_cal__new_moon_jd(int k)
{
  double kk = k;
  double T = kk / 1236.85;
  double T2 = T * T, T3 = T2 * T, T4 = T3 * T;
  /* Mean phase (ch. 49, eq. 49.1), in TT. */
  double jde =
      2451550.09766 + 29.530588861 * kk + 0.00015437 * T2 - 0.000000150 * T3 + 0.00000000073 * T4;
  double E = 1 - 0.002516 * T - 0.0000074 * T2;
  double M = rad(2.5534 + 29.10535670 * kk - 0.0000014 * T2 - 0.00000011 * T3);
  double Mp =
      rad(201.5643 + 385.81693528 * kk + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4);
  double F =
      rad(160.7108 + 390.67050284 * kk - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4);
  double Om = rad(124.7746 - 1.56375588 * kk + 0.0020672 * T2 + 0.00000215 * T3);

  /* Periodic terms for the new moon. */
  double c = -0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) +
             0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) +
             0.00208 * E * E * sin(2 * M) - 0.00111 * sin(Mp - 2 * F) - 0.00057 * sin(Mp + 2 * F) +
             0.00056 * E * sin(2 * Mp + M) - 0.00042 * sin(3 * Mp) + 0.00042 * E * sin(M + 2 * F) +
             0.00038 * E * sin(M - 2 * F) - 0.00024 * E * sin(2 * Mp - M) - 0.00017 * sin(Om) -
             0.00007 * sin(Mp + 2 * M) + 0.00004 * sin(2 * Mp - 2 * F) + 0.00004 * sin(3 * M) +
             0.00003 * sin(Mp + M - 2 * F) + 0.00003 * sin(2 * Mp + 2 * F) -
             0.00003 * sin(Mp + M + 2 * F) + 0.00003 * sin(Mp - M + 2 * F) -
             0.00002 * sin(Mp - M - 2 * F) - 0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);

  /* Additional (planetary) corrections, all phases. */
  static const double amp[14] = {0.000325, 0.000165, 0.000164, 0.000126, 0.000110,
                                 0.000062, 0.000060, 0.000056, 0.000047, 0.000042,
                                 0.000040, 0.000037, 0.000035, 0.000023};
  static const double a0[14] = {299.77, 251.88, 251.83, 349.42, 84.66,  141.74, 207.14,
                                154.84, 34.52,  207.19, 291.34, 161.72, 239.56, 331.55};
  static const double a1[14] = {0.107408,  0.016321,  26.651886, 36.412478, 18.206239,
                                53.303771, 2.453732,  7.306860,  27.261239, 0.121824,
                                1.844379,  24.198154, 25.513099, 3.592518};
  double w = 0;
  for (int i = 0; i < 14; i++) {
    double a = a0[i] + a1[i] * kk;
    if (i == 0)
      a -= 0.009173 * T2;
    w += amp[i] * sin(rad(a));
  }

  jde += c + w;
  double year = 2000.0 + kk / 12.3685;
  return jde - kc_cal__delta_t(year) / 86400.0;
}

double kc_cal__sun_longitude(double jd_ut)
{
  /* Dynamical time for the theory; the ~1 minute of Delta T moves the Sun 0.0007 degree but
   * costs nothing to include. */
  double year = 2000.0 + (jd_ut - 2451545.0) / 365.25;
  double jde = jd_ut + kc_cal__delta_t(year) / 86400.0;
  double T = (jde - 2451545.0) / 36525.0;
  double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  double M = rad(357.52911 + 35999.05029 * T - 0.0001537 * T * T);
  double C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) +
             (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  double omega = rad(125.04 - 1934.136 * T);
  /* True longitude, then nutation in longitude and aberration (ch. 25, "apparent"). */
  double lambda = L0 + C - 0.00569 - 0.00478 * sin(omega);
  lambda = fmod(lambda, 360.0);
  if (lambda < 0)
    lambda += 360.0;
  return lambda;
}

kc_cal_day kc_cal__jd_to_local_day(double jd_ut, double tz_hours)
{
  return (kc_cal_day)floor(jd_ut - JD_UNIX_EPOCH + tz_hours / 24.0);
}

double kc_cal__local_midnight_jd(kc_cal_day day, double tz_hours)
{
  return JD_UNIX_EPOCH + (double)day - tz_hours / 24.0;
}
