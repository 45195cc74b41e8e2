/* onestop_clock.c: a procedure's time limit on the working-day calendar (see onestop.h),
 * computed by the legal clocks: a limit kind names the rule that says how it counts
 * (data/clocks/onestop.json), the procedure gives the count and its cut-off. */
#include "domain/core/lclock.h"
#include "domain/onestop/onestop.h"
#include <assert.h>
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

/* The rules used when the process loaded none (unit tests, tools): the same as the data's. */
static const kc_lc_rule builtin[] = {
    [KC_LIMIT_WORKING] = {.code = "onestop.limit.working_days",
                          .version = 1,
                          .unit = KC_LC_WORKING_DAYS,
                          .start = KC_LC_DAY_AFTER,
                          .cutoff_minute = -1,
                          .office_receipt = true,
                          .source = "Nghị định 61/2018/NĐ-CP, Điều 19",
                          .valid_to = KC_LC_OPEN},
    [KC_LIMIT_CALENDAR] = {.code = "onestop.limit.calendar_days",
                           .version = 1,
                           .unit = KC_LC_CALENDAR_DAYS,
                           .start = KC_LC_DAY_AFTER,
                           .roll_forward = true,
                           .cutoff_minute = -1,
                           .office_receipt = true,
                           .source = "Bộ luật Dân sự 2015, Điều 147-148",
                           .valid_to = KC_LC_OPEN},
    [KC_LIMIT_HOURS] = {.code = "onestop.limit.working_hours",
                        .version = 1,
                        .unit = KC_LC_WORKING_HOURS,
                        .start = KC_LC_SAME_DAY,
                        .cutoff_minute = -1,
                        .source = "Nghị định 61/2018/NĐ-CP, Điều 19",
                        .valid_to = KC_LC_OPEN}};

void kc_limit_rule(const kc_limit *l, int64_t from, int count, kc_lc_rule *out)
{
  assert(l->kind >= KC_LIMIT_WORKING && l->kind <= KC_LIMIT_HOURS);
  const kc_lc_rule *r =
      kc_lc_rules_find(kc_lc_rules_global(), builtin[l->kind].code, kc_cal_day_of_instant(from));
  *out = r ? *r : builtin[l->kind];
  out->count = count;
  if (l->cutoff_minute >= 0)
    out->cutoff_minute = l->cutoff_minute;
}

kc_err kc_limit_due(const kc_cal_calendar *cal, const kc_limit *l, int64_t from, int left,
                    kc_cal_day *due_day, int64_t *due_at)
{
  kc_lc_rule r;
  kc_limit_rule(l, from, left >= 0 ? left : l->amount, &r);
  kc_lc_clock c = {.rule = &r, .started_at = from};
  kc_lc_deadline d;
  kc_err e = kc_lc_due(cal, &c, &d);
  if (e)
    return e;
  *due_day = d.due_day;
  *due_at = d.due_at;
  return KC_OK;
}

int kc_limit_left(const kc_cal_calendar *cal, const kc_limit *l, int64_t at, kc_cal_day due_day,
                  int64_t due_at)
{
  kc_lc_rule r;
  kc_limit_rule(l, at, l->amount, &r);
  kc_lc_deadline d = {.due_day = due_day, .due_at = due_at};
  return kc_lc_state_at(cal, &r, &d, at, 0).left;
}

const char *kc_limit_result(const kc_limit *l, int64_t at, kc_cal_day due_day, int64_t due_at)
{
  kc_lc_deadline d = {.due_day = due_day, .due_at = due_at};
  return kc_lc_result(&builtin[l->kind], &d, at);
}
