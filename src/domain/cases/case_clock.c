/* case_clock.c: a case's legal clocks. Each is pinned at its start to the version of its
 * rule in force that day; its dates come from kc_lc_due over the start, the pauses and the
 * extensions stored beside it, and are computed again whenever one of them changes or the
 * working calendar does (kc_case_recompute, the legal-clock dependant "cases"). The case row
 * keeps the earliest dates of its running clocks for lists and the scheduler. */
#include "base/clock.h"
#include "domain/cases/case_priv.h"
#include "domain/org/audit.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAUSES 256
#define MAX_EXTENSIONS 64

kc_err kc_case__cal_acquire(kc_ctx *ctx, kc_case_cal *c)
{
  memset(c, 0, sizeof *c);
  c->cache = ctx->workcal;
  if (!c->cache)
    c->cache = c->own = kc_workcal_cache_new();
  kc_err e = kc_workcal_acquire(ctx, c->cache, &c->w);
  if (e) {
    kc_workcal_cache_free(c->own);
    memset(c, 0, sizeof *c);
    return e;
  }
  c->cal = kc_workcal_get(c->w);
  return KC_OK;
}

void kc_case__cal_release(kc_case_cal *c)
{
  if (c->w)
    kc_workcal_release(c->cache, c->w);
  kc_workcal_cache_free(c->own);
  memset(c, 0, sizeof *c);
}

/* One clock row. */
typedef struct clock_row {
  int64_t id, started_at, ended_at;
  const char *code, *rule_code, *state;
  int rule_version;
} clock_row;

enum { K_ID, K_CLOCK, K_RULE, K_VERSION, K_STATE, K_STARTED, K_ENDED };
#define CLOCK_COLS "id, clock, rule_code, rule_version, state, started_at, ended_at"

static kc_err load_clock(kc_ctx *ctx, int64_t case_id, const char *code, clock_row *r, bool *found)
{
  static const char q[] = "SELECT " CLOCK_COLS " FROM case_clocks WHERE case_id = ? AND clock = ?";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(case_id), KC_TXT(code));
  if (e)
    return e;
  e = kc_stmt_step(s, found);
  if (!e && *found) {
    r->id = kc_stmt_i64(s, K_ID);
    r->code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, K_CLOCK));
    r->rule_code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, K_RULE));
    r->rule_version = (int)kc_stmt_i64(s, K_VERSION);
    r->state = kc_arena_strdup(ctx->arena, kc_stmt_text(s, K_STATE));
    r->started_at = kc_stmt_i64(s, K_STARTED);
    r->ended_at = kc_stmt_is_null(s, K_ENDED) ? 0 : kc_stmt_i64(s, K_ENDED);
  }
  kc_stmt_reset(s);
  return e;
}

/* The clock's inputs from its rows: pauses and extensions (arena-owned arrays). */
static kc_err clock_inputs(kc_ctx *ctx, const clock_row *r, const kc_lc_rule *rule, kc_lc_clock *c)
{
  memset(c, 0, sizeof *c);
  c->rule = rule;
  c->started_at = r->started_at;
  kc_lc_pause *p = kc_arena_alloc(ctx->arena, MAX_PAUSES * sizeof *p);
  int *x = kc_arena_alloc(ctx->arena, MAX_EXTENSIONS * sizeof *x);
  static const char qp[] = "SELECT from_at, to_at FROM case_clock_pauses WHERE clock_id = ? "
                           "ORDER BY from_at, id";
  static const char qx[] = "SELECT units FROM case_clock_extensions WHERE clock_id = ? ORDER BY "
                           "id";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, qp, &s, KC_I64(r->id));
  if (e)
    return e;
  size_t np = 0, nx = 0;
  while (kc_case__next(s, &e) && np < MAX_PAUSES) {
    p[np].from = kc_stmt_i64(s, 0);
    p[np].to = kc_stmt_is_null(s, 1) ? 0 : kc_stmt_i64(s, 1);
    np++;
  }
  kc_stmt_reset(s);
  if (!e)
    e = kc_stmt_query(ctx->conn, qx, &s, KC_I64(r->id));
  if (e)
    return e;
  while (kc_case__next(s, &e) && nx < MAX_EXTENSIONS)
    x[nx++] = (int)kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  c->pauses = p;
  c->npauses = np;
  c->extensions = x;
  c->nextensions = nx;
  return e;
}

/* The rule a clock row is pinned to; a message when the rule set lost it. */
static kc_err pinned_rule(kc_ctx *ctx, const clock_row *r, const kc_lc_rule **out)
{
  const kc_lc_rules *rs = kc_case_rules();
  *out = rs ? kc_lc_rules_version(rs, r->rule_code, r->rule_version) : NULL;
  if (!*out)
    return kc_ctx_fail(ctx, KC_EINTERNAL, NULL, "Không còn quy định thời hạn %s phiên bản %d",
                       r->rule_code, r->rule_version);
  return KC_OK;
}

static int soon_days(const kc_ctx *ctx, const kc_case_kind *k, const char *code)
{
  const kc_case_clock *c = k ? kc_case__clock(k, code) : NULL;
  if (c && c->soon_days >= 0)
    return c->soon_days;
  return ctx->cfg ? ctx->cfg->due_soon_days : KC_DUE_SOON_DAYS_DEFAULT;
}

/* The first instants at which a deadline is overdue and due soon, as kc_lc_state_at judges
 * them: a day unit's period runs to the end of its last day (Civil Code Art 148(6)), working
 * hours end at their instant; a clock is due soon from the first day with at most `soon`
 * working days in (day, due day], the (soon+1)-th working day counted back from the due day
 * itself (the soon-th before it when the due day is a working day). Stored, so lists and the
 * scheduler compare instants. */
static void thresholds(const kc_cal_calendar *cal, const kc_lc_rule *rule, const kc_lc_deadline *d,
                       int soon, int64_t *overdue_at, int64_t *soon_at)
{
  *overdue_at =
      rule->unit == KC_LC_WORKING_HOURS ? d->due_at : kc_cal_instant_at(d->due_day + 1, 0);
  int back = soon + (kc_cal_is_workday(cal, d->due_day) ? 0 : 1);
  kc_cal_day from = d->due_day;
  if (back > 0 && kc_cal_add_workdays(cal, d->due_day, -back, &from) != KC_CAL_OK)
    from = d->due_day;
  *soon_at = kc_cal_instant_at(from, 0);
  if (*soon_at > *overdue_at)
    *soon_at = *overdue_at;
}

/* Computes a clock's dates and writes them; *changed (may be NULL) tells whether the due
 * date or instant moved. */
static kc_err compute(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                      const clock_row *r, bool *changed)
{
  const kc_lc_rule *rule;
  kc_err e = pinned_rule(ctx, r, &rule);
  kc_lc_clock c;
  if (!e)
    e = clock_inputs(ctx, r, rule, &c);
  kc_lc_deadline d;
  if (!e && kc_lc_due(cal, &c, &d) != KC_OK)
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Không tính được thời hạn %s: ngày nằm ngoài lịch",
                    r->code);
  if (e)
    return e;
  int64_t overdue_at, soon_at;
  thresholds(cal, rule, &d, soon_days(ctx, k, r->code), &overdue_at, &soon_at);
  char due[KC_CAL_DATE_LEN + 1];
  kc_cal_format_date(d.due_day, due);
  kc_stmt *s;
  if (changed) {
    static const char qo[] = "SELECT due_date, due_at FROM case_clocks WHERE id = ?";
    bool row;
    e = kc_stmt_query(ctx->conn, qo, &s, KC_I64(r->id));
    if (e)
      return e;
    e = kc_stmt_step(s, &row);
    *changed = !e && row && (strcmp(kc_stmt_text(s, 0), due) || kc_stmt_i64(s, 1) != d.due_at);
    kc_stmt_reset(s);
    if (e)
      return e;
  }
  static const char q[] = "UPDATE case_clocks SET due_date = ?, due_at = ?, overdue_at = ?, "
                          "soon_at = ?, paused_units = ?, extended_units = ? WHERE id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(due), KC_I64(d.due_at), KC_I64(overdue_at),
                    KC_I64(soon_at), KC_I64(d.paused_units), KC_I64(d.extended_units),
                    KC_I64(r->id));
  if (e)
    return e;
  return kc_stmt_run(s);
}

/* Starts (or restarts) a clock at `at`, pinned to the rule version in force that day. */
static kc_err start_clock(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                          int64_t case_id, const char *code, int64_t at)
{
  const kc_case_clock *def = kc_case__clock(k, code);
  assert(def); /* checked at registration */
  const kc_lc_rules *rs = kc_case_rules();
  char day[KC_CAL_DATE_LEN + 1];
  kc_cal_format_date(kc_cal_day_of_instant(at), day);
  const kc_lc_rule *rule = rs ? kc_lc_rules_find(rs, def->rule, kc_cal_day_of_instant(at)) : NULL;
  if (!rule)
    return kc_ctx_fail(ctx, KC_EFIELD, "received_at",
                       "Không có quy định thời hạn %s áp dụng cho ngày %s", def->rule, day);
  clock_row r = {0};
  bool found = false;
  kc_err e = load_clock(ctx, case_id, code, &r, &found);
  kc_stmt *s;
  if (!e && found) {
    static const char qdp[] = "DELETE FROM case_clock_pauses WHERE clock_id = ?";
    static const char qdx[] = "DELETE FROM case_clock_extensions WHERE clock_id = ?";
    static const char qu[] = "UPDATE case_clocks SET rule_code = ?, rule_version = ?, state = "
                             "'running', started_at = ?, ended_at = NULL, result = NULL WHERE "
                             "id = ?";
    const char *const qs[] = {qdp, qdx};
    for (size_t i = 0; !e && i < 2; i++) {
      e = kc_stmt_query(ctx->conn, qs[i], &s, KC_I64(r.id));
      if (!e) {
        e = kc_stmt_run(s);
      }
    }
    if (!e)
      e = kc_stmt_query(ctx->conn, qu, &s, KC_TXT(rule->code), KC_I64(rule->version), KC_I64(at),
                        KC_I64(r.id));
    if (!e) {
      e = kc_stmt_run(s);
    }
  } else if (!e) {
    static const char qi[] = "INSERT INTO case_clocks (case_id, clock, rule_code, rule_version, "
                             "state, started_at, due_date, due_at, overdue_at, soon_at) VALUES "
                             "(?, ?, ?, ?, 'running', ?, '', 0, 0, 0) RETURNING id";
    e = kc_stmt_prepare(ctx->conn, qi, &s);
    if (!e) {
      bool row;
      kc_stmt_bind_vals(s, KC_I64(case_id), KC_TXT(code), KC_TXT(rule->code), KC_I64(rule->version),
                        KC_I64(at));
      e = kc_stmt_step(s, &row);
      if (!e && row)
        r.id = kc_stmt_i64(s, 0);
      kc_stmt_reset(s);
    }
  }
  if (e)
    return e;
  r.code = code;
  r.rule_code = rule->code;
  r.rule_version = rule->version;
  r.state = "running";
  r.started_at = at;
  return compute(ctx, cal, k, &r, NULL);
}

static kc_err set_state(kc_ctx *ctx, int64_t clock_id, const char *state)
{
  static const char q[] = "UPDATE case_clocks SET state = ? WHERE id = ?";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(state), KC_I64(clock_id));
  if (e)
    return e;
  return kc_stmt_run(s);
}

/* Closes the open pause of a clock at ctx->now. */
static kc_err close_pause(kc_ctx *ctx, int64_t clock_id)
{
  static const char q[] = "UPDATE case_clock_pauses SET to_at = ? WHERE clock_id = ? AND to_at "
                          "IS NULL";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_I64(clock_id));
  if (e)
    return e;
  return kc_stmt_run(s);
}

static kc_err pause_clock(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                          const clock_row *r)
{
  static const char q[] = "INSERT INTO case_clock_pauses (clock_id, from_at) VALUES (?, ?)";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(r->id), KC_I64(ctx->now));
  if (e)
    return e;
  e = kc_stmt_run(s);
  if (!e)
    e = set_state(ctx, r->id, "paused");
  return e ? e : compute(ctx, cal, k, r, NULL);
}

static kc_err resume_clock(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                           const clock_row *r)
{
  kc_err e = close_pause(ctx, r->id);
  if (!e)
    e = set_state(ctx, r->id, "running");
  return e ? e : compute(ctx, cal, k, r, NULL);
}

static kc_err extend_clock(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                           const clock_row *r, int units, int64_t event_id)
{
  static const char q[] = "INSERT INTO case_clock_extensions (clock_id, units, at, event_id) "
                          "VALUES (?, ?, ?, ?)";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_i64(s, 1, r->id);
  kc_stmt_bind_i64(s, 2, units);
  kc_stmt_bind_i64(s, 3, ctx->now);
  if (event_id)
    kc_stmt_bind_i64(s, 4, event_id);
  else
    kc_stmt_bind_null(s, 4);
  e = kc_stmt_run(s);
  return e ? e : compute(ctx, cal, k, r, NULL);
}

/* Ends a clock at ctx->now: closes a pause, computes its final dates and its result. */
static kc_err end_clock(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                        const clock_row *r)
{
  kc_err e = KC_OK;
  if (!strcmp(r->state, "paused"))
    e = close_pause(ctx, r->id);
  if (!e)
    e = compute(ctx, cal, k, r, NULL);
  const kc_lc_rule *rule = NULL;
  kc_lc_clock c;
  kc_lc_deadline d;
  if (!e)
    e = pinned_rule(ctx, r, &rule);
  if (!e)
    e = clock_inputs(ctx, r, rule, &c);
  if (!e && kc_lc_due(cal, &c, &d) != KC_OK)
    e = kc_ctx_code(ctx, KC_EINTERNAL);
  static const char q[] = "UPDATE case_clocks SET state = 'ended', ended_at = ?, result = ? WHERE "
                          "id = ?";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_TXT(kc_lc_result(rule, &d, ctx->now)),
                      KC_I64(r->id));
  if (e)
    return e;
  return kc_stmt_run(s);
}

/* The case row's summary of its running clocks. */
static kc_err summarise(kc_ctx *ctx, int64_t case_id)
{
  static const char q[] =
      "UPDATE cases SET due_date = (SELECT MIN(due_date) FROM case_clocks WHERE case_id = ? AND "
      "state = 'running'), overdue_at = (SELECT MIN(overdue_at) FROM case_clocks WHERE case_id = "
      "? AND state = 'running'), soon_at = (SELECT MIN(soon_at) FROM case_clocks WHERE case_id = "
      "? AND state = 'running') WHERE id = ?";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  for (int i = 1; i <= 4; i++)
    kc_stmt_bind_i64(s, i, case_id);
  return kc_stmt_run(s);
}

static void note_done(json_t *done, const char *what, const char *code)
{
  if (!done)
    return;
  json_t *clocks = json_object_get(done, "clocks");
  if (!clocks) {
    clocks = json_object();
    json_object_set_new(done, "clocks", clocks);
  }
  json_t *l = json_object_get(clocks, what);
  if (!l) {
    l = json_array();
    json_object_set_new(clocks, what, l);
  }
  json_array_append_new(l, json_string(code));
}

kc_err kc_case__clocks_apply(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                             int64_t case_id, const kc_case_clock_ops *ops, int64_t event_id,
                             json_t *done)
{
  assert(cal && k);
  kc_err e = KC_OK;
  clock_row r;
  bool found;
  /* in the order a transition reads: end, pause, resume, extend, then start */
  for (size_t i = 0; !e && ops->end && ops->end[i]; i++) {
    e = load_clock(ctx, case_id, ops->end[i], &r, &found);
    if (!e && found && strcmp(r.state, "ended")) {
      e = end_clock(ctx, cal, k, &r);
      note_done(done, "ended", r.code);
    }
  }
  for (size_t i = 0; !e && ops->pause && ops->pause[i]; i++) {
    e = load_clock(ctx, case_id, ops->pause[i], &r, &found);
    if (!e && found && !strcmp(r.state, "running")) {
      e = pause_clock(ctx, cal, k, &r);
      note_done(done, "paused", r.code);
    }
  }
  for (size_t i = 0; !e && ops->resume && ops->resume[i]; i++) {
    e = load_clock(ctx, case_id, ops->resume[i], &r, &found);
    if (!e && found && !strcmp(r.state, "paused")) {
      e = resume_clock(ctx, cal, k, &r);
      note_done(done, "resumed", r.code);
    }
  }
  if (!e && ops->extend) {
    e = load_clock(ctx, case_id, ops->extend, &r, &found);
    if (!e && found && strcmp(r.state, "ended")) {
      e = extend_clock(ctx, cal, k, &r, ops->extend_count, event_id);
      note_done(done, "extended", r.code);
    }
  }
  for (size_t i = 0; !e && ops->start && ops->start[i]; i++) {
    e = start_clock(ctx, cal, k, case_id, ops->start[i], ops->at);
    note_done(done, "started", ops->start[i]);
  }
  if (!e && ops->final) {
    for (size_t i = 0; !e && i < k->nclocks; i++) {
      e = load_clock(ctx, case_id, k->clocks[i].code, &r, &found);
      if (!e && found && strcmp(r.state, "ended")) {
        e = end_clock(ctx, cal, k, &r);
        note_done(done, "ended", r.code);
      }
    }
  }
  return e ? e : summarise(ctx, case_id);
}

kc_err kc_case__clocks_json(kc_ctx *ctx, int64_t case_id, json_t **out)
{
  static const char q[] =
      "SELECT k.id, k.clock, k.rule_code, k.rule_version, k.state, k.started_at, k.ended_at, "
      "k.due_date, k.due_at, k.overdue_at, k.soon_at, k.paused_units, k.extended_units, "
      "k.result, c.kind FROM case_clocks k JOIN cases c ON c.id = k.case_id WHERE k.case_id = ? "
      "ORDER BY k.id";
  static const char qp[] = "SELECT from_at, to_at FROM case_clock_pauses WHERE clock_id = ? "
                           "ORDER BY from_at, id";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(case_id));
  if (e)
    return e;
  const kc_case_kind *k = NULL;
  json_t *a = json_array();
  const kc_lc_rules *rs = kc_case_rules();
  while (kc_case__next(s, &e)) {
    char b[32];
    const char *code = kc_stmt_text(s, K_CLOCK), *state = kc_stmt_text(s, K_STATE);
    const kc_lc_rule *rule =
        rs ? kc_lc_rules_version(rs, kc_stmt_text(s, K_RULE), (int)kc_stmt_i64(s, K_VERSION))
           : NULL;
    kc_cal_day due_day = 0;
    const char *due = kc_stmt_text(s, 7);
    if (kc_cal_parse_date(due, strlen(due), &due_day) != KC_CAL_OK)
      due_day = 0;
    kc_lc_deadline d = {.due_day = due_day,
                        .due_at = kc_stmt_i64(s, 8),
                        .paused_units = (int)kc_stmt_i64(s, 11),
                        .extended_units = (int)kc_stmt_i64(s, 12),
                        .rule_code = kc_stmt_text(s, K_RULE),
                        .rule_version = (int)kc_stmt_i64(s, K_VERSION)};
    json_t *o = rule
                    ? kc_lc_deadline_json(&d, rule)
                    : json_pack("{ss sI s{ss si}}", "due_date", due, "due_at", (json_int_t)d.due_at,
                                "rule", "code", d.rule_code, "version", d.rule_version);
    bool running = !strcmp(state, "running");
    bool overdue = running && ctx->now >= kc_stmt_i64(s, 9);
    json_object_set_new(o, "code", json_string(code));
    if (!k)
      k = kc_case_kind_find(kc_stmt_text(s, 14));
    const kc_case_clock *def = k ? kc_case__clock(k, code) : NULL;
    json_object_set_new(o, "name", json_string(def ? def->name : code));
    json_object_set_new(o, "state", json_string(state));
    kc_time_format_iso(kc_stmt_i64(s, K_STARTED), b, sizeof b);
    json_object_set_new(o, "started_at", json_string(b));
    if (kc_stmt_is_null(s, K_ENDED)) {
      json_object_set_new(o, "ended_at", json_null());
    } else {
      kc_time_format_iso(kc_stmt_i64(s, K_ENDED), b, sizeof b);
      json_object_set_new(o, "ended_at", json_string(b));
    }
    json_object_set_new(o, "overdue", json_boolean(overdue));
    json_object_set_new(o, "due_soon",
                        json_boolean(running && !overdue && ctx->now >= kc_stmt_i64(s, 10)));
    json_object_set_new(o, "result",
                        kc_stmt_is_null(s, 13) ? json_null() : json_string(kc_stmt_text(s, 13)));
    json_object_set_new(o, "id", json_integer(kc_stmt_i64(s, K_ID)));
    json_array_append_new(a, o);
  }
  kc_stmt_reset(s);
  /* the pauses of each clock */
  size_t i;
  json_t *o;
  json_array_foreach(a, i, o)
  {
    if (e)
      break;
    json_t *ps = json_array();
    json_object_set_new(o, "pauses", ps);
    e = kc_stmt_query(ctx->conn, qp, &s, KC_I64(json_integer_value(json_object_get(o, "id"))));
    if (e)
      break;
    while (kc_case__next(s, &e)) {
      char f[32], t[32] = "";
      kc_time_format_iso(kc_stmt_i64(s, 0), f, sizeof f);
      if (!kc_stmt_is_null(s, 1))
        kc_time_format_iso(kc_stmt_i64(s, 1), t, sizeof t);
      json_array_append_new(
          ps, json_pack("{ss so}", "from", f, "to", *t ? json_string(t) : json_null()));
    }
    kc_stmt_reset(s);
    json_object_del(o, "id");
  }
  if (e) {
    json_decref(a);
    return e;
  }
  *out = a;
  return KC_OK;
}

/* ---- the calendar dependant ---- */

kc_err kc_case_recompute(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed)
{
  *changed = 0;
  /* Collected first: the updates below use the same connection. */
  static const char ql[] = "SELECT k.case_id, c.kind, k.id, k.clock, k.rule_code, "
                           "k.rule_version, k.state, k.started_at, k.ended_at FROM case_clocks k "
                           "JOIN cases c ON c.id = k.case_id WHERE k.state <> 'ended' ORDER BY "
                           "k.case_id, k.id";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, ql, &s);
  if (e)
    return e;
  typedef struct {
    int64_t case_id;
    const kc_case_kind *kind;
    clock_row r;
  } item;
  size_t n = 0, cap = 64;
  item *items = kc_xmalloc(cap * sizeof *items);
  while (kc_case__next(s, &e)) {
    if (n == cap) {
      cap *= 2;
      item *bigger = realloc(items, cap * sizeof *items);
      if (!bigger)
        abort();
      items = bigger;
    }
    item *it = &items[n++];
    it->case_id = kc_stmt_i64(s, 0);
    it->kind = kc_case_kind_find(kc_stmt_text(s, 1));
    it->r.id = kc_stmt_i64(s, 2);
    it->r.code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 3));
    it->r.rule_code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 4));
    it->r.rule_version = (int)kc_stmt_i64(s, 5);
    it->r.state = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 6));
    it->r.started_at = kc_stmt_i64(s, 7);
    it->r.ended_at = 0;
  }
  kc_stmt_reset(s);
  for (size_t i = 0; !e && i < n;) {
    /* the clocks of one case together: one audit record per changed case */
    size_t j = i;
    bool any = false;
    json_t *before = NULL, *after = NULL;
    e = kc_case__record(ctx, items[i].case_id, false, &before);
    for (; !e && j < n && items[j].case_id == items[i].case_id; j++) {
      bool ch = false;
      e = compute(ctx, cal, items[j].kind, &items[j].r, &ch);
      any = any || ch;
    }
    if (!e && any) {
      static const char qv[] = "UPDATE cases SET version = version + 1, updated_at = ? WHERE id "
                               "= ?";
      e = summarise(ctx, items[i].case_id);
      if (!e)
        e = kc_stmt_query(ctx->conn, qv, &s, KC_I64(ctx->now), KC_I64(items[i].case_id));
      if (!e) {
        e = kc_stmt_run(s);
      }
      if (!e)
        e = kc_case__record(ctx, items[i].case_id, false, &after);
      if (!e)
        e = kc_audit_write(ctx, "recompute_due", "case", items[i].case_id, before, after);
      (*changed)++;
    }
    json_decref(before);
    json_decref(after);
    while (j < n && items[j].case_id == items[i].case_id)
      j++;
    i = j;
  }
  free(items);
  return e;
}

static kc_err recompute_dependant(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed)
{
  return kc_case_recompute(ctx, cal, changed);
}

void kc_case_init(void)
{
  kc_lc_dependant_register("cases", recompute_dependant);
}
