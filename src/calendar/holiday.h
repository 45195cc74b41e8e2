/* Statutory public holidays by rule, year by year as the Labour Code stood. Compensatory days
 * and the official yearly schedules are applied later, in workday.c. Rules and sources:
 * docs/internals/calendar.md. */
#ifndef KC_CALENDAR_HOLIDAY_H
#define KC_CALENDAR_HOLIDAY_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar/civil.h"

typedef enum kc_cal_holiday_id {
  KC_CAL_HOL_NEW_YEAR,   /* 1/1 */
  KC_CAL_HOL_TET,        /* lunar new year */
  KC_CAL_HOL_HUNG_KINGS, /* 10/3 lunar, since 2007 */
  KC_CAL_HOL_VICTORY,    /* 30/4 */
  KC_CAL_HOL_LABOUR,     /* 1/5 */
  KC_CAL_HOL_NATIONAL,   /* 2/9 (+1 adjacent day from 2021) */
} kc_cal_holiday_id;

typedef struct kc_cal_holiday {
  kc_cal_day day;
  kc_cal_holiday_id id;
  /* True for days the law leaves to the Prime Minister's yearly decision (which Tết days, which
   * day next to 2/9). A year that has an official schedule replaces these with its own days. */
  bool pm_decided;
} kc_cal_holiday;

/* Most holiday days one civil year can have under any rule here. */
#define KC_CAL_MAX_HOLIDAYS_PER_YEAR 12

/* Writes the statutory holiday days of civil year `year` (1900..2199) into `out` in date order
 * and returns their number (0 for a year outside the range). `out` must hold
 * KC_CAL_MAX_HOLIDAYS_PER_YEAR entries. Defaults where the PM decides:
 *  - Tết: the last 2 days of the lunar year and the first 3 of the new one (5 days, Labour
 *    Codes 2012 and 2019, from Tết 2014); 1 + 3 days (4 days, Labour Code 1994) before;
 *  - 2/9 from 2021: the adjacent day that bridges to a weekend (see holiday.c).
 * Can't fail. */
size_t kc_cal_holidays_of_year(int year, kc_cal_holiday *out);

/* Vietnamese name of a holiday ("Tết Nguyên đán", ...). Static storage; can't fail. */
const char *kc_cal_holiday_name(kc_cal_holiday_id id);

#endif
