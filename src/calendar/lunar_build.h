/* Internal: derives the Vietnamese lunar months from astronomy (Ho Ngoc Duc's description of the
 * rules, see docs/internals/calendar.md). Used by gen_lunar_table.c to write lunar_table.c and by
 * the unit test that checks the shipped table still matches the computation. */
#ifndef KC_CALENDAR_LUNAR_BUILD_H
#define KC_CALENDAR_LUNAR_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar/civil.h"

typedef struct kc_cal__lunar_month {
  kc_cal_day start; /* civil day of the new moon in the chosen zone */
  int year;         /* lunar year the month belongs to */
  int month;        /* 1..12; 0 marks the closing sentinel */
  bool leap;
} kc_cal__lunar_month;

/* First and last lunar-year intervals computed: interval Y runs from month 11 of lunar year Y-1
 * (the month holding the winter solstice of Y-1) to just before month 11 of year Y. 1899..2200
 * covers every civil day of 1900..2199. */
#define KC_CAL__LUNAR_FIRST_INTERVAL 1899
#define KC_CAL__LUNAR_LAST_INTERVAL 2200
#define KC_CAL__LUNAR_MAX_MONTHS 3800

/* Fills `out` (capacity `cap`) with consecutive lunar months for zone UTC+tz_hours, followed by
 * one sentinel (month 0) whose start is the day after the last month ends. Returns the number of
 * entries written including the sentinel, or 0 when cap is too small. Pure computation, no
 * allocation. */
size_t kc_cal__lunar_compute(double tz_hours, kc_cal__lunar_month *out, size_t cap);

#endif
