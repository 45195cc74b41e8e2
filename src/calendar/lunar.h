/* Vietnamese lunar calendar (âm lịch, UTC+7) for civil days 1900-01-01..2199-12-31.
 * Lookups read a table generated from astronomy (lunar_table.c); each is O(1).
 * Design note: docs/internals/calendar.md. */
#ifndef KC_CALENDAR_LUNAR_H
#define KC_CALENDAR_LUNAR_H

#include <stdbool.h>

#include "calendar/civil.h"

typedef struct kc_cal_lunar {
  int year;  /* lunar year, numbered like the civil year in which its month 1 starts */
  int month; /* 1..12 */
  int day;   /* 1..30 */
  bool leap; /* month is the leap (nhuận) repeat of `month` */
} kc_cal_lunar;

/* Lunar date of civil `day`. Returns KC_CAL_ERANGE outside 1900..2199 (out untouched). */
KC_CAL_WUR kc_cal_err kc_cal_solar_to_lunar(kc_cal_day day, kc_cal_lunar *out);

/* Civil day of the lunar date `in`. Returns KC_CAL_EINVAL when that lunar date does not exist
 * (no such leap month that year, day 30 of a 29-day month, fields out of bounds) and
 * KC_CAL_ERANGE when it exists but falls outside 1900..2199. *out untouched on error. */
KC_CAL_WUR kc_cal_err kc_cal_lunar_to_solar(const kc_cal_lunar *in, kc_cal_day *out);

/* Leap month of lunar year `year` (1..12), 0 when the year has none, -1 when the year is not
 * covered. Can't fail. */
int kc_cal_lunar_leap_month(int year);

/* Days (29 or 30) in lunar month `month` (leap or not) of `year`; 0 if there is no such month.
 * Can't fail. */
int kc_cal_lunar_month_days(int year, int month, bool leap);

/* Writes "YYYY-MM-DD" (lunar year, month, day) into buf (>= KC_CAL_DATE_LEN + 1 bytes), without
 * the leap mark; returns buf. Can't fail. */
char *kc_cal_lunar_format(const kc_cal_lunar *l, char *buf);

#endif
