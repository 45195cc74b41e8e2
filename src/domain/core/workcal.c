/* workcal.c: see workcal.h. The schedule lives in three tables (sources, declared years,
 * entries) and a revision counter; every edit bumps the revision inside its transaction, so
 * each server process notices on its next use and rebuilds its tables (about 2 ms). */
#include "domain/core/workcal.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/lclock.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct kc_workcal {
  kc_cal_calendar *cal;
  int64_t revision;
  int refs;
  bool stale;
};

struct kc_workcal_cache {
  pthread_mutex_t lock;
  kc_workcal *cur;
};

kc_workcal_cache *kc_workcal_cache_new(void)
{
  kc_workcal_cache *c = kc_xcalloc(1, sizeof *c);
  pthread_mutex_init(&c->lock, NULL);
  return c;
}

static void workcal_free(kc_workcal *w)
{
  kc_cal_calendar_free(w->cal);
  free(w);
}

void kc_workcal_cache_free(kc_workcal_cache *c)
{
  if (!c)
    return;
  /* Drop the cache's own reference; by contract no request holds one any more. */
  if (c->cur && --c->cur->refs == 0)
    workcal_free(c->cur);
  pthread_mutex_destroy(&c->lock);
  free(c);
}

const kc_cal_calendar *kc_workcal_get(const kc_workcal *w)
{
  return w->cal;
}

static kc_err revision(kc_ctx *ctx, int64_t *rev)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT revision FROM calendar_meta WHERE id = 1";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    *rev = row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  return e;
}

/* Reads the whole official schedule from the database into s. A row the calendar library
 * refuses is reported in ctx (KC_EFIELD) with the library's Vietnamese message. */
static kc_err load_schedule(kc_ctx *ctx, kc_cal_schedule *s)
{
  static const char qs[] = "SELECT code, text FROM calendar_sources ORDER BY id";
  static const char qy[] = "SELECT year, source_code FROM calendar_years ORDER BY year";
  static const char qe[] = "SELECT day, kind, name, source_code FROM calendar_entries ORDER BY day";
  kc_stmt *st;
  bool row;
  kc_err e;
  kc_cal_err ce = KC_CAL_OK;
  kc_cal_schedule_init(s);
  e = kc_stmt_prepare(ctx->conn, qs, &st);
  if (e)
    return e;
  while (!ce && !(e = kc_stmt_step(st, &row)) && row)
    ce = kc_cal_schedule_add_source(s, kc_stmt_text(st, 0), kc_stmt_text(st, 1));
  kc_stmt_reset(st);
  if (!e && !ce && !(e = kc_stmt_prepare(ctx->conn, qy, &st))) {
    while (!ce && !(e = kc_stmt_step(st, &row)) && row)
      ce = kc_cal_schedule_declare_year(s, (int)kc_stmt_i64(st, 0), kc_stmt_text(st, 1));
    kc_stmt_reset(st);
  }
  const char *bad = NULL;
  if (!e && !ce && !(e = kc_stmt_prepare(ctx->conn, qe, &st))) {
    while (!ce && !(e = kc_stmt_step(st, &row)) && row) {
      kc_cal_entry en = {0};
      const char *day = kc_stmt_text(st, 0);
      ce = kc_cal_parse_date(day, strlen(day), &en.day);
      en.kind = strcmp(kc_stmt_text(st, 1), "workday") ? KC_CAL_ENTRY_OFF : KC_CAL_ENTRY_WORKDAY;
      snprintf(en.name, sizeof en.name, "%s", kc_stmt_text(st, 2));
      snprintf(en.source, sizeof en.source, "%s", kc_stmt_text(st, 3));
      if (!ce)
        ce = kc_cal_schedule_add_entry(s, &en);
      if (ce)
        bad = kc_arena_strdup(ctx->arena, day);
    }
    kc_stmt_reset(st);
  }
  if (e || ce)
    kc_cal_schedule_free(s);
  if (e)
    return e;
  if (ce == KC_CAL_EINVAL && bad)
    return kc_ctx_fail(ctx, KC_EFIELD, "day", "Ngày %s: ngày làm bù phải là thứ Bảy hoặc Chủ nhật",
                       bad);
  if (ce)
    return kc_ctx_fail(ctx, KC_EFIELD, bad ? "day" : NULL,
                       "Lịch nghỉ chính thức không hợp lệ%s%s: %s", bad ? " ở ngày " : "",
                       bad ? bad : "", kc_cal_strerror(ce));
  return KC_OK;
}

/* Builds the calendar of what the database holds now. */
static kc_err build(kc_ctx *ctx, kc_cal_calendar **out)
{
  kc_cal_schedule s;
  kc_err e = load_schedule(ctx, &s);
  if (e)
    return e;
  kc_cal_err ce = kc_cal_calendar_build(&s, out);
  kc_cal_schedule_free(&s);
  if (ce)
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "Không dựng được lịch làm việc: %s",
                       kc_cal_strerror(ce));
  return KC_OK;
}

kc_err kc_workcal_acquire(kc_ctx *ctx, kc_workcal_cache *c, kc_workcal **out)
{
  int64_t rev;
  kc_err e = revision(ctx, &rev);
  if (e)
    return kc_ctx_code(ctx, e);
  pthread_mutex_lock(&c->lock);
  if (c->cur && c->cur->revision == rev) {
    c->cur->refs++;
    *out = c->cur;
    pthread_mutex_unlock(&c->lock);
    return KC_OK;
  }
  pthread_mutex_unlock(&c->lock);
  /* Build outside the lock; two threads may both build after an edit, which is harmless. */
  kc_cal_calendar *cal;
  e = build(ctx, &cal);
  if (e)
    return kc_ctx_code(ctx, e);
  kc_workcal *w = kc_xcalloc(1, sizeof *w);
  w->cal = cal;
  w->revision = rev;
  w->refs = 1;
  pthread_mutex_lock(&c->lock);
  if (!c->cur || c->cur->revision < rev) {
    if (c->cur) {
      /* Drop the cache's reference to the old one; requests still using it free it. */
      if (--c->cur->refs == 0)
        workcal_free(c->cur);
      else
        c->cur->stale = true;
    }
    w->refs++; /* the cache's own reference */
    c->cur = w;
  } else {
    w->stale = true; /* someone installed a newer one meanwhile; ours dies on release */
  }
  pthread_mutex_unlock(&c->lock);
  *out = w;
  return KC_OK;
}

void kc_workcal_release(kc_workcal_cache *c, kc_workcal *w)
{
  if (!w)
    return;
  pthread_mutex_lock(&c->lock);
  bool dead = --w->refs == 0 && w->stale;
  pthread_mutex_unlock(&c->lock);
  if (dead)
    workcal_free(w);
}

static kc_err count_rows(kc_ctx *ctx, const char *sql, int64_t *n)
{
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, sql, &s);
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    *n = row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  return e;
}

static kc_err bump(kc_ctx *ctx)
{
  kc_stmt *s;
  kc_err e;
  static const char q[] = "UPDATE calendar_meta SET revision = revision + 1 WHERE id = 1";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  return kc_stmt_run(s);
}

static kc_err insert_source(kc_ctx *ctx, const char *code, const char *text)
{
  kc_stmt *s;
  kc_err e;
  static const char q[] = "INSERT INTO calendar_sources (code, text, created_at) VALUES (?, ?, ?) "
                          "ON CONFLICT (code) DO NOTHING";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(code), KC_TXT(text), KC_I64(ctx->now));
  if (e)
    return e;
  return kc_stmt_run(s);
}

static kc_err insert_entry(kc_ctx *ctx, const char *day, const char *kind, const char *name,
                           const char *source, int64_t *id)
{
  kc_stmt *s;
  kc_err e;
  bool row;
  static const char q[] = "INSERT INTO calendar_entries (day, kind, name, source_code, created_at, "
                          "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(day), KC_TXT(kind), KC_TXT(name),
                    KC_TXT(source ? source : ""), KC_I64(ctx->now), KC_I64(ctx->now));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row && id)
    *id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  return e;
}

kc_err kc_workcal_seed(kc_ctx *ctx, const char *dir, int *loaded)
{
  *loaded = 0;
  int64_t n = 0;
  static const char qn[] = "SELECT COUNT(*) FROM calendar_entries";
  kc_err e = count_rows(ctx, qn, &n);
  if (e || n)
    return e ? kc_ctx_code(ctx, e) : KC_OK;
  kc_cal_schedule s;
  kc_cal_schedule_init(&s);
  char msg[512];
  if (kc_cal_schedule_load_dir(dir, &s, msg, sizeof msg))
    return kc_ctx_fail(ctx, KC_EIO, NULL, "%s", msg);
  e = kc_tx_begin(ctx);
  if (e) {
    kc_cal_schedule_free(&s);
    return e;
  }
  for (size_t i = 0; !e && i < s.n_sources; i++)
    e = insert_source(ctx, s.sources[i].id, s.sources[i].text);
  json_t *years = json_array();
  static const char qy[] =
      "INSERT INTO calendar_years (year, source_code, created_at) VALUES (?, ?, ?)";
  for (size_t i = 0; !e && i < s.n_years; i++) {
    kc_stmt *st;
    e = kc_stmt_query(ctx->conn, qy, &st, KC_I64(s.years[i].year), KC_TXT(s.years[i].source),
                      KC_I64(ctx->now));
    if (!e) {
      e = kc_stmt_run(st);
      json_array_append_new(years, json_integer(s.years[i].year));
    }
  }
  for (size_t i = 0; !e && i < s.n_entries; i++) {
    char day[16];
    kc_cal_format_date(s.entries[i].day, day);
    e = insert_entry(ctx, day, s.entries[i].kind == KC_CAL_ENTRY_WORKDAY ? "workday" : "off",
                     s.entries[i].name, s.entries[i].source, NULL);
  }
  if (!e)
    e = bump(ctx);
  json_t *rec = json_pack("{ss sI sI so}", "from", dir, "entries", (json_int_t)s.n_entries,
                          "sources", (json_int_t)s.n_sources, "years", years);
  if (!e)
    e = kc_audit_write(ctx, "seed", "calendar", 0, NULL, rec);
  json_decref(rec);
  int total = (int)s.n_entries;
  kc_cal_schedule_free(&s);
  e = kc_tx_end(ctx, e);
  if (e)
    return e;
  *loaded = total;
  return KC_OK;
}

static kc_err parse_day(kc_ctx *ctx, const char *field, const char *s, kc_cal_day *d)
{
  if (!s || kc_cal_parse_date(s, strlen(s), d))
    return kc_ctx_fail(ctx, KC_EFIELD, field,
                       "Ngày không hợp lệ (định dạng YYYY-MM-DD, từ 1900 đến 2199)");
  return KC_OK;
}

kc_err kc_workcal_days(kc_ctx *ctx, kc_workcal_cache *c, const char *from, const char *to,
                       json_t **items)
{
  kc_cal_day a, b;
  kc_err e = parse_day(ctx, "from", from, &a);
  if (!e)
    e = parse_day(ctx, "to", to, &b);
  if (e)
    return e;
  if (b < a || b - a >= 800)
    return kc_ctx_fail(ctx, KC_EFIELD, "to", "Khoảng ngày phải từ 1 đến 800 ngày, 'to' sau 'from'");
  kc_workcal *w;
  e = kc_workcal_acquire(ctx, c, &w);
  if (e)
    return e;
  json_t *arr = json_array();
  for (kc_cal_day d = a; d <= b; d++) {
    kc_cal_day_kind kind;
    const char *reason = "";
    kc_cal_lunar l;
    char ds[16], ls[16];
    if (kc_cal_day_kind_of(w->cal, d, &kind, &reason) || kc_cal_solar_to_lunar(d, &l))
      continue; /* cannot happen inside the checked range */
    kc_cal_format_date(d, ds);
    kc_cal_lunar_format(&l, ls);
    json_array_append_new(arr, json_pack("{ss si sb ss ss sb}", "date", ds, "weekday",
                                         kc_cal_weekday(d), "work", kind == KC_CAL_WORK, "reason",
                                         reason, "lunar", ls, "lunar_leap", (int)l.leap));
  }
  kc_workcal_release(c, w);
  *items = arr;
  return KC_OK;
}

kc_err kc_workcal_add(kc_ctx *ctx, kc_workcal_cache *c, const char *date, int64_t n, json_t **out)
{
  kc_cal_day d, r;
  kc_err e = parse_day(ctx, "date", date, &d);
  if (e)
    return e;
  if (n < -100000 || n > 100000)
    return kc_ctx_fail(ctx, KC_EFIELD, "n", "Số ngày làm việc phải trong khoảng ±100000");
  kc_workcal *w;
  e = kc_workcal_acquire(ctx, c, &w);
  if (e)
    return e;
  kc_cal_err ce = kc_cal_add_workdays(w->cal, d, (int)n, &r);
  kc_workcal_release(c, w);
  if (ce)
    return kc_ctx_fail(ctx, KC_EFIELD, "n", "Kết quả nằm ngoài khoảng lịch hỗ trợ (1900–2199)");
  char rs[16];
  kc_cal_format_date(r, rs);
  *out = json_pack("{ss sI ss}", "date", date, "n", (json_int_t)n, "result", rs);
  return KC_OK;
}

kc_err kc_workcal_count(kc_ctx *ctx, kc_workcal_cache *c, const char *from, const char *to,
                        json_t **out)
{
  kc_cal_day a, b;
  kc_err e = parse_day(ctx, "from", from, &a);
  if (!e)
    e = parse_day(ctx, "to", to, &b);
  if (e)
    return e;
  kc_workcal *w;
  e = kc_workcal_acquire(ctx, c, &w);
  if (e)
    return e;
  int32_t n = 0;
  kc_cal_err ce = kc_cal_count_workdays(w->cal, a, b, &n);
  kc_workcal_release(c, w);
  if (ce)
    return kc_ctx_code(ctx, KC_EINTERNAL);
  *out = json_pack("{ss ss si}", "from", from, "to", to, "count", (int)n);
  return KC_OK;
}

#define ENTRY_COLS "id, day, kind, name, source_code, version"

static json_t *entry_json(kc_stmt *s)
{
  return json_pack("{sI ss ss ss ss sI}", "id", (json_int_t)kc_stmt_i64(s, 0), "day",
                   kc_stmt_text(s, 1), "kind", kc_stmt_text(s, 2), "name", kc_stmt_text(s, 3),
                   "source", kc_stmt_text(s, 4), "version", (json_int_t)kc_stmt_i64(s, 5));
}

kc_err kc_workcal_schedule(kc_ctx *ctx, int year, json_t **out)
{
  if (year < 1900 || year > 2199)
    return kc_ctx_fail(ctx, KC_EFIELD, "year", "Năm phải từ 1900 đến 2199");
  char lo[16], hi[16];
  snprintf(lo, sizeof lo, "%04d-01-01", year);
  snprintf(hi, sizeof hi, "%04d-12-31", year);
  static const char qe[] = "SELECT " ENTRY_COLS " FROM calendar_entries "
                           "WHERE day >= ? AND day <= ? ORDER BY day";
  static const char qy[] = "SELECT source_code FROM calendar_years WHERE year = ?";
  static const char qs[] = "SELECT code, text FROM calendar_sources WHERE code IN "
                           "(SELECT source_code FROM calendar_entries WHERE day >= ? AND day <= ?"
                           " UNION SELECT source_code FROM calendar_years WHERE year = ?) "
                           "ORDER BY code";
  kc_stmt *s;
  bool row;
  kc_err e;
  json_t *entries = json_array(), *sources = json_array(), *src = json_null();
  e = kc_stmt_query(ctx->conn, qe, &s, KC_TXT(lo), KC_TXT(hi));
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
      json_array_append_new(entries, entry_json(s));
    kc_stmt_reset(s);
  }
  if (!e)
    e = kc_stmt_query(ctx->conn, qy, &s, KC_I64(year));
  if (!e) {
    e = kc_stmt_step(s, &row);
    if (!e && row)
      src = json_string(kc_stmt_text(s, 0));
    kc_stmt_reset(s);
  }
  if (!e)
    e = kc_stmt_query(ctx->conn, qs, &s, KC_TXT(lo), KC_TXT(hi), KC_I64(year));
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
      json_array_append_new(
          sources, json_pack("{ss ss}", "code", kc_stmt_text(s, 0), "text", kc_stmt_text(s, 1)));
    kc_stmt_reset(s);
  }
  json_t *o = json_pack("{si sb so so so}", "year", year, "declared", !json_is_null(src), "source",
                        src, "entries", entries, "sources", sources);
  if (e) {
    json_decref(o);
    return kc_ctx_code(ctx, e);
  }
  *out = o;
  return KC_OK;
}

static kc_err require_admin(kc_ctx *ctx)
{
  if (!kc_actor_in(ctx->actor, KC_RS_CALENDAR_WRITE))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ quản trị viên được sửa lịch nghỉ chính thức");
  return KC_OK;
}

static kc_err load_entry(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT " ENTRY_COLS " FROM calendar_entries WHERE id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    e = row ? (*out = entry_json(s), KC_OK) : KC_ENOTFOUND;
  kc_stmt_reset(s);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy ngày trong lịch nghỉ");
  return e;
}

static kc_err check_entry(kc_ctx *ctx, kc_workcal_entry_in *in, bool create)
{
  kc_err e = kc_text_field(ctx, "day", "Ngày", &in->day, 10, create || in->day);
  if (!e)
    e = kc_text_field(ctx, "name", "Tên ngày nghỉ", &in->name, KC_CAL_NAME_MAX - 1,
                      create || in->name);
  if (!e)
    e = kc_text_field(ctx, "source", "Nguồn", &in->source, KC_CAL_SOURCE_MAX - 1, false);
  if (e)
    return e;
  kc_cal_day d;
  if (in->day && (e = parse_day(ctx, "day", in->day, &d)))
    return e;
  if ((create || in->kind) &&
      (!in->kind || (strcmp(in->kind, "off") && strcmp(in->kind, "workday"))))
    return kc_ctx_fail(ctx, KC_EFIELD, "kind",
                       "Loại ngày phải là 'off' (nghỉ) hoặc 'workday' (làm bù)");
  return KC_OK;
}

/* A source named by an entry or a year must exist (data/calendar/README.md). */
static kc_err check_source(kc_ctx *ctx, const char *code)
{
  if (!code || !*code)
    return KC_OK;
  kc_stmt *s;
  bool row = false;
  kc_err e;
  static const char q[] = "SELECT id FROM calendar_sources WHERE code = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(code));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  kc_stmt_reset(s);
  if (!e && !row)
    return kc_ctx_fail(ctx, KC_EFIELD, "source",
                       "Nguồn '%s' chưa có; hãy khai báo văn bản nguồn trước (khi khai báo năm)",
                       code);
  return e;
}

/* After an edit: the schedule must still build, the revision moves, the change is audited. */
static kc_err finish_edit(kc_ctx *ctx, const char *action, const char *entity, int64_t id,
                          json_t *before, json_t *after)
{
  kc_cal_calendar *cal;
  kc_err e = build(ctx, &cal);
  if (e)
    return e;
  /* the dates computed on the old calendar (open dossiers' due days, ...) move with it: every
   * module that stores such dates registered itself as a dependant (kc_domain_init) */
  int changed = 0;
  if (!(e = bump(ctx)) && !(e = kc_audit_write(ctx, action, entity, id, before, after)))
    e = kc_lc_recompute_all(ctx, cal, &changed);
  kc_cal_calendar_free(cal);
  return e;
}

kc_err kc_workcal_entry_create(kc_ctx *ctx, const kc_workcal_entry_in *in0, json_t **out)
{
  kc_workcal_entry_in in = *in0;
  kc_err e = require_admin(ctx);
  if (!e)
    e = check_entry(ctx, &in, true);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  int64_t id = 0;
  json_t *j = NULL;
  e = check_source(ctx, in.source);
  if (e)
    return kc_tx_end(ctx, e);
  e = insert_entry(ctx, in.day, in.kind, in.name, in.source, &id);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "day", "Ngày %s đã có trong lịch nghỉ", in.day);
  if (!e)
    e = load_entry(ctx, id, &j);
  if (!e)
    e = finish_edit(ctx, "create", "calendar_entry", id, NULL, j);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(j);
    return e;
  }
  *out = j;
  return KC_OK;
}

kc_err kc_workcal_entry_update(kc_ctx *ctx, int64_t id, const kc_workcal_entry_in *in0,
                               json_t **out)
{
  kc_workcal_entry_in in = *in0;
  kc_err e = require_admin(ctx);
  if (!e)
    e = check_entry(ctx, &in, false);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  e = check_source(ctx, in.source);
  if (!e)
    e = load_entry(ctx, id, &before);
  int64_t version = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (!e && version != in.version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Ngày này đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    version, in.version);
  if (!e && !kc_change_text(before, "day", in.day) && !kc_change_text(before, "kind", in.kind) &&
      !kc_change_text(before, "name", in.name) && !kc_change_text(before, "source", in.source)) {
    *out = before; /* nothing changes: no new version, no audit record, no recomputation */
    return kc_tx_end(ctx, KC_OK);
  }
  static const char q[] = "UPDATE calendar_entries SET day = COALESCE(?, day), "
                          "kind = COALESCE(?, kind), name = COALESCE(?, name), "
                          "source_code = COALESCE(?, source_code), version = version + 1, "
                          "updated_at = ? WHERE id = ? AND version = ?";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_OPT_TXT(in.day), KC_OPT_TXT(in.kind),
                      KC_OPT_TXT(in.name), KC_OPT_TXT(in.source), KC_I64(ctx->now), KC_I64(id),
                      KC_I64(in.version));
  if (!e) {
    e = kc_stmt_run(s);
    if (e == KC_ECONFLICT)
      e = kc_ctx_fail(ctx, KC_ECONFLICT, "day", "Ngày %s đã có trong lịch nghỉ", in.day);
  }
  if (!e)
    e = load_entry(ctx, id, &after);
  if (!e)
    e = finish_edit(ctx, "update", "calendar_entry", id, before, after);
  json_decref(before);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(after);
    return e;
  }
  *out = after;
  return KC_OK;
}

kc_err kc_workcal_entry_delete(kc_ctx *ctx, int64_t id, int64_t version)
{
  kc_err e = require_admin(ctx);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL;
  e = load_entry(ctx, id, &before);
  int64_t cur = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (!e && cur != version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Ngày này đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    cur, version);
  static const char q[] = "DELETE FROM calendar_entries WHERE id = ? AND version = ?";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id), KC_I64(version));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (!e)
    e = finish_edit(ctx, "delete", "calendar_entry", id, before, NULL);
  json_decref(before);
  return kc_tx_end(ctx, e);
}

kc_err kc_workcal_year_set(kc_ctx *ctx, int year, const char *code, const char *text)
{
  kc_err e = require_admin(ctx);
  if (e)
    return e;
  if (year < 1900 || year > 2199)
    return kc_ctx_fail(ctx, KC_EFIELD, "year", "Năm phải từ 1900 đến 2199");
  e = kc_text_field(ctx, "source", "Mã nguồn", &code, KC_CAL_SOURCE_MAX - 1, true);
  if (!e)
    e = kc_text_field(ctx, "source_text", "Văn bản nguồn", &text, KC_CAL_SOURCE_TEXT_MAX - 1,
                      false);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  if (text && *text)
    e = insert_source(ctx, code, text);
  else
    e = check_source(ctx, code);
  static const char q[] = "INSERT INTO calendar_years (year, source_code, created_at) "
                          "VALUES (?, ?, ?) ON CONFLICT (year) DO UPDATE SET source_code = "
                          "excluded.source_code";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(year), KC_TXT(code), KC_I64(ctx->now));
  if (!e) {
    e = kc_stmt_run(s);
  }
  json_t *rec = json_pack("{si ss}", "year", year, "source", code);
  if (!e)
    e = finish_edit(ctx, "declare", "calendar_year", year, NULL, rec);
  json_decref(rec);
  return kc_tx_end(ctx, e);
}

kc_err kc_workcal_year_unset(kc_ctx *ctx, int year)
{
  kc_err e = require_admin(ctx);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  static const char q[] = "DELETE FROM calendar_years WHERE year = ?";
  kc_stmt *s;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(year));
  if (!e) {
    e = kc_stmt_run(s);
    if (!e && kc_stmt_changes(s) == 0)
      e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Năm %d chưa có lịch nghỉ chính thức", year);
  }
  json_t *rec = json_pack("{si}", "year", year);
  if (!e)
    e = finish_edit(ctx, "undeclare", "calendar_year", year, rec, NULL);
  json_decref(rec);
  return kc_tx_end(ctx, e);
}
