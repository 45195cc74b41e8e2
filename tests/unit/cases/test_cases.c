/* test_cases.c: the case engine (src/domain/cases) driven through a small kind made for the
 * tests, "inquiry": received as "new", acknowledged ("open"), suspended and continued
 * ("waiting"), extended, transferred, closed. Two clocks: "ack" (3 calendar days, a last day
 * off moves forward) and "answer" (5 working days). Against a real migrated SQLite file
 * holding the Hanoi units of 2017; "now" starts on Thu 1 June 2017, 09:00. */
#include "../domain/fixture.h"
#include "base/clock.h"
#include "domain/cases/case.h"
#include "domain/core/lclock.h"
#include "domain/core/notice.h"
#include "domain/core/workcal.h"
#include "domain/org/account.h"
#include "domain/org/official.h"
#include <stdlib.h>

#define PASSWORD "mat-khau-du-dai-2017"

static const char *const S_NEW[] = {"new", NULL};
static const char *const S_OPEN[] = {"open", NULL};
static const char *const S_WAITING[] = {"waiting", NULL};
static const char *const S_NEW_OPEN[] = {"new", "open", NULL};
static const char *const S_OPEN_WAITING[] = {"open", "waiting", NULL};
static const char *const C_ACK[] = {"ack", NULL};
static const char *const C_ANSWER[] = {"answer", NULL};
static const char *const C_BOTH[] = {"ack", "answer", NULL};
static const char *const CHANNELS[] = {"web", "post", "hotline", NULL};

#define HEAD KC_CASE_ROLE(KC_ROLE_UNIT_HEAD)
#define OFFICER KC_CASE_ROLE(KC_ROLE_OFFICER)
#define ADMIN KC_CASE_ROLE(KC_ROLE_ADMIN)

static const kc_case_state states[] = {
    {"new", "Mới tiếp nhận", false},    {"open", "Đang xử lý", false},
    {"waiting", "Tạm đình chỉ", false}, {"closed", "Đã trả lời", true},
    {"dropped", "Không thụ lý", true},
};
static const kc_case_clock clocks[] = {
    {"ack", "Hạn thông báo thụ lý", "test.ack", 1},
    {"answer", "Hạn trả lời", "test.answer", 2},
};
static const kc_case_field fields[] = {
    {"channel", "Kênh tiếp nhận", KC_CASE_ENUM, true, 0, CHANNELS},
    {"sender", "Người gửi", KC_CASE_STRING, true, 200, NULL},
    {"pages", "Số trang", KC_CASE_INT, false, 500, NULL},
    {"received_on", "Ngày trên dấu bưu điện", KC_CASE_DATE, false, 0, NULL},
};
static const kc_case_transition transitions[] = {
    {.action = "acknowledge",
     .name = "Thông báo thụ lý",
     .from = S_NEW,
     .to = "open",
     .roles = OFFICER | HEAD,
     .end = C_ACK},
    {.action = "suspend",
     .name = "Tạm đình chỉ",
     .from = S_OPEN,
     .to = "waiting",
     .roles = HEAD,
     .pause = C_ANSWER,
     .note_required = true},
    {.action = "continue",
     .name = "Tiếp tục giải quyết",
     .from = S_WAITING,
     .to = "open",
     .roles = HEAD,
     .resume = C_ANSWER},
    {.action = "restart",
     .name = "Giải quyết lại từ đầu",
     .from = S_WAITING,
     .to = "open",
     .roles = HEAD,
     .start = C_ANSWER},
    {.action = "extend",
     .name = "Gia hạn",
     .from = S_OPEN_WAITING,
     .roles = HEAD,
     .extend = "answer",
     .extend_count = 3,
     .note_required = true},
    {.action = "transfer",
     .name = "Chuyển đơn vị",
     .from = S_NEW_OPEN,
     .roles = HEAD | ADMIN,
     .assign = true},
    {.action = "close",
     .name = "Trả lời",
     .from = S_OPEN,
     .to = "closed",
     .roles = OFFICER | HEAD,
     .end = C_ANSWER},
    {.action = "drop", .name = "Không thụ lý", .from = S_NEW, .to = "dropped", .roles = HEAD},
};
static const kc_case_kind inquiry = {
    .code = "inquiry",
    .name = "Đơn hỏi (kiểm thử)",
    .initial = "new",
    .create_roles = OFFICER | HEAD | ADMIN,
    .create_start = C_BOTH,
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .clocks = clocks,
    .nclocks = sizeof clocks / sizeof *clocks,
    .fields = fields,
    .nfields = sizeof fields / sizeof *fields,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
};

static const char rules_json[] =
    "{\"rules\":["
    "{\"code\":\"test.ack\",\"version\":1,\"unit\":\"calendar_days\",\"count\":3,"
    "\"start\":\"day_after\",\"roll_forward\":true,\"source\":\"Quy định kiểm thử, Điều 1\","
    "\"valid_from\":\"2000-01-01\"},"
    "{\"code\":\"test.answer\",\"version\":1,\"unit\":\"working_days\",\"count\":5,"
    "\"start\":\"day_after\",\"roll_forward\":true,\"source\":\"Quy định kiểm thử, Điều 2\","
    "\"valid_from\":\"2000-01-01\"},"
    "{\"code\":\"test.reply\",\"version\":1,\"unit\":\"calendar_days\",\"count\":9,"
    "\"start\":\"day_after\",\"roll_forward\":false,\"source\":\"Quy định kiểm thử, Điều 3\","
    "\"valid_from\":\"2000-01-01\"}]}";

typedef struct tx {
  fx *f;
  kc_lc_rules *rules;
  kc_workcal_cache *cal;
  int64_t d01, d02, city;
  int64_t officer_acc, head_acc, city_head_acc, other_acc;
  kc_actor officer, head, other, supervisor, public_;
} tx;

static int64_t at(const char *iso)
{
  int64_t t = 0;
  assert_int_equal(kc_time_parse_iso(iso, &t), KC_OK);
  return t;
}

static int64_t make_account(fx *f, const char *username, const char *role, int64_t unit)
{
  const kc_actor *saved = f->ctx.actor;
  f->ctx.actor = &f->admin;
  json_t *a = NULL;
  kc_account_in in = {
      .username = username, .password = PASSWORD, .role = role, .unit_id = unit, .disabled = -1};
  expect_call(f, kc_account_create(&f->ctx, &in, &a), KC_OK);
  int64_t id = fx_jint(a, "id");
  json_decref(a);
  f->ctx.actor = saved;
  return id;
}

static int setup(void **state)
{
  if (fx_setup(state))
    return -1;
  fx *f = *state;
  tx *t = calloc(1, sizeof *t);
  t->f = f;
  json_t *doc = json_loads(rules_json, 0, NULL);
  char *msg = NULL;
  kc_err e = kc_lc_rules_from_json(doc, "test", &t->rules, &msg);
  json_decref(doc);
  if (e) {
    print_error("rules: %s\n", msg ? msg : "");
    free(msg);
    return -1;
  }
  kc_case_kinds_reset();
  kc_case_use_rules(t->rules);
  e = kc_case_kind_register(&inquiry, &msg);
  if (e) {
    print_error("kind: %s\n", msg ? msg : "");
    free(msg);
    return -1;
  }
  t->cal = kc_workcal_cache_new();
  f->ctx.workcal = t->cal;
  t->d01 = fx_unit_id(f, "HN-D01");
  t->d02 = fx_unit_id(f, "HN-D02");
  t->city = fx_unit_id(f, "HN");
  t->officer_acc = make_account(f, "canbo.d01", "officer", t->d01);
  t->head_acc = make_account(f, "truong.d01", "unit_head", t->d01);
  t->city_head_acc = make_account(f, "truong.hn", "unit_head", t->city);
  t->other_acc = make_account(f, "canbo.d02", "officer", t->d02);
  fx_actor(f, &t->officer, KC_ROLE_OFFICER, "HN-D01", t->officer_acc, "canbo.d01");
  fx_actor(f, &t->head, KC_ROLE_UNIT_HEAD, "HN-D01", t->head_acc, "truong.d01");
  fx_actor(f, &t->other, KC_ROLE_OFFICER, "HN-D02", t->other_acc, "canbo.d02");
  fx_actor(f, &t->supervisor, KC_ROLE_SUPERVISOR, "HN-S02", 0, "giamsat");
  fx_actor(f, &t->public_, KC_ROLE_PUBLIC, "HN", 0, "congdan");
  f->ctx.now = at("2017-06-01T09:00:00+07:00");
  *state = t;
  return 0;
}

static int teardown(void **state)
{
  tx *t = *state;
  if (!t)
    return 0;
  kc_case_kinds_reset();
  kc_case_use_rules(NULL);
  kc_lc_rules_free(t->rules);
  void *fs = t->f;
  int rc = fx_teardown(&fs);
  kc_workcal_cache_free(t->cal);
  free(t);
  return rc;
}

/* Receives an inquiry as the D01 officer. */
static json_t *receive(tx *t, const char *title)
{
  fx *f = t->f;
  f->ctx.actor = &t->officer;
  json_t *flds = json_pack("{ss ss}", "channel", "post", "sender", "Nguyễn Văn A");
  kc_case_in in = {.kind = "inquiry", .title = title, .fields = flds, .note = "Nhận qua bưu điện"};
  json_t *c = NULL;
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_OK);
  json_decref(flds);
  return c;
}

static json_t *act(tx *t, const kc_actor *who, json_t *c, const char *action, const char *note,
                   kc_err expected)
{
  fx *f = t->f;
  f->ctx.actor = who;
  kc_case_act_in in = {.action = action, .version = fx_jint(c, "version"), .note = note};
  json_t *out = NULL;
  expect_call(f, kc_case_act(&f->ctx, fx_jint(c, "id"), &in, &out), expected);
  return out;
}

/* The clock with this code in a case record. */
static json_t *clock_of(json_t *c, const char *code)
{
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(c, "clocks"), i,
                     k) if (!strcmp(fx_jstr(k, "code"), code)) return k;
  print_error("no clock %s\n", code);
  fail();
  return NULL;
}

static void expect_jstr(json_t *o, const char *key, const char *want)
{
  json_t *v = json_object_get(o, key);
  if (!json_is_string(v) || strcmp(json_string_value(v), want)) {
    char *d = json_dumps(v, JSON_ENCODE_ANY);
    print_error("%s is %s, expected \"%s\"\n", key, d ? d : "(absent)", want);
    free(d);
    fail();
  }
}

static void expect_bool(json_t *o, const char *key, bool want)
{
  json_t *v = json_object_get(o, key);
  if (!json_is_boolean(v) || json_is_true(v) != want) {
    print_error("%s is %s, expected %s\n", key, json_is_true(v) ? "true" : "false/absent",
                want ? "true" : "false");
    fail();
  }
}

static void test_kind_checks(void **state)
{
  tx *t = *state;
  (void)t;
  char *msg = NULL;
  /* registering the same code twice, and kinds that point at what they do not declare */
  expect_err(kc_case_kind_register(&inquiry, &msg), KC_EFIELD);
  expect_contains(msg, "đã được đăng ký");
  free(msg);
  static const char *const bad_list[] = {"nowhere", NULL};
  kc_case_transition tr = transitions[0];
  tr.to = "nowhere";
  kc_case_kind k = inquiry;
  k.code = "inquiry2";
  k.transitions = &tr;
  k.ntransitions = 1;
  expect_err(kc_case_kind_register(&k, &msg), KC_EFIELD);
  expect_contains(msg, "to: trạng thái \"nowhere\"");
  free(msg);
  tr = transitions[0];
  tr.pause = bad_list;
  expect_err(kc_case_kind_register(&k, &msg), KC_EFIELD);
  expect_contains(msg, "pause: đồng hồ \"nowhere\"");
  free(msg);
  kc_case_clock cl[] = {{"ack", "Hạn", "no.such.rule", -1}};
  k = inquiry;
  k.code = "inquiry3";
  k.clocks = cl;
  k.nclocks = 1;
  k.create_start = C_ACK;
  k.ntransitions = 0;
  expect_err(kc_case_kind_register(&k, &msg), KC_EFIELD);
  expect_contains(msg, "no.such.rule");
  free(msg);
  /* from JSON: the member that is wrong is named */
  json_t *j = json_loads("{\"code\":\"j\",\"name\":\"J\",\"initial\":\"a\",\"create\":{\"roles\":"
                         "[\"officer\"]},\"states\":[{\"code\":\"a\",\"name\":\"A\"}],"
                         "\"transitions\":[{\"action\":\"x\",\"name\":\"X\",\"from\":[\"a\"],"
                         "\"roles\":[\"mayor\"]}]}",
                         0, NULL);
  expect_err(kc_case_kind_register_json(j, "j.json", &msg), KC_EFIELD);
  expect_contains(msg, "j.json: transitions[0].roles[0]: vai trò không rõ");
  free(msg);
  json_decref(j);
  /* a misspelt member is refused, not ignored */
  j = json_loads("{\"code\":\"j\",\"name\":\"J\",\"initial\":\"a\",\"create\":{\"roles\":"
                 "[\"officer\"]},\"states\":[{\"code\":\"a\",\"name\":\"A\"}],"
                 "\"transitions\":[{\"action\":\"x\",\"name\":\"X\",\"from\":[\"a\"],"
                 "\"roles\":[\"officer\"],\"note_require\":true}]}",
                 0, NULL);
  expect_err(kc_case_kind_register_json(j, "j.json", &msg), KC_EFIELD);
  expect_contains(msg, "transitions[0]: thuộc tính \"note_require\"");
  free(msg);
  json_decref(j);
  assert_null(kc_case_kind_find("j"));
  assert_null(kc_case_kind_find("inquiry2"));
  assert_non_null(kc_case_kind_find("inquiry"));
}

/* The shipped kinds load against the shipped rules. */
static void test_shipped_kinds(void **state)
{
  tx *t = *state;
  (void)t;
  const char *data = getenv("KC_DATA_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/clocks/feedback.json", data);
  kc_lc_rules *rs = NULL;
  char *msg = NULL;
  kc_err e = kc_lc_rules_load(path, &rs, &msg);
  if (e)
    print_error("%s\n", msg ? msg : "");
  expect_err(e, KC_OK);
  kc_case_kinds_reset();
  kc_case_use_rules(rs);
  snprintf(path, sizeof path, "%s/case-kinds", data);
  e = kc_case_kinds_load(path, &msg);
  if (e)
    print_error("%s\n", msg ? msg : "");
  expect_err(e, KC_OK);
  const kc_case_kind *k = kc_case_kind_find("feedback");
  assert_non_null(k);
  assert_string_equal(k->initial, "received");
  json_t *all = kc_case_kinds_json();
  json_t *fb = json_array_get(json_object_get(all, "items"), 0);
  expect_jstr(fb, "code", "feedback");
  json_t *c0 = json_array_get(json_object_get(fb, "clocks"), 0);
  expect_jstr(c0, "unit", "working_days");
  expect_contains(fx_jstr(c0, "source"), "20/2008");
  json_decref(all);
  kc_case_kinds_reset();
  kc_case_use_rules(NULL);
  kc_lc_rules_free(rs);
}

static void test_flow_with_clocks(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  int64_t audits = fx_count_audit(f);
  json_t *c = receive(t, "Hỏi về thủ tục cấp phép xây dựng");
  int64_t id = fx_jint(c, "id");
  expect_jstr(c, "state", "new");
  expect_jstr(c, "state_name", "Mới tiếp nhận");
  expect_i64(fx_jint(c, "version"), 1);
  expect_i64(fx_jint(c, "unit_id"), t->d01);
  /* ack: 3 calendar days from the day after Thu 1/6 ends Sun 4/6, a day off: Mon 5/6.
   * answer: 5 working days after Thu 1/6: Thu 8/6. The case shows the earliest. */
  json_t *ack = clock_of(c, "ack"), *ans = clock_of(c, "answer");
  expect_jstr(ack, "due_date", "2017-06-05");
  expect_jstr(ack, "state", "running");
  expect_jstr(ack, "name", "Hạn thông báo thụ lý");
  expect_jstr(json_object_get(ack, "rule"), "code", "test.ack");
  expect_jstr(ans, "due_date", "2017-06-08");
  expect_jstr(c, "due_date", "2017-06-05");
  expect_bool(c, "overdue", false);
  expect_bool(c, "due_soon", false);
  fx_expect_last_audit(f, "create", "case", id);
  expect_i64(fx_count_audit(f), audits + 1);
  /* what the officer may do now */
  json_t *acts = json_object_get(c, "actions");
  expect_i64(json_array_size(acts), 1);
  expect_jstr(json_array_get(acts, 0), "action", "acknowledge");

  /* refusals, nothing written: wrong role, stale version, wrong state, unknown action */
  json_t *x = act(t, &t->officer, c, "suspend", "Chờ kết quả giám định", KC_EFORBIDDEN);
  assert_null(x);
  f->ctx.actor = &t->head;
  kc_case_act_in stale = {.action = "acknowledge", .version = 7};
  expect_call(f, kc_case_act(&f->ctx, id, &stale, &x), KC_ECONFLICT);
  expect_field(f, "version");
  x = act(t, &t->head, c, "close", "Đã trả lời", KC_ECONFLICT);
  expect_field(f, "state");
  expect_contains(f->ctx.err_message, "Mới tiếp nhận");
  x = act(t, &t->head, c, "approve", NULL, KC_EFIELD);
  expect_field(f, "action");
  /* a unit outside the case's scope does not see it at all */
  x = act(t, &t->other, c, "acknowledge", NULL, KC_ENOTFOUND);
  expect_i64(fx_count_audit(f), audits + 1);

  /* acknowledged the same day: the ack clock ends early */
  json_t *c2 = act(t, &t->officer, c, "acknowledge", "Đã gửi thông báo thụ lý", KC_OK);
  json_decref(c);
  c = c2;
  expect_jstr(c, "state", "open");
  expect_i64(fx_jint(c, "version"), 2);
  expect_jstr(clock_of(c, "ack"), "state", "ended");
  expect_jstr(clock_of(c, "ack"), "result", "early");
  expect_jstr(c, "due_date", "2017-06-08");
  fx_expect_last_audit(f, "acknowledge", "case", id);

  /* Tue 6/6: two working days left on the answer clock: due soon */
  f->ctx.now = at("2017-06-06T09:00:00+07:00");
  f->ctx.actor = &t->head;
  expect_call(f, kc_case_get(&f->ctx, id, &c2), KC_OK);
  expect_bool(c2, "due_soon", true);
  expect_bool(clock_of(c2, "answer"), "due_soon", true);
  json_decref(c2);

  /* suspended Tue 6/6 09:00 (a note is required), continued Fri 9/6 09:00 */
  x = act(t, &t->head, c, "suspend", NULL, KC_EFIELD);
  expect_field(f, "note");
  c2 = act(t, &t->head, c, "suspend", "Chờ kết quả giám định", KC_OK);
  json_decref(c);
  c = c2;
  expect_jstr(c, "state", "waiting");
  expect_jstr(clock_of(c, "answer"), "state", "paused");
  /* a paused clock is neither overdue nor due soon, and the case has no running deadline */
  assert_true(json_is_null(json_object_get(c, "due_date")));
  expect_bool(c, "due_soon", false);
  f->ctx.now = at("2017-06-12T09:00:00+07:00"); /* past the unpaused due date */
  expect_call(f, kc_case_get(&f->ctx, id, &c2), KC_OK);
  expect_bool(c2, "overdue", false);
  json_decref(c2);
  f->ctx.now = at("2017-06-09T09:00:00+07:00");
  c2 = act(t, &t->head, c, "continue", NULL, KC_OK);
  json_decref(c);
  c = c2;
  ans = clock_of(c, "answer");
  expect_jstr(ans, "state", "running");
  /* the pause covered Tue 6, Wed 7, Thu 8 (three working days): Thu 8/6 + 3 = Tue 13/6 */
  expect_i64(fx_jint(ans, "paused_units"), 3);
  expect_jstr(ans, "due_date", "2017-06-13");
  expect_i64(json_array_size(json_object_get(ans, "pauses")), 1);

  /* extended by 3 working days: Fri 16/6 */
  c2 = act(t, &t->head, c, "extend", "Vụ việc phức tạp", KC_OK);
  json_decref(c);
  c = c2;
  ans = clock_of(c, "answer");
  expect_i64(fx_jint(ans, "extended_units"), 3);
  expect_jstr(ans, "due_date", "2017-06-16");
  expect_jstr(c, "state", "open");

  /* answered Mon 19/6: after the deadline, the clock ends late; the case is closed */
  f->ctx.now = at("2017-06-19T10:00:00+07:00");
  expect_call(f, kc_case_get(&f->ctx, id, &c2), KC_OK);
  expect_bool(c2, "overdue", true);
  json_decref(c2);
  c2 = act(t, &t->officer, c, "close", "Đã trả lời bằng văn bản số 12/UBND", KC_OK);
  json_decref(c);
  c = c2;
  expect_jstr(c, "state", "closed");
  expect_bool(c, "closed", true);
  assert_true(json_is_string(json_object_get(c, "closed_at")));
  expect_jstr(clock_of(c, "answer"), "result", "late");
  expect_bool(c, "overdue", false);
  expect_i64(json_array_size(json_object_get(c, "actions")), 0);
  x = act(t, &t->head, c, "extend", "Gia hạn thêm", KC_ECONFLICT);
  expect_field(f, "state");

  /* the history: every action, who, the note */
  json_t *ev = json_object_get(c, "events");
  expect_i64(json_array_size(ev), 6);
  expect_jstr(json_array_get(ev, 0), "action", "create");
  expect_jstr(json_array_get(ev, 0), "by", "canbo.d01");
  expect_jstr(json_array_get(ev, 2), "action", "suspend");
  expect_jstr(json_array_get(ev, 2), "by", "truong.d01");
  expect_jstr(json_array_get(ev, 2), "note", "Chờ kết quả giám định");
  expect_jstr(json_array_get(ev, 2), "from_state", "open");
  expect_jstr(json_array_get(ev, 2), "to_state", "waiting");
  expect_jstr(json_array_get(ev, 5), "action", "close");
  /* one audit record per change, and the chain holds */
  expect_i64(fx_count_audit(f), audits + 6);
  fx_expect_last_audit(f, "close", "case", id);
  fx_expect_chain_ok(f, audits + 6);
  json_decref(c);
}

static void test_restart_after_suspension(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  json_t *c = receive(t, "Đơn khiếu nại tạm đình chỉ");
  json_t *c2 = act(t, &t->officer, c, "acknowledge", NULL, KC_OK);
  json_decref(c);
  f->ctx.now = at("2017-06-02T09:00:00+07:00");
  c = act(t, &t->head, c2, "suspend", "Chờ kết quả tố tụng", KC_OK);
  json_decref(c2);
  /* the decision to continue restarts the clock from its own day (Decree 155/2026): 5
   * working days after Wed 14/6 = Wed 21/6, with no pause counted */
  f->ctx.now = at("2017-06-14T09:00:00+07:00");
  c2 = act(t, &t->head, c, "restart", "Quyết định tiếp tục giải quyết", KC_OK);
  json_t *ans = clock_of(c2, "answer");
  expect_jstr(ans, "due_date", "2017-06-21");
  expect_i64(fx_jint(ans, "paused_units"), 0);
  expect_i64(json_array_size(json_object_get(ans, "pauses")), 0);
  json_decref(c);
  json_decref(c2);
}

static void test_fields_and_scope(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  f->ctx.actor = &t->officer;
  json_t *c = NULL;
  struct {
    const char *fields, *field;
  } bad[] = {
      {"{\"sender\":\"A\"}", "fields.channel"},
      {"{\"channel\":\"fax\",\"sender\":\"A\"}", "fields.channel"},
      {"{\"channel\":\"web\"}", "fields.sender"},
      {"{\"channel\":\"web\",\"sender\":\"A\",\"pages\":501}", "fields.pages"},
      {"{\"channel\":\"web\",\"sender\":\"A\",\"received_on\":\"2017-02-30\"}",
       "fields.received_on"},
      {"{\"channel\":\"web\",\"sender\":\"A\",\"colour\":\"red\"}", "fields.colour"},
  };
  int64_t audits = fx_count_audit(f);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    json_t *j = json_loads(bad[i].fields, 0, NULL);
    kc_case_in in = {.kind = "inquiry", .title = "Đơn", .fields = j};
    expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_EFIELD);
    expect_field(f, bad[i].field);
    json_decref(j);
  }
  kc_case_in in = {.kind = "nosuch", .title = "Đơn"};
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_EFIELD);
  expect_field(f, "kind");
  /* an officer of D01 cannot receive for D02, nor can a citizen receive at all */
  json_t *ok = json_pack("{ss ss}", "channel", "web", "sender", "B");
  in = (kc_case_in){.kind = "inquiry", .title = "Đơn", .fields = ok, .unit_id = t->d02};
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_EFORBIDDEN);
  f->ctx.actor = &t->public_;
  in.unit_id = 0;
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_EFORBIDDEN);
  /* links must point at records that exist */
  f->ctx.actor = &t->officer;
  kc_case_link_in links[] = {{"official", 999999, NULL}};
  in = (kc_case_in){.kind = "inquiry", .title = "Đơn", .fields = ok, .links = links, .nlinks = 1};
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_EFIELD);
  expect_field(f, "links");
  expect_i64(fx_count_audit(f), audits);
  /* a good one, linked to a unit and a document */
  kc_case_link_in good[] = {{"unit", t->d02, "Đơn vị liên quan"}, {"document", 42, NULL}};
  in.links = good;
  in.nlinks = 2;
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_OK);
  json_decref(ok);
  int64_t id = fx_jint(c, "id");
  expect_i64(json_array_size(json_object_get(c, "links")), 2);
  expect_jstr(json_array_get(json_object_get(c, "links"), 0), "kind", "unit");
  json_decref(c);

  /* lists: the unit sees its cases, another unit none, the supervisor all */
  kc_case_filter flt = {.overdue = -1, .limit = 50};
  json_t *items = NULL;
  int64_t total = 0;
  expect_call(f, kc_case_list(&f->ctx, &flt, &items, &total), KC_OK);
  expect_i64(total, 1);
  expect_i64(fx_jint(json_array_get(items, 0), "id"), id);
  json_decref(items);
  f->ctx.actor = &t->other;
  expect_call(f, kc_case_list(&f->ctx, &flt, &items, &total), KC_OK);
  expect_i64(total, 0);
  json_decref(items);
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_ENOTFOUND);
  f->ctx.actor = &t->supervisor;
  expect_call(f, kc_case_list(&f->ctx, &flt, &items, &total), KC_OK);
  expect_i64(total, 1);
  json_decref(items);
  f->ctx.actor = &t->public_;
  expect_call(f, kc_case_list(&f->ctx, &flt, &items, &total), KC_EFORBIDDEN);

  /* transferred to D02 by the D01 head? Outside the head's subtree: refused. By the admin:
   * D02 sees it now and D01 (the owner) still does */
  f->ctx.actor = &t->head;
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  kc_case_act_in tr = {.action = "transfer", .version = fx_jint(c, "version"), .unit_id = t->d02};
  json_t *c2 = NULL;
  expect_call(f, kc_case_act(&f->ctx, id, &tr, &c2), KC_EFORBIDDEN);
  expect_field(f, "unit_id");
  f->ctx.actor = &f->admin;
  expect_call(f, kc_case_act(&f->ctx, id, &tr, &c2), KC_OK);
  expect_i64(fx_jint(c2, "unit_id"), t->d02);
  json_decref(c2);
  json_decref(c);
  f->ctx.actor = &t->other;
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  json_decref(c);
  f->ctx.actor = &t->officer;
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  json_decref(c);
  /* mine: what the actor's unit subtree handles; D01 received it but no longer handles it */
  kc_case_filter own = {.overdue = -1, .mine = true, .limit = 50};
  expect_call(f, kc_case_list(&f->ctx, &own, &items, &total), KC_OK);
  expect_i64(total, 0);
  expect_i64(json_array_size(items), 0);
  json_decref(items);
  expect_call(f, kc_case_list(&f->ctx, &flt, &items, &total), KC_OK);
  expect_i64(total, 1);
  json_decref(items);
  f->ctx.actor = &t->other;
  expect_call(f, kc_case_list(&f->ctx, &own, &items, &total), KC_OK);
  expect_i64(total, 1);
  expect_i64(fx_jint(json_array_get(items, 0), "id"), id);
  json_decref(items);
  /* a city-wide account sees every case, but none is its unit's when it has no unit */
  kc_actor nounit = t->supervisor;
  nounit.unit_id = 0;
  nounit.unit_path = NULL;
  f->ctx.actor = &nounit;
  expect_call(f, kc_case_list(&f->ctx, &own, &items, &total), KC_OK);
  expect_i64(total, 0);
  json_decref(items);
  expect_call(f, kc_case_list(&f->ctx, &flt, &items, &total), KC_OK);
  expect_i64(total, 1);
  json_decref(items);
  f->ctx.actor = &t->officer;
  /* an action that does not assign refuses an assignment */
  kc_case_act_in ack = {.action = "acknowledge", .version = 2, .unit_id = t->d01};
  expect_call(f, kc_case_act(&f->ctx, id, &ack, &c), KC_EFIELD);
  expect_field(f, "unit_id");
}

static int64_t count_notices(fx *f, int64_t case_id, const char *kind, int64_t account)
{
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->conn,
                             "SELECT COUNT(*) FROM notices WHERE case_id = ? AND kind = ? AND "
                             "(? = 0 OR account_id = ?) AND channel = 'inbox'",
                             &s),
             KC_OK);
  kc_stmt_bind_i64(s, 1, case_id);
  kc_stmt_bind_text(s, 2, kind, -1);
  kc_stmt_bind_i64(s, 3, account);
  kc_stmt_bind_i64(s, 4, account);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  int64_t n = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return n;
}

static int plan(tx *t)
{
  fx *f = t->f;
  kc_workcal *w;
  expect_err(kc_workcal_acquire(&f->ctx, t->cal, &w), KC_OK);
  kc_prod_rules rules = {.overdue_every = 2, .escalate_after = 3, .public_url = "http://kc"};
  int created = -1;
  f->ctx.actor = NULL;
  expect_call(f, kc_case_plan_notices(&f->ctx, kc_workcal_get(w), &rules, &created), KC_OK);
  kc_workcal_release(t->cal, w);
  return created;
}

static void test_reminders_and_escalation(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  json_t *c = receive(t, "Kiến nghị về chiếu sáng");
  int64_t id = fx_jint(c, "id");
  json_t *c2 = act(t, &t->officer, c, "acknowledge", NULL, KC_OK);
  json_decref(c);
  json_decref(c2);
  /* Thu 1/6: nothing due soon yet (answer due Thu 8/6, due soon from Tue 6/6) */
  expect_i64(plan(t), 0);
  /* Tue 6/6: a reminder to D01's officer and head (the city head hears nothing) */
  f->ctx.now = at("2017-06-06T08:00:00+07:00");
  expect_i64(plan(t), 2);
  expect_i64(count_notices(f, id, "reminder", t->officer_acc), 1);
  expect_i64(count_notices(f, id, "reminder", t->head_acc), 1);
  expect_i64(count_notices(f, id, "reminder", t->city_head_acc), 0);
  /* a second pass the same day sends nothing again */
  expect_i64(plan(t), 0);
  /* on the due day, one more reminder each */
  f->ctx.now = at("2017-06-08T08:00:00+07:00");
  expect_i64(plan(t), 2);
  /* Fri 9/6: overdue by one working day: an overdue notice to the unit, no escalation yet */
  f->ctx.now = at("2017-06-09T08:00:00+07:00");
  expect_i64(plan(t), 2);
  expect_i64(count_notices(f, id, "overdue", 0), 2);
  expect_i64(count_notices(f, id, "escalation", 0), 0);
  /* Sat 10/6 is no working day: the scheduler rests */
  f->ctx.now = at("2017-06-10T08:00:00+07:00");
  expect_i64(plan(t), 0);
  /* Wed 14/6: four working days overdue: the overdue notice of the second period, and an
   * escalation to the head above (the city's), the head of the unit that received it, and
   * the officer who received it */
  f->ctx.now = at("2017-06-14T08:00:00+07:00");
  int n = plan(t);
  expect_i64(count_notices(f, id, "escalation", t->city_head_acc), 1);
  expect_i64(count_notices(f, id, "escalation", t->head_acc), 1);
  expect_i64(count_notices(f, id, "escalation", t->officer_acc), 1);
  expect_i64(count_notices(f, id, "overdue", 0), 4);
  expect_i64(n, 5);
  expect_i64(plan(t), 0);
  /* the subject names the clock and the case */
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->conn,
                             "SELECT subject, body FROM notices WHERE case_id = ? AND kind = "
                             "'escalation' ORDER BY id LIMIT 1",
                             &s),
             KC_OK);
  kc_stmt_bind_i64(s, 1, id);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_contains(kc_stmt_text(s, 0), "UBND quận Ba Đình");
  expect_contains(kc_stmt_text(s, 1), "Kiến nghị về chiếu sáng");
  expect_contains(kc_stmt_text(s, 1), "Hạn trả lời");
  kc_stmt_reset(s);
  /* a closed case is prodded no more */
  f->ctx.actor = &t->officer;
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  c2 = act(t, &t->officer, c, "close", "Đã trả lời", KC_OK);
  json_decref(c);
  json_decref(c2);
  f->ctx.now = at("2017-06-16T08:00:00+07:00");
  expect_i64(plan(t), 0);
}

/* A unit nobody has an account in yet: its reminders go to the side above, saying so. */
static void test_unreached_unit(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  f->ctx.actor = &f->admin;
  json_t *flds = json_pack("{ss ss}", "channel", "web", "sender", "C");
  kc_case_in in = {.kind = "inquiry",
                   .title = "Đơn gửi Tây Hồ",
                   .fields = flds,
                   .unit_id = fx_unit_id(f, "HN-D03")};
  json_t *c = NULL;
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_OK);
  json_decref(flds);
  int64_t id = fx_jint(c, "id");
  json_decref(c);
  /* Sat 3/6 is the ack clock's day soon (due Mon 5/6, one working day): the pass of Fri 2/6 */
  f->ctx.now = at("2017-06-02T08:00:00+07:00");
  expect_i64(plan(t), 1);
  expect_i64(count_notices(f, id, "reminder", t->city_head_acc), 1);
  kc_stmt *s;
  bool row;
  expect_err(kc_stmt_prepare(f->conn, "SELECT subject FROM notices WHERE case_id = ?", &s), KC_OK);
  kc_stmt_bind_i64(s, 1, id);
  expect_err(kc_stmt_step(s, &row), KC_OK);
  assert_true(row);
  expect_contains(kc_stmt_text(s, 0), "UBND quận Tây Hồ chưa có tài khoản nhận thông báo");
  kc_stmt_reset(s);
  expect_i64(plan(t), 0);
}

static void test_calendar_change_recomputes(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  json_t *c = receive(t, "Đơn chờ lịch nghỉ");
  int64_t id = fx_jint(c, "id");
  expect_jstr(clock_of(c, "answer"), "due_date", "2017-06-08");
  int64_t version = fx_jint(c, "version");
  json_decref(c);
  /* the city declares Wed 7/6 a day off: the calendar edit recomputes through the registry
   * of dependants, and the answer clock moves to Fri 9/6 */
  f->ctx.actor = &f->admin;
  int64_t audits = fx_count_audit(f);
  kc_workcal_entry_in e = {.day = "2017-06-07", .kind = "off", .name = "Nghỉ (kiểm thử)"};
  json_t *ej = NULL;
  expect_call(f, kc_workcal_entry_create(&f->ctx, &e, &ej), KC_OK);
  json_decref(ej);
  fx_expect_last_audit(f, "recompute_due", "case", id);
  f->ctx.actor = &t->officer;
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  expect_jstr(clock_of(c, "answer"), "due_date", "2017-06-09");
  /* ack (calendar days, ending Mon 5/6) did not move */
  expect_jstr(clock_of(c, "ack"), "due_date", "2017-06-05");
  expect_i64(fx_jint(c, "version"), version + 1);
  /* the edit's own record and the case's */
  expect_i64(fx_count_audit(f), audits + 2);
  json_decref(c);
}

/* A clock may end on a day off (calendar days, no rolling forward): it is due soon from the
 * day the legal-clock module says, and overdue from the day after. */
static void test_due_soon_on_a_day_off(void **state)
{
  tx *t = *state;
  fx *f = t->f;
  static const char *const C_REPLY[] = {"reply", NULL};
  static const kc_case_state st[] = {{"open", "Mở", false}, {"done", "Xong", true}};
  static const kc_case_clock cl[] = {{"reply", "Hạn trả lời", "test.reply", 2}};
  static const kc_case_kind memo = {.code = "memo",
                                    .name = "Bản ghi nhớ (kiểm thử)",
                                    .initial = "open",
                                    .create_roles = OFFICER,
                                    .create_start = C_REPLY,
                                    .states = st,
                                    .nstates = 2,
                                    .clocks = cl,
                                    .nclocks = 1};
  char *msg = NULL;
  expect_err(kc_case_kind_register(&memo, &msg), KC_OK);
  f->ctx.actor = &t->officer;
  kc_case_in in = {.kind = "memo", .title = "Ghi nhớ"};
  json_t *c = NULL;
  expect_call(f, kc_case_create(&f->ctx, &in, &c), KC_OK);
  int64_t id = fx_jint(c, "id");
  /* 9 calendar days after Thu 1/6: Sat 10/6, kept (no rolling forward) */
  expect_jstr(clock_of(c, "reply"), "due_date", "2017-06-10");
  json_decref(c);
  kc_workcal *w;
  expect_err(kc_workcal_acquire(&f->ctx, t->cal, &w), KC_OK);
  const kc_lc_rule *rule = kc_lc_rules_version(t->rules, "test.reply", 1);
  kc_lc_deadline d = {.due_day = kc_cal_from_ymd(2017, 6, 10)};
  const char *days[] = {"2017-06-06", "2017-06-07", "2017-06-09", "2017-06-10", "2017-06-11"};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    f->ctx.now = at(kc_arena_printf(&f->arena, "%sT09:00:00+07:00", days[i]));
    kc_lc_state want = kc_lc_state_at(kc_workcal_get(w), rule, &d, f->ctx.now, 2);
    expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
    if (json_is_true(json_object_get(c, "due_soon")) != want.due_soon ||
        json_is_true(json_object_get(c, "overdue")) != want.overdue) {
      print_error("%s: due_soon %d overdue %d, the legal clock says %d %d\n", days[i],
                  json_is_true(json_object_get(c, "due_soon")),
                  json_is_true(json_object_get(c, "overdue")), want.due_soon, want.overdue);
      fail();
    }
    json_decref(c);
  }
  kc_workcal_release(t->cal, w);
  /* Tue 6/6: three working days (7, 8, 9) before Sat 10/6: not yet; Wed 7/6: due soon */
  f->ctx.now = at("2017-06-06T09:00:00+07:00");
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  expect_bool(c, "due_soon", false);
  json_decref(c);
  f->ctx.now = at("2017-06-07T09:00:00+07:00");
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  expect_bool(c, "due_soon", true);
  json_decref(c);
  f->ctx.now = at("2017-06-11T09:00:00+07:00");
  expect_call(f, kc_case_get(&f->ctx, id, &c), KC_OK);
  expect_bool(c, "overdue", true);
  json_decref(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_kind_checks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shipped_kinds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flow_with_clocks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_restart_after_suspension, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fields_and_scope, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reminders_and_escalation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unreached_unit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_calendar_change_recomputes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_due_soon_on_a_day_off, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
