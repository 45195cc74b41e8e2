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

/* The rules used when the process loaded none (unit tests, tools) or none is in force on the
 * day: the same counting as the data's; version 0 marks a deadline as counted by them. */
static const kc_lc_rule builtin[] = {
    [KC_LIMIT_WORKING] = {.code = "onestop.limit.working_days",
                          .version = 0,
                          .unit = KC_LC_WORKING_DAYS,
                          .start = KC_LC_DAY_AFTER,
                          .cutoff_minute = -1,
                          .office_receipt = true,
                          .source = "Quy tắc có sẵn: ngày làm việc sau ngày tiếp nhận",
                          .valid_to = KC_LC_OPEN},
    [KC_LIMIT_CALENDAR] = {.code = "onestop.limit.calendar_days",
                           .version = 0,
                           .unit = KC_LC_CALENDAR_DAYS,
                           .start = KC_LC_DAY_AFTER,
                           .roll_forward = true,
                           .cutoff_minute = -1,
                           .office_receipt = true,
                           .source = "Quy tắc có sẵn: Bộ luật Dân sự 2015, Điều 147-148",
                           .valid_to = KC_LC_OPEN},
    [KC_LIMIT_HOURS] = {.code = "onestop.limit.working_hours",
                        .version = 0,
                        .unit = KC_LC_WORKING_HOURS,
                        .start = KC_LC_SAME_DAY,
                        .cutoff_minute = -1,
                        .source = "Quy tắc có sẵn: giờ làm việc từ lúc tiếp nhận",
                        .valid_to = KC_LC_OPEN}};

/* The version last found for each kind, per thread: receipts and the benchmark generator ask
 * for the same version over and over, and a hit saves the lookup by code. */
static _Thread_local struct {
  unsigned serial; /* kc_lc_rules_global_serial when found; 0: nothing cached */
  const kc_lc_rule *rule;
} last[3];

void kc_limit_rule(const kc_limit *l, int64_t from, int count, kc_lc_rule *out)
{
  assert(l->kind >= KC_LIMIT_WORKING && l->kind <= KC_LIMIT_HOURS);
  unsigned serial = kc_lc_rules_global_serial();
  kc_cal_day day = kc_cal_day_of_instant(from);
  const kc_lc_rule *r = last[l->kind].rule;
  if (last[l->kind].serial != serial || !r || day < r->valid_from || day > r->valid_to) {
    r = kc_lc_rules_find(kc_lc_rules_global(), builtin[l->kind].code, day);
    last[l->kind].serial = serial;
    last[l->kind].rule = r;
  }
  *out = r ? *r : builtin[l->kind];
  out->count = count;
  if (l->cutoff_minute >= 0)
    out->cutoff_minute = l->cutoff_minute;
}

kc_err kc_limit_due(const kc_cal_calendar *cal, const kc_limit *l, int64_t from, int left,
                    kc_cal_day *due_day, int64_t *due_at, kc_limit_source *rule)
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
  if (rule)
    *rule = (kc_limit_source){.code = d.rule_code, .version = d.rule_version};
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
