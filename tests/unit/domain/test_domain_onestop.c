/* test_domain_onestop.c: the one-stop clock against the official calendar (limits in working
 * days with and without a cut-off, calendar days ending on a day off, office hours across
 * lunch and nights, what is left of a stopped clock, results), and the due days of open
 * dossiers moving with an edit of the official calendar, each move audited. Dates are worked
 * out by hand from data/calendar/2017.tsv (Tết off Thu 26/1 – Wed 1/2/2017; Giỗ Tổ Thu 6/4). */
#include "fixture.h"

#include "base/clock.h"
#include "domain/core/workcal.h"
#include "domain/onestop/dossier.h"
#include "domain/onestop/onestop.h"
#include "domain/onestop/procedure.h"

static int64_t at(const char *iso)
{
  int64_t t = 0;
  assert_int_equal(kc_time_parse_iso(iso, &t), KC_OK);
  return t;
}

static void expect_due(const kc_cal_calendar *cal, kc_limit l, const char *from, int left,
                       const char *day, const char *instant)
{
  kc_cal_day d;
  int64_t t;
  assert_int_equal(kc_limit_due(cal, &l, at(from), left, &d, &t, NULL), KC_OK);
  char b[16], i[32];
  kc_cal_format_date(d, b);
  kc_time_format_iso(t, i, sizeof i);
  if (strcmp(b, day) || (instant && strcmp(i, instant))) {
    print_error("limit %d %s from %s (left %d): due %s %s, expected %s %s\n", l.amount,
                kc_limit_kind_name(l.kind), from, left, b, i, day, instant ? instant : "");
    fail();
  }
}

/* A calendar built from the shipped schedules, as the server has it. */
static kc_workcal *calendar(fx *f, kc_workcal_cache *c)
{
  const char *data = getenv("KC_DATA_DIR");
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/calendar", data);
  int n = 0;
  expect_err(kc_workcal_seed(&f->ctx, dir, &n), KC_OK);
  kc_workcal *w = NULL;
  expect_err(kc_workcal_acquire(&f->ctx, c, &w), KC_OK);
  return w;
}

static void test_limits(void **state)
{
  fx *f = *state;
  kc_workcal_cache *c = kc_workcal_cache_new();
  kc_workcal *w = calendar(f, c);
  const kc_cal_calendar *cal = kc_workcal_get(w);
  kc_limit three = {3, KC_LIMIT_WORKING, -1}, one15 = {1, KC_LIMIT_WORKING, 15 * 60};
  kc_limit same15 = {0, KC_LIMIT_WORKING, 15 * 60}, cal10 = {10, KC_LIMIT_CALENDAR, -1};
  kc_limit hours4 = {4, KC_LIMIT_HOURS, -1}, five = {5, KC_LIMIT_WORKING, -1};
  /* the afternoon before Tết: Wed 25/1 + 3 working days skips 26/1–1/2 */
  expect_due(cal, three, "2017-01-25T14:00:00+07:00", -1, "2017-02-06",
             "2017-02-06T17:00:00+07:00");
  /* received during Tết: counts from Thu 2/2 */
  expect_due(cal, three, "2017-01-30T09:00:00+07:00", -1, "2017-02-07", NULL);
  /* the cut-off: Fri 10/3 14:59 → Mon 13/3; 15:00 and later → Tue 14/3 */
  expect_due(cal, one15, "2017-03-10T14:59:00+07:00", -1, "2017-03-13", NULL);
  expect_due(cal, one15, "2017-03-10T15:00:00+07:00", -1, "2017-03-14", NULL);
  /* a same-day procedure: on the day before the cut-off, the next working day after it */
  expect_due(cal, same15, "2017-03-10T10:00:00+07:00", -1, "2017-03-10", NULL);
  expect_due(cal, same15, "2017-03-10T16:00:00+07:00", -1, "2017-03-13", NULL);
  /* a Saturday receipt counts from Monday */
  expect_due(cal, one15, "2017-03-11T09:00:00+07:00", -1, "2017-03-14", NULL);
  /* 10 calendar days from Wed 25/1 end on Sat 4/2: the next working day, Mon 6/2 */
  expect_due(cal, cal10, "2017-01-25T10:00:00+07:00", -1, "2017-02-06", NULL);
  /* 10 calendar days from Mon 13/3 end on Thu 23/3, a working day */
  expect_due(cal, cal10, "2017-03-13T10:00:00+07:00", -1, "2017-03-23", NULL);
  /* 4 office hours from Fri 15:30: 1.5 h on Friday, 2.5 h on Monday morning → 10:30 */
  expect_due(cal, hours4, "2017-03-10T15:30:00+07:00", -1, "2017-03-13",
             "2017-03-13T10:30:00+07:00");
  /* 4 office hours from 10:00 run over lunch to 15:00 */
  expect_due(cal, hours4, "2017-03-13T10:00:00+07:00", -1, "2017-03-13",
             "2017-03-13T15:00:00+07:00");
  /* Giỗ Tổ: Mon 3/4 + 5 working days = Tue 11/4 */
  expect_due(cal, five, "2017-04-03T08:30:00+07:00", -1, "2017-04-11", NULL);
  /* what is left of a stopped clock, and a clock that resumes with it */
  kc_cal_day due;
  assert_int_equal(kc_cal_parse_date("2017-03-13", 10, &due), KC_CAL_OK);
  assert_int_equal(kc_limit_left(cal, &five, at("2017-03-09T10:00:00+07:00"), due, 0), 2);
  assert_int_equal(kc_limit_left(cal, &five, at("2017-03-14T10:00:00+07:00"), due, 0), 0);
  expect_due(cal, five, "2017-03-13T09:00:00+07:00", 2, "2017-03-15", NULL);
  /* results against the due day */
  assert_string_equal(kc_limit_result(&five, at("2017-03-10T16:00:00+07:00"), due, 0), "early");
  assert_string_equal(kc_limit_result(&five, at("2017-03-13T16:59:00+07:00"), due, 0), "on_time");
  assert_string_equal(kc_limit_result(&five, at("2017-03-14T08:00:00+07:00"), due, 0), "late");
  int64_t due_at = at("2017-03-13T10:30:00+07:00");
  assert_string_equal(kc_limit_result(&hours4, at("2017-03-13T10:30:00+07:00"), due, due_at),
                      "on_time");
  assert_string_equal(kc_limit_result(&hours4, at("2017-03-13T10:31:00+07:00"), due, due_at),
                      "late");
  kc_workcal_release(c, w);
  kc_workcal_cache_free(c);
}

static json_t *receive(fx *f, kc_workcal_cache *c, int64_t proc, const char *when)
{
  kc_dossier_in in = {.procedure_id = proc, .has_applicant = true, .received_at = when};
  in.applicant.name = "Nguyễn Văn An";
  json_t *d = NULL;
  kc_err e = kc_dossier_receive(&f->ctx, c, &in, &d);
  if (e)
    print_error("receive: %s %s\n", kc_err_code(e), f->ctx.err_message ? f->ctx.err_message : "");
  expect_err(e, KC_OK);
  return d;
}

static const char *due_of(fx *f, json_t *d)
{
  json_t *now = NULL;
  expect_err(kc_dossier_get(&f->ctx, fx_jint(d, "id"), &now), KC_OK);
  const char *s = kc_arena_strdup(&f->arena, fx_jstr(now, "due_date"));
  json_decref(now);
  return s;
}

static void test_calendar_edit_moves_open_dossiers(void **state)
{
  fx *f = *state;
  kc_workcal_cache *c = kc_workcal_cache_new();
  kc_workcal_release(c, calendar(f, c));
  const char *data = getenv("KC_DATA_DIR");
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/onestop", data);
  int n = 0;
  expect_err(kc_onestop_rules_seed(&f->ctx, dir, &n), KC_OK);
  expect_i64(n, 3);
  f->ctx.now = at("2017-06-05T11:00:00+07:00");
  /* the system acts (the fixture's admin has no account row for the dossiers' references) */
  f->ctx.actor = NULL;
  json_t *pin =
      json_pack("{ss ss sI si ss}", "code", "KT.9", "name", "Thủ tục kiểm thử", "unit_id",
                (json_int_t)fx_unit_id(f, "HN-D01"), "processing_days", 5, "day_kind", "working");
  json_t *p = NULL;
  kc_procedure_in in;
  expect_err(kc_procedure_in_from_json(&f->ctx, pin, true, &in), KC_OK);
  expect_err(kc_procedure_create(&f->ctx, &in, &p), KC_OK);
  json_decref(pin);
  int64_t proc = fx_jint(p, "id");
  json_decref(p);
  /* Mon 5/6 + 5 working days = Mon 12/6, for both */
  json_t *a = receive(f, c, proc, "2017-06-05T09:00:00+07:00");
  json_t *b = receive(f, c, proc, "2017-06-05T09:30:00+07:00");
  assert_string_equal(fx_jstr(a, "due_date"), "2017-06-12");
  /* b's appointment is moved by an apology: an explicit date the calendar does not move */
  kc_dossier_act_in ap = {
      .version = KC_DOSSIER_ANY_VERSION, .reason = "Chờ ý kiến", .new_due_date = "2017-06-14"};
  json_t *bx = NULL;
  expect_err(kc_dossier_act(&f->ctx, c, fx_jint(b, "id"), "apology", &ap, &bx), KC_OK);
  json_decref(bx);
  /* the city declares Fri 9/6/2017 a day off */
  int64_t audits = fx_count_audit(f);
  kc_workcal_entry_in e = {.day = "2017-06-09", .kind = "off", .name = "Nghỉ bù (kiểm thử)"};
  json_t *ej = NULL;
  kc_err err = kc_workcal_entry_create(&f->ctx, &e, &ej);
  if (err)
    print_error("entry: %s\n", f->ctx.err_message ? f->ctx.err_message : "");
  expect_err(err, KC_OK);
  json_decref(ej);
  assert_string_equal(due_of(f, a), "2017-06-13");
  assert_string_equal(due_of(f, b), "2017-06-14");
  /* the calendar edit and the one dossier it moved */
  expect_i64(fx_count_audit(f), audits + 2);
  fx_expect_last_audit(f, "recompute_due", "dossier", fx_jint(a, "id"));
  /* and a dossier received after the edit counts with the new calendar at once */
  json_t *x = receive(f, c, proc, "2017-06-05T10:00:00+07:00");
  assert_string_equal(fx_jstr(x, "due_date"), "2017-06-13");
  json_decref(x);
  json_decref(a);
  json_decref(b);
  kc_workcal_cache_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_limits, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_calendar_edit_moves_open_dossiers, fx_setup,
                                      fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
