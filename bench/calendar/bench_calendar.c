/* Benchmark of the calendar hot paths on one core: add/count working days and solar -> lunar.
 * Usage: bench_calendar [iterations]. Prints ops/s per operation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "calendar/calendar.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  long iters = argc > 1 ? atol(argv[1]) : 20000000;
  kc_cal_calendar *cal;
  double t0 = now();
  if (kc_cal_calendar_build(NULL, &cal) != KC_CAL_OK)
    return 1;
  printf("build (rules only): %.2f ms\n", (now() - t0) * 1e3);

  /* Random inputs made up front so the timed loops measure the lookups only. */
  enum { N = 1 << 16 };
  static kc_cal_day days[N];
  static int ns[N];
  uint64_t x = 88172645463325252ull;
  kc_cal_day first = kc_cal_first_day();
  for (int i = 0; i < N; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    days[i] = first + 100 + (kc_cal_day)(x % 108000);
    ns[i] = (int)((x >> 32) % 200);
  }

  volatile int64_t sink = 0;
  int64_t acc = 0;
  t0 = now();
  for (long i = 0; i < iters; i++) {
    kc_cal_day out;
    if (kc_cal_add_workdays(cal, days[i & (N - 1)], ns[i & (N - 1)], &out) == KC_CAL_OK)
      acc += out;
  }
  double t_add = now() - t0;
  sink = acc;

  acc = 0;
  t0 = now();
  for (long i = 0; i < iters; i++) {
    int32_t c;
    if (kc_cal_count_workdays(cal, days[i & (N - 1)], days[(i + 7) & (N - 1)], &c) == KC_CAL_OK)
      acc += c;
  }
  double t_count = now() - t0;
  sink = acc;

  acc = 0;
  t0 = now();
  for (long i = 0; i < iters; i++) {
    kc_cal_lunar l;
    if (kc_cal_solar_to_lunar(days[i & (N - 1)], &l) == KC_CAL_OK)
      acc += l.day + l.month;
  }
  double t_lunar = now() - t0;
  sink = acc;
  (void)sink;

  printf("add_workdays:   %6.1f M ops/s\n", iters / t_add / 1e6);
  printf("count_workdays: %6.1f M ops/s\n", iters / t_count / 1e6);
  printf("solar_to_lunar: %6.1f M ops/s\n", iters / t_lunar / 1e6);
  kc_cal_calendar_free(cal);
  return 0;
}
