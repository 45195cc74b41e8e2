/* Internal: layout of the generated lunar month table (lunar_table.c). One uint32 per month:
 *   bits  0..16  start day minus kc_cal__lunar_base
 *   bits 17..20  month number 1..12 (0 only in the closing sentinel)
 *   bit  21      leap month
 *   bits 22..30  lunar year minus KC_CAL__LUNAR_TABLE_YEAR0
 * Months are consecutive, so a month ends where the next entry starts. */
#ifndef KC_CALENDAR_LUNAR_TABLE_H
#define KC_CALENDAR_LUNAR_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar/civil.h"

#define KC_CAL__LUNAR_TABLE_YEAR0 1898
#define KC_CAL__LUNAR_PACK(off, month, leap, yoff)                                                 \
  ((uint32_t)(off) | (uint32_t)(month) << 17 | (uint32_t)((leap) ? 1 : 0) << 21 |                  \
   (uint32_t)(yoff) << 22)
#define KC_CAL__LUNAR_OFF(v) ((int32_t)((v)&0x1ffffu))
#define KC_CAL__LUNAR_MONTH(v) ((int)(((v) >> 17) & 0xfu))
#define KC_CAL__LUNAR_LEAP(v) ((int)(((v) >> 21) & 1u))
#define KC_CAL__LUNAR_YEAR(v) ((int)(((v) >> 22) & 0x1ffu) + KC_CAL__LUNAR_TABLE_YEAR0)

extern const kc_cal_day kc_cal__lunar_base;
extern const size_t kc_cal__lunar_nmonths;
extern const uint32_t kc_cal__lunar_months[];
/* index of month 1 of lunar year (KC_CAL__LUNAR_TABLE_YEAR0 + 1 + i) */
extern const uint16_t kc_cal__lunar_year_first[];

#endif
