/* test_lclock.c: the legal clocks. Each rule option against the official calendar of 2017
 * (data/calendar/2017.tsv: Tết off Thu 26/1 – Wed 1/2; 29/4 – 2/5 off; Thu 1/6 is a working
 * day, Sat 3/6 and Sun 4/6 are not), version selection by date, pauses and extensions, the
 * loading checks with their messages, the shipped data/clocks, and the dependants' registry
 * driven by a real calendar edit. Dates are worked out by hand. */
#include "../domain/fixture.h"

#include "base/clock.h"
#include "domain/core/lclock.h"
#include "domain/core/workcal.h"
#include "domain/domain.h"
#include "domain/onestop/onestop.h"
#include <stdlib.h>

static kc_cal_calendar *cal17;

static int64_t at(const char *iso)
{
  int64_t t = 0;
  assert_int_equal(kc_time_parse_iso(iso, &t), KC_OK);
  return t;
}

static kc_cal_day day(const char *s)
{
  kc_cal_day d = 0;
  assert_int_equal(kc_cal_parse_date(s, strlen(s), &d), KC_CAL_OK);
  return d;
}

static int load_calendar(void **state)
{
  (void)state;
  const char *data = getenv("KC_DATA_DIR");
  if (!data)
    return -1;
  char dir[1024], err[256];
  snprintf(dir, sizeof dir, "%s/calendar", data);
  kc_cal_schedule s;
  kc_cal_schedule_init(&s);
  if (kc_cal_schedule_load_dir(dir, &s, err, sizeof err) != KC_CAL_OK) {
    print_error("%s: %s\n", dir, err);
    return -1;
  }
  kc_cal_err e = kc_cal_calendar_build(&s, &cal17);
  kc_cal_schedule_free(&s);
  return e == KC_CAL_OK ? 0 : -1;
}

static int free_calendar(void **state)
{
  (void)state;
  kc_cal_calendar_free(cal17);
  return 0;
}

static kc_lc_rule rule(kc_lc_unit u, int count, kc_lc_start start, bool roll)
{
  return (kc_lc_rule){.code = "test.rule",
                      .version = 1,
                      .unit = u,
                      .count = count,
                      .start = start,
                      .roll_forward = roll,
                      .cutoff_minute = -1,
                      .source = "Luật Kiểm thử, Điều 1",
                      .valid_from = 0,
                      .valid_to = KC_LC_OPEN};
}

/* The deadline of a clock, checked against a day and (when given) an instant. */
static kc_lc_deadline expect_due_at(const kc_lc_rule *r, const char *from, const kc_lc_pause *p,
                                    size_t np, const int *ext, size_t ne, const char *due,
                                    const char *instant)
{
  kc_lc_clock c = {.rule = r,
                   .started_at = at(from),
                   .pauses = p,
                   .npauses = np,
                   .extensions = ext,
                   .nextensions = ne};
  kc_lc_deadline d;
  memset(&d, 0, sizeof d);
  assert_int_equal(kc_lc_due(cal17, &c, &d), KC_OK);
  char b[16], i[40];
  kc_cal_format_date(d.due_day, b);
  kc_time_format_iso(d.due_at, i, sizeof i);
  if (strcmp(b, due) || (instant && strcmp(i, instant))) {
    print_error("%s %d %s from %s: due %s %s, expected %s %s\n", kc_lc_unit_name(r->unit), r->count,
                kc_lc_start_name(r->start), from, b, i, due, instant ? instant : "");
    fail();
  }
  assert_string_equal(d.rule_code, r->code);
  expect_i64(d.rule_version, r->version);
  return d;
}

static void expect_due(const kc_lc_rule *r, const char *from, const char *due)
{
  expect_due_at(r, from, NULL, 0, NULL, 0, due, NULL);
}

static void test_names(void **state)
{
  (void)state;
  for (int u = 0; u < KC_LC_UNIT__COUNT; u++)
    expect_i64(kc_lc_unit_parse(kc_lc_unit_name((kc_lc_unit)u)), u);
  expect_i64(kc_lc_unit_parse("weeks"), -1);
  expect_i64(kc_lc_unit_parse(NULL), -1);
  expect_i64(kc_lc_start_parse("day_after"), KC_LC_DAY_AFTER);
  expect_i64(kc_lc_start_parse("same_day"), KC_LC_SAME_DAY);
  expect_i64(kc_lc_start_parse("next_day"), -1);
}

static void test_working_days(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_DAYS, 3, KC_LC_DAY_AFTER, false);
  /* Thu 1/6 + 3: Fri 2, Mon 5, Tue 6; the day's end of office hours */
  expect_due_at(&r, "2017-06-01T09:00:00+07:00", NULL, 0, NULL, 0, "2017-06-06",
                "2017-06-06T17:00:00+07:00");
  /* the afternoon before Tết: Wed 25/1 + 3 skips 26/1 – 1/2 */
  expect_due(&r, "2017-01-25T14:00:00+07:00", "2017-02-06");
  /* same_day: Thu 1/6 is day 1 */
  r.start = KC_LC_SAME_DAY;
  expect_due(&r, "2017-06-01T09:00:00+07:00", "2017-06-05");
  /* an event on Saturday: its day is not a working day, so day 1 is Mon 5/6 */
  expect_due(&r, "2017-06-03T09:00:00+07:00", "2017-06-07");
  /* day_after from a Saturday without office_receipt: Mon 5, Tue 6, Wed 7 */
  r.start = KC_LC_DAY_AFTER;
  expect_due(&r, "2017-06-03T09:00:00+07:00", "2017-06-07");
}

static void test_office_receipt_and_cutoff(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_DAYS, 1, KC_LC_DAY_AFTER, false);
  /* a plain event on Saturday: the first working day after it */
  expect_due(&r, "2017-06-03T09:00:00+07:00", "2017-06-05");
  /* a receipt on Saturday counts as received on Mon 5/6 */
  r.office_receipt = true;
  expect_due(&r, "2017-06-03T09:00:00+07:00", "2017-06-06");
  expect_due(&r, "2017-06-01T16:30:00+07:00", "2017-06-02");
  /* a cut-off at 15:00: after it, Thu counts as Fri */
  r.office_receipt = false;
  r.cutoff_minute = 15 * 60;
  expect_due(&r, "2017-06-01T14:59:00+07:00", "2017-06-02");
  expect_due(&r, "2017-06-01T15:01:00+07:00", "2017-06-05");
  /* the cut-off implies office_receipt */
  expect_due(&r, "2017-06-03T09:00:00+07:00", "2017-06-06");
  /* a limit of 0 days with a cut-off: the same day, or the next working day after it */
  r.count = 0;
  expect_due(&r, "2017-06-01T10:00:00+07:00", "2017-06-01");
  expect_due(&r, "2017-06-02T16:00:00+07:00", "2017-06-05");
}

static void test_calendar_days_roll_forward(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_CALENDAR_DAYS, 2, KC_LC_DAY_AFTER, true);
  /* Thu 1/6 + 2 = Sat 3/6, a day off: Art 148 moves it to Mon 5/6 */
  expect_due(&r, "2017-06-01T09:00:00+07:00", "2017-06-05");
  r.roll_forward = false;
  expect_due(&r, "2017-06-01T09:00:00+07:00", "2017-06-03");
  r.start = KC_LC_SAME_DAY;
  expect_due(&r, "2017-06-01T09:00:00+07:00", "2017-06-02");
  /* into Tết: Fri 20/1 + 6 = Thu 26/1, off until Wed 1/2 */
  r = rule(KC_LC_CALENDAR_DAYS, 6, KC_LC_DAY_AFTER, true);
  expect_due(&r, "2017-01-20T09:00:00+07:00", "2017-02-02");
  /* the event's own day off does not matter for calendar days: Sat 3/6 + 2 = Mon 5/6 */
  r.count = 2;
  expect_due(&r, "2017-06-03T09:00:00+07:00", "2017-06-05");
}

static void test_months_years(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_MONTHS, 1, KC_LC_DAY_AFTER, true);
  /* no 31 February: the month's last day (Tue 28/2) */
  expect_due(&r, "2017-01-31T09:00:00+07:00", "2017-02-28");
  /* 31/3 + 1 month = Sun 30/4; 29/4 – 2/5 are off: Wed 3/5 */
  expect_due(&r, "2017-03-31T09:00:00+07:00", "2017-05-03");
  r.roll_forward = false;
  expect_due(&r, "2017-03-31T09:00:00+07:00", "2017-04-30");
  r.start = KC_LC_SAME_DAY;
  r.count = 2;
  expect_due(&r, "2017-03-15T09:00:00+07:00", "2017-05-14");
  r = rule(KC_LC_YEARS, 1, KC_LC_DAY_AFTER, true);
  expect_due(&r, "2016-02-29T09:00:00+07:00", "2017-02-28");
  /* 5 years from Fri 3/6/2016 lands on Thu 3/6/2021 */
  r.count = 5;
  expect_due(&r, "2016-06-03T09:00:00+07:00", "2021-06-03");
}

static void test_working_hours(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_HOURS, 4, KC_LC_SAME_DAY, false);
  /* 16:00 Thu: one hour that day, three on Friday morning */
  expect_due_at(&r, "2017-06-01T16:00:00+07:00", NULL, 0, NULL, 0, "2017-06-02",
                "2017-06-02T11:00:00+07:00");
  /* Friday 15:00 + 4 h: 2 h Friday, 2 h Monday morning; the weekend does not run */
  expect_due_at(&r, "2017-06-02T15:00:00+07:00", NULL, 0, NULL, 0, "2017-06-05",
                "2017-06-05T10:00:00+07:00");
  /* a pause over lunch and the night: Thu 11:00 → Fri 09:00 is 1 + 4 + 1 = 6 office hours */
  kc_lc_pause p = {at("2017-06-01T11:00:00+07:00"), at("2017-06-02T09:00:00+07:00")};
  kc_lc_deadline d = expect_due_at(&r, "2017-06-01T08:00:00+07:00", &p, 1, NULL, 0, "2017-06-02",
                                   "2017-06-02T10:00:00+07:00");
  expect_i64(d.paused_units, 6);
  /* an extension of 2 hours */
  int two = 2;
  d = expect_due_at(&r, "2017-06-01T08:00:00+07:00", NULL, 0, &two, 1, "2017-06-01",
                    "2017-06-01T15:00:00+07:00");
  expect_i64(d.extended_units, 2);
}

static void test_pauses(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_DAYS, 5, KC_LC_DAY_AFTER, false);
  const char *from = "2017-06-01T09:00:00+07:00";
  /* no pause: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8 */
  kc_lc_deadline d = expect_due_at(&r, from, NULL, 0, NULL, 0, "2017-06-08", NULL);
  expect_i64(d.paused_units, 0);
  /* stopped Mon 5/6 10:00, resumed Wed 7/6 10:00: two working days back (Tue, Wed) */
  kc_lc_pause p[2] = {{at("2017-06-05T10:00:00+07:00"), at("2017-06-07T10:00:00+07:00")},
                      {at("2017-06-08T09:00:00+07:00"), 0}};
  d = expect_due_at(&r, from, p, 1, NULL, 0, "2017-06-12", NULL);
  expect_i64(d.paused_units, 2);
  /* a pause over a weekend gives back only its working day (Mon 5/6) */
  kc_lc_pause wk = {at("2017-06-02T16:00:00+07:00"), at("2017-06-05T16:00:00+07:00")};
  d = expect_due_at(&r, from, &wk, 1, NULL, 0, "2017-06-09", NULL);
  expect_i64(d.paused_units, 1);
  /* a pause still open extends nothing yet */
  d = expect_due_at(&r, from, p, 2, NULL, 0, "2017-06-12", NULL);
  expect_i64(d.paused_units, 2);
  /* calendar days count the calendar days paused: 10 days from 1/6 = Sun 11/6 → Mon 12/6;
   * 3 days paused → Wed 14/6 */
  kc_lc_rule c = rule(KC_LC_CALENDAR_DAYS, 10, KC_LC_DAY_AFTER, true);
  expect_due(&c, from, "2017-06-12");
  kc_lc_pause three = {at("2017-06-02T09:00:00+07:00"), at("2017-06-05T09:00:00+07:00")};
  d = expect_due_at(&c, from, &three, 1, NULL, 0, "2017-06-14", NULL);
  expect_i64(d.paused_units, 3);
  /* months count days paused too: 31/1 + 1 month = Tue 28/2, + 3 days = Fri 3/3; with 4
   * days, Sat 4/3 rolls to Mon 6/3 */
  kc_lc_rule m = rule(KC_LC_MONTHS, 1, KC_LC_DAY_AFTER, true);
  kc_lc_pause mp = {at("2017-02-01T09:00:00+07:00"), at("2017-02-04T09:00:00+07:00")};
  expect_due_at(&m, "2017-01-31T09:00:00+07:00", &mp, 1, NULL, 0, "2017-03-03", NULL);
  mp.to += 86400;
  kc_lc_deadline md =
      expect_due_at(&m, "2017-01-31T09:00:00+07:00", &mp, 1, NULL, 0, "2017-03-06", NULL);
  expect_i64(md.paused_units, 4);
}

static void test_malformed_clocks(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_DAYS, 5, KC_LC_DAY_AFTER, false);
  kc_lc_deadline d = {.due_day = 42};
  int64_t t0 = at("2017-06-01T09:00:00+07:00");
  /* a pause before the start, one that ends before it begins, two out of order, an open
   * pause that is not the last, a negative extension, a date past 2199 */
  kc_lc_pause before = {t0 - 86400, t0};
  kc_lc_pause reversed = {t0 + 7200, t0 + 3600};
  kc_lc_pause order[2] = {{t0 + 86400, t0 + 2 * 86400}, {t0 + 3600, t0 + 7200}};
  kc_lc_pause open_first[2] = {{t0 + 3600, 0}, {t0 + 7200, t0 + 9000}};
  kc_lc_clock bad[] = {{.rule = &r, .started_at = t0, .pauses = &before, .npauses = 1},
                       {.rule = &r, .started_at = t0, .pauses = &reversed, .npauses = 1},
                       {.rule = &r, .started_at = t0, .pauses = order, .npauses = 2},
                       {.rule = &r, .started_at = t0, .pauses = open_first, .npauses = 2}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    expect_err(kc_lc_due(cal17, &bad[i], &d), KC_EFIELD);
  int neg = -1;
  kc_lc_clock ne = {.rule = &r, .started_at = t0, .extensions = &neg, .nextensions = 1};
  expect_err(kc_lc_due(cal17, &ne, &d), KC_EFIELD);
  kc_lc_rule far = rule(KC_LC_YEARS, 300, KC_LC_DAY_AFTER, true);
  kc_lc_clock fc = {.rule = &far, .started_at = t0};
  expect_err(kc_lc_due(cal17, &fc, &d), KC_EFIELD);
  /* *out untouched on failure */
  expect_i64(d.due_day, 42);
}

static void test_extensions(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_DAYS, 5, KC_LC_DAY_AFTER, false);
  int ext[2] = {2, 1};
  /* 5 + 3 working days from Thu 1/6: Tue 13/6 */
  kc_lc_deadline d =
      expect_due_at(&r, "2017-06-01T09:00:00+07:00", NULL, 0, ext, 2, "2017-06-13", NULL);
  expect_i64(d.extended_units, 3);
  /* extensions and a pause together: + 2 paused working days → Thu 15/6 */
  kc_lc_pause p = {at("2017-06-05T10:00:00+07:00"), at("2017-06-07T10:00:00+07:00")};
  d = expect_due_at(&r, "2017-06-01T09:00:00+07:00", &p, 1, ext, 2, "2017-06-15", NULL);
  expect_i64(d.extended_units, 3);
  expect_i64(d.paused_units, 2);
  /* calendar days: 10 + 5 from 1/6 = Fri 16/6 */
  kc_lc_rule c = rule(KC_LC_CALENDAR_DAYS, 10, KC_LC_DAY_AFTER, true);
  int five = 5;
  expect_due_at(&c, "2017-06-01T09:00:00+07:00", NULL, 0, &five, 1, "2017-06-16", NULL);
}

static void test_state_and_result(void **state)
{
  (void)state;
  kc_lc_rule r = rule(KC_LC_WORKING_DAYS, 5, KC_LC_DAY_AFTER, false);
  kc_lc_deadline d =
      expect_due_at(&r, "2017-06-01T09:00:00+07:00", NULL, 0, NULL, 0, "2017-06-08", NULL);
  kc_lc_state s = kc_lc_state_at(cal17, &r, &d, at("2017-06-02T10:00:00+07:00"), 3);
  expect_i64(s.left, 4); /* Mon 5, Tue 6, Wed 7, Thu 8 */
  assert_false(s.overdue);
  assert_false(s.due_soon);
  s = kc_lc_state_at(cal17, &r, &d, at("2017-06-05T10:00:00+07:00"), 3);
  expect_i64(s.left, 3);
  assert_true(s.due_soon);
  s = kc_lc_state_at(cal17, &r, &d, at("2017-06-08T16:00:00+07:00"), 3);
  expect_i64(s.left, 0);
  assert_false(s.overdue);
  s = kc_lc_state_at(cal17, &r, &d, at("2017-06-09T08:00:00+07:00"), 3);
  assert_true(s.overdue);
  assert_false(s.due_soon);
  assert_string_equal(kc_lc_result(&r, &d, at("2017-06-07T10:00:00+07:00")), "early");
  assert_string_equal(kc_lc_result(&r, &d, at("2017-06-08T20:00:00+07:00")), "on_time");
  assert_string_equal(kc_lc_result(&r, &d, at("2017-06-09T08:00:00+07:00")), "late");
  /* hours: the instant decides */
  kc_lc_rule h = rule(KC_LC_WORKING_HOURS, 4, KC_LC_SAME_DAY, false);
  kc_lc_deadline hd = expect_due_at(&h, "2017-06-01T08:00:00+07:00", NULL, 0, NULL, 0, "2017-06-01",
                                    "2017-06-01T12:00:00+07:00");
  s = kc_lc_state_at(cal17, &h, &hd, at("2017-06-01T10:30:00+07:00"), 0);
  expect_i64(s.left, 2); /* 1.5 h of elapsed time, rounded up */
  assert_string_equal(kc_lc_result(&h, &hd, at("2017-06-01T12:00:00+07:00")), "on_time");
  assert_string_equal(kc_lc_result(&h, &hd, at("2017-06-01T12:01:00+07:00")), "late");
  /* the due-soon window: 3 working days from Fri 2/6 end on Wed 7/6, the day before Thu 8/6 */
  char b[16];
  assert_string_equal(kc_cal_format_date(kc_lc_soon_until(cal17, day("2017-06-02"), 3), b),
                      "2017-06-07");
  /* the record names the rule */
  json_t *j = kc_lc_deadline_json(&d, &r);
  assert_string_equal(json_string_value(json_object_get(j, "due_date")), "2017-06-08");
  json_t *jr = json_object_get(j, "rule");
  assert_string_equal(json_string_value(json_object_get(jr, "code")), "test.rule");
  expect_i64(json_integer_value(json_object_get(jr, "version")), 1);
  assert_string_equal(json_string_value(json_object_get(jr, "source")), "Luật Kiểm thử, Điều 1");
  json_decref(j);
}

static const char versions_json[] =
    "{\"rules\":["
    "{\"code\":\"x.settle\",\"version\":2,\"unit\":\"working_days\",\"count\":10,"
    "\"start\":\"day_after\",\"roll_forward\":false,\"source\":\"Nghị định B, Điều 2\","
    "\"valid_from\":\"2017-07-01\"},"
    "{\"code\":\"x.settle\",\"version\":1,\"unit\":\"calendar_days\",\"count\":5,"
    "\"start\":\"same_day\",\"roll_forward\":true,\"cutoff_hour\":\"15:30\","
    "\"source\":\"Nghị định A, Điều 1\",\"valid_from\":\"2017-01-01\","
    "\"valid_to\":\"2017-06-30\"},"
    "{\"code\":\"y.accept\",\"version\":1,\"unit\":\"working_hours\",\"count\":8,"
    "\"start\":\"same_day\",\"roll_forward\":false,\"cutoff_hour\":16,"
    "\"source\":\"Thông tư C\",\"valid_from\":\"2016-01-01\",\"valid_to\":null}]}";

static kc_lc_rules *parse_rules(const char *text, kc_err expect, const char *msg_part)
{
  json_error_t je;
  json_t *doc = json_loads(text, 0, &je);
  assert_non_null(doc);
  kc_lc_rules *rs = (kc_lc_rules *)1;
  char *msg = NULL;
  expect_err(kc_lc_rules_from_json(doc, "test.json", &rs, &msg), expect);
  json_decref(doc);
  if (expect) {
    assert_null(rs);
    expect_contains(msg, "test.json");
    expect_contains(msg, msg_part);
  } else {
    assert_null(msg);
    assert_non_null(rs);
  }
  free(msg);
  return rs;
}

static void test_versions_by_date(void **state)
{
  (void)state;
  kc_lc_rules *rs = parse_rules(versions_json, KC_OK, NULL);
  const kc_lc_rule *v = kc_lc_rules_find(rs, "x.settle", day("2017-06-30"));
  assert_non_null(v);
  expect_i64(v->version, 1);
  expect_i64(v->unit, KC_LC_CALENDAR_DAYS);
  expect_i64(v->cutoff_minute, 15 * 60 + 30);
  v = kc_lc_rules_find(rs, "x.settle", day("2017-07-01"));
  assert_non_null(v);
  expect_i64(v->version, 2);
  expect_i64(v->count, 10);
  expect_i64(v->valid_to, KC_LC_OPEN);
  assert_null(kc_lc_rules_find(rs, "x.settle", day("2016-12-31")));
  assert_null(kc_lc_rules_find(rs, "z.none", day("2017-07-01")));
  expect_i64(kc_lc_rules_find(rs, "y.accept", day("2030-01-01"))->cutoff_minute, 16 * 60);
  assert_string_equal(kc_lc_rules_version(rs, "x.settle", 1)->source, "Nghị định A, Điều 1");
  assert_null(kc_lc_rules_version(rs, "x.settle", 3));
  /* a clock started on 30/6 keeps version 1 (5 calendar days, same day: Thu 29/6 + 4 = Mon
   * 3/7), one started on 3/7 takes version 2 (10 working days: Mon 17/7) */
  v = kc_lc_rules_find(rs, "x.settle", day("2017-06-29"));
  kc_lc_deadline d =
      expect_due_at(v, "2017-06-29T09:00:00+07:00", NULL, 0, NULL, 0, "2017-07-03", NULL);
  expect_i64(d.rule_version, 1);
  v = kc_lc_rules_find(rs, "x.settle", day("2017-07-03"));
  d = expect_due_at(v, "2017-07-03T09:00:00+07:00", NULL, 0, NULL, 0, "2017-07-17", NULL);
  expect_i64(d.rule_version, 2);
  /* the API's list, all and on one day */
  json_t *all = kc_lc_rules_json(rs);
  json_t *items = json_object_get(all, "items");
  expect_i64(json_array_size(items), 3);
  json_t *first = json_array_get(items, 0);
  assert_string_equal(json_string_value(json_object_get(first, "code")), "x.settle");
  expect_i64(json_integer_value(json_object_get(first, "version")), 1);
  assert_string_equal(json_string_value(json_object_get(first, "cutoff")), "15:30");
  assert_string_equal(json_string_value(json_object_get(first, "valid_to")), "2017-06-30");
  assert_string_equal(json_string_value(json_object_get(first, "start")), "same_day");
  assert_true(json_is_true(json_object_get(first, "roll_forward")));
  json_decref(all);
  json_t *on = kc_lc_rules_json_at(rs, day("2017-08-01"));
  items = json_object_get(on, "items");
  expect_i64(json_array_size(items), 2);
  expect_i64(json_integer_value(json_object_get(json_array_get(items, 0), "version")), 2);
  assert_true(json_is_null(json_object_get(json_array_get(items, 0), "valid_to")));
  json_decref(on);
  kc_lc_rules_free(rs);
}

static void test_load_errors(void **state)
{
  (void)state;
  static const char head[] = "{\"rules\":[{\"code\":\"a\",\"version\":1,\"unit\":\"working_days\","
                             "\"count\":5,\"start\":\"day_after\",\"roll_forward\":false,"
                             "\"source\":\"S\",\"valid_from\":\"2017-01-01\"";
  char buf[1024];
  static const struct {
    const char *tail, *msg;
  } bad[] = {
      {",\"unit\":\"weeks\"}]}", "trường unit"},
      {",\"cutoff_hour\":\"25:00\"}]}", "trường cutoff_hour"},
      {",\"valid_to\":\"2016-12-31\"}]}", "trường valid_to"},
      {",\"colour\":\"red\"}]}", "trường colour"},
      {",\"valid_to\":\"2017-06-30\"},{\"code\":\"a\",\"version\":3,\"unit\":\"working_days\","
       "\"count\":5,\"start\":\"day_after\",\"roll_forward\":false,\"source\":\"S\","
       "\"valid_from\":\"2017-07-01\"}]}",
       "đánh số liên tiếp"},
      {",\"valid_to\":\"2017-06-30\"},{\"code\":\"a\",\"version\":2,\"unit\":\"working_days\","
       "\"count\":5,\"start\":\"day_after\",\"roll_forward\":false,\"source\":\"S\","
       "\"valid_from\":\"2017-06-30\"}]}",
       "chồng lên"},
      {"},{\"code\":\"a\",\"version\":2,\"unit\":\"working_days\",\"count\":5,"
       "\"start\":\"day_after\",\"roll_forward\":false,\"source\":\"S\","
       "\"valid_from\":\"2018-01-01\"}]}",
       "chồng lên"},
  };
  /* the replaced members: JSON keeps the last of a duplicate key */
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(buf, sizeof buf, "%s%s", head, bad[i].tail);
    parse_rules(buf, KC_EFIELD, bad[i].msg);
  }
  parse_rules("{\"rules\":[{\"code\":\"a\",\"version\":1,\"unit\":\"working_days\","
              "\"count\":0,\"start\":\"day_after\",\"roll_forward\":false,\"source\":\"S\","
              "\"valid_from\":\"2017-01-01\"}]}",
              KC_EFIELD, "trường count");
  parse_rules("{\"items\":[]}", KC_EFIELD, "rules");
  /* and a file: missing, then not JSON */
  kc_lc_rules *rs = NULL;
  char *msg = NULL;
  expect_err(kc_lc_rules_load("/nonexistent/clocks.json", &rs, &msg), KC_EIO);
  assert_null(rs);
  expect_contains(msg, "/nonexistent/clocks.json");
  free(msg);
}

/* The shipped data/clocks: loaded as the server loads it. */
static void test_shipped_rules(void **state)
{
  (void)state;
  char *msg = NULL;
  expect_err(kc_lc_rules_global_init(getenv("KC_DATA_DIR"), &msg), KC_OK);
  assert_null(msg);
  const kc_lc_rules *g = kc_lc_rules_global();
  assert_non_null(g);
  /* the one-stop regimes: QĐ 09/2015 in 2017, Decree 61/2018 in 2020, Decree 118/2025 now */
  const kc_lc_rule *r = kc_lc_rules_find(g, "onestop.limit.working_days", day("2017-06-01"));
  assert_non_null(r);
  expect_i64(r->version, 1);
  assert_true(r->office_receipt);
  expect_i64(r->count, 0);
  expect_i64(kc_lc_rules_find(g, "onestop.limit.working_days", day("2020-01-01"))->version, 2);
  r = kc_lc_rules_find(g, "onestop.limit.working_days", day("2026-12-07"));
  expect_i64(r->version, 3);
  expect_contains(r->source, "118/2025");
  r = kc_lc_rules_find(g, "onestop.limit.calendar_days", day("2017-06-01"));
  assert_true(r->roll_forward);
  expect_contains(r->source, "Bộ luật Dân sự 2015");
  assert_non_null(kc_lc_rules_find(g, "civil.period.days", day("2026-01-01")));
  /* a procedure's limit runs on them: the rule in force at receipt, the procedure's count */
  kc_limit l = {3, KC_LIMIT_WORKING, 15 * 60};
  kc_lc_rule pr;
  kc_limit_rule(&l, at("2020-03-02T09:00:00+07:00"), 3, &pr);
  assert_string_equal(pr.code, "onestop.limit.working_days");
  expect_i64(pr.version, 2);
  expect_i64(pr.count, 3);
  expect_i64(pr.cutoff_minute, 15 * 60);
  kc_lc_rules_global_free();
  assert_null(kc_lc_rules_global());
  /* without a rule set the same limit runs on the built-in copy (version 0), not on a rule of
   * the freed set */
  kc_limit_rule(&l, at("2020-03-02T09:00:00+07:00"), 3, &pr);
  assert_string_equal(pr.code, "onestop.limit.working_days");
  expect_i64(pr.version, 0);
  expect_contains(pr.source, "có sẵn");
  kc_lc_clock pc = {.rule = &pr, .started_at = at("2020-03-02T09:00:00+07:00")};
  kc_lc_deadline pd;
  expect_err(kc_lc_due(cal17, &pc, &pd), KC_OK);
  expect_i64(pd.rule_version, 0);
  /* a directory without clocks/ is an error that names it */
  expect_err(kc_lc_rules_global_init("/nonexistent", &msg), KC_EIO);
  expect_contains(msg, "/nonexistent/clocks");
  free(msg);
}

/* ---- the registry, driven by a calendar edit in a real database ---- */

static int probe_calls;
static bool probe_saw_day_off, probe_fail;
static const char *call_order[8];
static int ncalls;

static kc_err probe(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed)
{
  (void)ctx;
  probe_calls++;
  call_order[ncalls++ % 8] = "probe";
  probe_saw_day_off = !kc_cal_is_workday(cal, day("2017-06-09"));
  *changed = 2;
  return probe_fail ? kc_ctx_fail(ctx, KC_ECONFLICT, NULL, "probe refuses") : KC_OK;
}

static kc_err second(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed)
{
  (void)ctx;
  (void)cal;
  call_order[ncalls++ % 8] = "second";
  *changed = 1;
  return KC_OK;
}

static kc_err schedule_has(fx *f, const char *date, bool *found)
{
  json_t *sch = NULL;
  kc_err e = kc_workcal_schedule(&f->ctx, 2017, &sch);
  *found = false;
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(sch, "entries"), i, v)
  {
    const char *d = json_string_value(json_object_get(v, "day"));
    if (d && !strcmp(d, date))
      *found = true;
  }
  json_decref(sch);
  return e;
}

static void test_registry_on_calendar_edit(void **state)
{
  fx *f = *state;
  /* kc_domain_init (run by the fixture) registered the dossiers; registering again keeps one */
  int base = kc_lc_dependant_count();
  assert_true(base >= 1);
  kc_lc_dependant_register("probe", probe);
  kc_lc_dependant_register("second", second);
  kc_lc_dependant_register("probe", probe);
  expect_i64(kc_lc_dependant_count(), base + 2);
  const char *data = getenv("KC_DATA_DIR");
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/calendar", data);
  int n = 0;
  expect_call(f, kc_workcal_seed(&f->ctx, dir, &n), KC_OK);
  /* a day off declared: every dependant runs once, in order, on the new calendar */
  kc_workcal_entry_in e = {.day = "2017-06-09", .kind = "off", .name = "Nghỉ bù (kiểm thử)"};
  json_t *out = NULL;
  probe_calls = ncalls = 0;
  expect_call(f, kc_workcal_entry_create(&f->ctx, &e, &out), KC_OK);
  json_decref(out);
  expect_i64(probe_calls, 1);
  assert_true(probe_saw_day_off);
  expect_i64(ncalls, 2);
  assert_string_equal(call_order[0], "probe");
  assert_string_equal(call_order[1], "second");
  bool found = false;
  expect_err(schedule_has(f, "2017-06-09", &found), KC_OK);
  assert_true(found);
  /* a dependant that fails undoes the edit: the day stays a working day */
  probe_fail = true;
  probe_calls = ncalls = 0;
  kc_workcal_entry_in e2 = {.day = "2017-06-16", .kind = "off", .name = "Nghỉ (kiểm thử)"};
  expect_call(f, kc_workcal_entry_create(&f->ctx, &e2, &out), KC_ECONFLICT);
  expect_i64(probe_calls, 1);
  expect_i64(ncalls, 1); /* stopped at the first failure */
  probe_fail = false;
  expect_err(schedule_has(f, "2017-06-16", &found), KC_OK);
  assert_false(found);
  /* recompute_all adds up what the dependants changed */
  int changed = 0;
  expect_err(kc_lc_recompute_all(&f->ctx, cal17, &changed), KC_OK);
  expect_i64(changed, 3); /* no open dossier (0) + probe (2) + second (1) */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_working_days),
      cmocka_unit_test(test_office_receipt_and_cutoff),
      cmocka_unit_test(test_calendar_days_roll_forward),
      cmocka_unit_test(test_months_years),
      cmocka_unit_test(test_working_hours),
      cmocka_unit_test(test_pauses),
      cmocka_unit_test(test_malformed_clocks),
      cmocka_unit_test(test_extensions),
      cmocka_unit_test(test_state_and_result),
      cmocka_unit_test(test_versions_by_date),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_shipped_rules),
      cmocka_unit_test_setup_teardown(test_registry_on_calendar_edit, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, load_calendar, free_calendar);
}
