/* Working-day calendar for public servants (Mon-Fri, minus holidays and official days off, plus
 * swapped working Saturdays), with O(1) arithmetic over 1900..2199 through a rank table, and
 * deadline helpers for instants in UTC+7. Design note: docs/internals/calendar.md. */
#ifndef KC_CALENDAR_WORKDAY_H
#define KC_CALENDAR_WORKDAY_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar/civil.h"
#include "calendar/schedule.h"

/* Immutable once built; safe to share between threads for reading. */
typedef struct kc_cal_calendar kc_cal_calendar;

/* Builds the calendar from the holiday rules plus `official` (may be NULL: rules only). The
 * schedule is only read; the calendar keeps no pointer into it. Returns KC_CAL_EDUP if two
 * entries share a day, KC_CAL_ERANGE for an entry outside the range; *out is then NULL.
 * Out-of-memory aborts. Free with kc_cal_calendar_free. Takes a few milliseconds. */
KC_CAL_WUR kc_cal_err kc_cal_calendar_build(const kc_cal_schedule *official, kc_cal_calendar **out);

/* Releases a calendar; NULL-safe. */
void kc_cal_calendar_free(kc_cal_calendar *cal);

typedef enum kc_cal_day_kind { KC_CAL_WORK, KC_CAL_OFF } kc_cal_day_kind;

/* Kind of `day` and why. *reason (may be NULL) receives a string owned by the calendar, valid
 * until it is freed: "weekend", "holiday:<name>", "compensatory:<name>", "official:<name>",
 * "swapped-workday", or "" for an ordinary working day. KC_CAL_ERANGE outside 1900..2199. */
KC_CAL_WUR kc_cal_err kc_cal_day_kind_of(const kc_cal_calendar *cal, kc_cal_day day,
                                         kc_cal_day_kind *kind, const char **reason);

/* True if `day` is a working day; false for days off and days out of range. Can't fail. */
bool kc_cal_is_workday(const kc_cal_calendar *cal, kc_cal_day day);

/* The n-th working day after `d` (d itself not counted). n = 0 gives d if it is a working day,
 * else the next working day. n < 0 gives the |n|-th working day before d. KC_CAL_ERANGE if d or
 * the result is outside 1900..2199 (*out untouched). For n >= 1:
 * kc_cal_count_workdays(d, result) == n. O(1). */
KC_CAL_WUR kc_cal_err kc_cal_add_workdays(const kc_cal_calendar *cal, kc_cal_day d, int n,
                                          kc_cal_day *out);

/* Number of working days in (a, b]; negative of count(b, a) when b < a. KC_CAL_ERANGE if a
 * or b is out of range. O(1). */
KC_CAL_WUR kc_cal_err kc_cal_count_workdays(const kc_cal_calendar *cal, kc_cal_day a, kc_cal_day b,
                                            int32_t *out);

/* ---- instants (Unix seconds, zone fixed at UTC+7, no DST) ---- */

#define KC_CAL_TZ_SECONDS (7 * 3600)

/* Local day containing instant t. Can't fail. */
kc_cal_day kc_cal_day_of_instant(int64_t t);
/* Minutes since local midnight of instant t (0..1439). Can't fail. */
int kc_cal_minute_of_instant(int64_t t);
/* Instant of local `minute` (0..1440) on `day`. Can't fail. */
int64_t kc_cal_instant_at(kc_cal_day day, int minute);

/* Office hours as minutes after local midnight. Default (kc_cal_hours_default): morning
 * 08:00-12:00, afternoon 13:00-17:00. Requires 0 <= am_start < am_end <= pm_start < pm_end <=
 * 1440; functions taking hours return KC_CAL_EINVAL otherwise. */
typedef struct kc_cal_hours {
  int am_start, am_end, pm_start, pm_end;
} kc_cal_hours;

kc_cal_hours kc_cal_hours_default(void);

/* No cut-off: pass this as `cutoff_minute`. */
#define KC_CAL_NO_CUTOFF (-1)

/* Day from which a limit in working days counts for something received at `received`: the
 * receipt day if it is a working day and (when cutoff_minute >= 0) the local time is before the
 * cut-off; otherwise the next working day. KC_CAL_ERANGE outside the table. */
KC_CAL_WUR kc_cal_err kc_cal_count_start(const kc_cal_calendar *cal, int64_t received,
                                         int cutoff_minute, kc_cal_day *out);

/* Due day of a limit of n >= 0 working days: add(count_start(received), n); n = 0 means the
 * same (counting) day. KC_CAL_EINVAL for n < 0, KC_CAL_ERANGE past the table. */
KC_CAL_WUR kc_cal_err kc_cal_due_date(const kc_cal_calendar *cal, int64_t received, int n,
                                      int cutoff_minute, kc_cal_day *out);

/* Instant reached after `minutes` (>= 0) of office time from `t`: time outside office hours
 * and days off do not run. A limit that ends exactly at the end of a session ends then (12:00 or
 * 17:00), not at the start of the next. minutes = 0 returns t. For limits in hours. */
KC_CAL_WUR kc_cal_err kc_cal_add_work_minutes(const kc_cal_calendar *cal, const kc_cal_hours *h,
                                              int64_t t, int64_t minutes, int64_t *out);

/* End of the n-th (n >= 1) office session (morning or afternoon of a working day) that starts
 * at or after `t`; a session already under way at t is not counted, like the receipt day for
 * limits in days. For limits in half days. */
KC_CAL_WUR kc_cal_err kc_cal_add_half_days(const kc_cal_calendar *cal, const kc_cal_hours *h,
                                           int64_t t, int n, int64_t *out);

#endif
