/* O(1) lookups in the generated lunar month table (see lunar_table.h for its layout). */
#include "calendar/lunar.h"

#include <assert.h>
#include <stdio.h>

#include "calendar/lunar_table.h"

#define SYNODIC 29.530588861

static kc_cal_day month_start(size_t i)
{
  return kc_cal__lunar_base + KC_CAL__LUNAR_OFF(kc_cal__lunar_months[i]);
}

kc_cal_err kc_cal_solar_to_lunar(kc_cal_day day, kc_cal_lunar *out)
{
  if (!kc_cal_in_range(day))
    return KC_CAL_ERANGE;
  /* True new moons stray less than a day from the mean ones, so the estimate is off by at most
   * one month: two compares at most, no search. */
  int32_t off = day - kc_cal__lunar_base;
  size_t i = (size_t)((double)off / SYNODIC);
  if (i >= kc_cal__lunar_nmonths - 1)
    i = kc_cal__lunar_nmonths - 2;
  while (month_start(i) > day)
    i--;
  while (month_start(i + 1) <= day)
    i++;
  assert(i + 1 < kc_cal__lunar_nmonths);
  uint32_t v = kc_cal__lunar_months[i];
  out->year = KC_CAL__LUNAR_YEAR(v);
  out->month = KC_CAL__LUNAR_MONTH(v);
  out->leap = KC_CAL__LUNAR_LEAP(v);
  out->day = (int)(day - month_start(i)) + 1;
  return KC_CAL_OK;
}

/* Table index of month (year, month, leap), or -1. */
static long find_month(int year, int month, bool leap)
{
  if (month < 1 || month > 12)
    return -1;
  long first;
  if (year == KC_CAL__LUNAR_TABLE_YEAR0)
    first = 0; /* only months 11..12 of this year are in the table */
  else if (year > KC_CAL__LUNAR_TABLE_YEAR0 && year <= 2200)
    first = kc_cal__lunar_year_first[year - KC_CAL__LUNAR_TABLE_YEAR0 - 1];
  else
    return -1;
  /* A year has at most 13 months after its month 1. */
  for (long i = first; i < first + 14 && (size_t)i + 1 < kc_cal__lunar_nmonths; i++) {
    uint32_t v = kc_cal__lunar_months[i];
    if (KC_CAL__LUNAR_YEAR(v) == year && KC_CAL__LUNAR_MONTH(v) == month &&
        KC_CAL__LUNAR_LEAP(v) == (leap ? 1 : 0))
      return i;
  }
  return -1;
}

int kc_cal_lunar_month_days(int year, int month, bool leap)
{
  long i = find_month(year, month, leap);
  if (i < 0)
    return 0;
  return (int)(month_start((size_t)i + 1) - month_start((size_t)i));
}

kc_cal_err kc_cal_lunar_to_solar(const kc_cal_lunar *in, kc_cal_day *out)
{
  long i = find_month(in->year, in->month, in->leap);
  if (i < 0 || in->day < 1)
    return KC_CAL_EINVAL;
  kc_cal_day start = month_start((size_t)i);
  if (in->day > month_start((size_t)i + 1) - start)
    return KC_CAL_EINVAL;
  kc_cal_day d = start + in->day - 1;
  if (!kc_cal_in_range(d))
    return KC_CAL_ERANGE;
  *out = d;
  return KC_CAL_OK;
}

int kc_cal_lunar_leap_month(int year)
{
  if (year < KC_CAL_MIN_YEAR || year > KC_CAL_MAX_YEAR)
    return -1;
  for (int m = 1; m <= 12; m++)
    if (find_month(year, m, true) >= 0)
      return m;
  return 0;
}

char *kc_cal_lunar_format(const kc_cal_lunar *l, char *buf)
{
  /* Unsigned modulo keeps every field at its width, so the output is always 10 bytes. */
  snprintf(buf, KC_CAL_DATE_LEN + 1, "%04u-%02u-%02u", (unsigned)l->year % 10000u,
           (unsigned)l->month % 100u, (unsigned)l->day % 100u);
  return buf;
}
