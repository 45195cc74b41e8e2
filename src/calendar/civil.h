/* Gregorian civil dates as day numbers: conversion, weekday, ISO YYYY-MM-DD text.
 * Design note: docs/internals/calendar.md. */
#ifndef KC_CALENDAR_CIVIL_H
#define KC_CALENDAR_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/error.h"

/* A civil date as a count of days since 1970-01-01 (negative before). The same number is
 * floor(unix_seconds_in_UTC+7 / 86400), which makes instants cheap to map to local days. */
typedef int32_t kc_cal_day;

/* The range every table of this module covers. */
#define KC_CAL_MIN_YEAR 1900
#define KC_CAL_MAX_YEAR 2199
#define KC_CAL_DATE_LEN 10 /* strlen("YYYY-MM-DD") */

/* First and last supported day (1900-01-01, 2199-12-31). These can't fail. */
kc_cal_day kc_cal_first_day(void);
kc_cal_day kc_cal_last_day(void);

/* True when `day` lies in [kc_cal_first_day(), kc_cal_last_day()]. Can't fail. */
bool kc_cal_in_range(kc_cal_day day);

/* Day number of the proleptic Gregorian date y-m-d. The fields are not checked (m 1..12 and
 * d 1..31 are assumed); use kc_cal_ymd_valid first for untrusted input. Can't fail. */
kc_cal_day kc_cal_from_ymd(int y, int m, int d);

/* Splits a day number into year, month (1..12), day (1..31). Any pointer may be NULL.
 * Works for any int32 day in the proleptic calendar. Can't fail. */
void kc_cal_to_ymd(kc_cal_day day, int *y, int *m, int *d);

/* True when y-m-d is a real date and lies in the supported range. Can't fail. */
bool kc_cal_ymd_valid(int y, int m, int d);

/* Number of days in month m (1..12) of year y; 0 for a bad month. Can't fail. */
int kc_cal_days_in_month(int y, int m);

/* ISO weekday: 1 = Monday ... 7 = Sunday. Can't fail. */
int kc_cal_weekday(kc_cal_day day);

/* Parses exactly "YYYY-MM-DD" (len bytes, no NUL needed, no surrounding space).
 * Returns KC_CAL_OK and stores the day; KC_CAL_ESYNTAX when the text is not of that form or not
 * a real date; KC_CAL_ERANGE when the date is real but outside 1900..2199. *out is untouched on
 * error. */
KC_CAL_WUR kc_cal_err kc_cal_parse_date(const char *s, size_t len, kc_cal_day *out);

/* Writes "YYYY-MM-DD" and a NUL into buf (at least KC_CAL_DATE_LEN + 1 bytes) and returns buf.
 * Years outside 0..9999 are clamped to keep the width; this can't fail. */
char *kc_cal_format_date(kc_cal_day day, char *buf);

#endif
