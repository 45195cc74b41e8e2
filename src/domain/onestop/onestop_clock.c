/* onestop_clock.c: a procedure's time limit on the working-day calendar (see onestop.h). */
#include "domain/onestop/onestop.h"
#include <string.h>

static const char *const kind_names[] = {"working", "calendar", "hours"};

const char *kc_limit_kind_name(kc_limit_kind k)
{
  return kind_names[k];
}

int kc_limit_kind_parse(const char *s)
{
  for (int i = 0; s && i < 3; i++)
    if (!strcmp(s, kind_names[i]))
      return i;
  return -1;
}

static kc_err cal_err(kc_cal_err ce)
{
  return ce == KC_CAL_ERANGE ? KC_EFIELD : ce ? KC_EINTERNAL : KC_OK;
}

kc_err kc_limit_due(const kc_cal_calendar *cal, const kc_limit *l, int64_t from, int left,
                    kc_cal_day *due_day, int64_t *due_at)
{
  kc_cal_hours h = kc_cal_hours_default();
  int n = left >= 0 ? left : l->amount;
  kc_cal_err ce;
  if (l->kind == KC_LIMIT_HOURS) {
    ce = kc_cal_add_work_minutes(cal, &h, from, (int64_t)n * 60, due_at);
    if (!ce)
      *due_day = kc_cal_day_of_instant(*due_at);
    return cal_err(ce);
  }
  kc_cal_day start;
  if ((ce = kc_cal_count_start(cal, from, l->cutoff_minute, &start)))
    return cal_err(ce);
  if (l->kind == KC_LIMIT_WORKING) {
    ce = kc_cal_add_workdays(cal, start, n, due_day);
  } else {
    /* Calendar days run from the counting day; a last day that is a day off moves to the
     * next working day, as the law on time limits has it. */
    kc_cal_day d = start + n;
    ce = kc_cal_in_range(d) ? kc_cal_add_workdays(cal, d, 0, due_day) : KC_CAL_ERANGE;
  }
  if (ce)
    return cal_err(ce);
  *due_at = kc_cal_instant_at(*due_day, h.pm_end);
  return KC_OK;
}

int kc_limit_left(const kc_cal_calendar *cal, const kc_limit *l, int64_t at, kc_cal_day due_day,
                  int64_t due_at)
{
  if (l->kind == KC_LIMIT_HOURS) {
    /* office minutes are not counted backwards by the calendar; whole hours left, rounded
     * up, measured in elapsed time (a stop rarely spans a night for limits in hours) */
    int64_t s = due_at - at;
    return s <= 0 ? 0 : (int)((s + 3599) / 3600);
  }
  kc_cal_day today = kc_cal_day_of_instant(at);
  if (l->kind == KC_LIMIT_CALENDAR)
    return due_day > today ? due_day - today : 0;
  int32_t c = 0;
  if (kc_cal_count_workdays(cal, today, due_day, &c))
    return 0;
  return c > 0 ? c : 0;
}

const char *kc_limit_result(const kc_limit *l, int64_t at, kc_cal_day due_day, int64_t due_at)
{
  kc_cal_day d = kc_cal_day_of_instant(at);
  if (d < due_day)
    return "early";
  if (l->kind == KC_LIMIT_HOURS)
    return at <= due_at ? "on_time" : "late";
  return d == due_day ? "on_time" : "late";
}
