/* dossier_stats.c: one-stop statistics per unit or procedure over a period (see dossier.h).
 * What happened in the period (received, results early / on time / late, returned, refused,
 * withdrawn, apologies) is summed from the per-day counters the transitions keep, so a year
 * over a million dossiers reads a few hundred thousand small rows; when both a unit subtree and
 * a procedure narrow it, the dossiers themselves are counted. What is still in process is a
 * snapshot at the period's end (today for a period that has not ended). */
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/onestop/dossier_priv.h"
#include "domain/org/unit.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum {
  C_RECEIVED,
  C_EARLY,
  C_ON_TIME,
  C_LATE,
  C_WORK_DAYS,
  C_RETURNED,
  C_REFUSED,
  C_WITHDRAWN,
  C_APOLOGIES,
  C_LATE_UNAPOLOGISED,
  C_OPEN_ON_TIME,
  C_OPEN_OVERDUE,
  C_OVERDUE_UNAPOLOGISED,
  C__COUNT
};
static const char *const names[C__COUNT] = {"received",
                                            "early",
                                            "on_time",
                                            "late",
                                            "work_days",
                                            "returned",
                                            "refused",
                                            "withdrawn",
                                            "apologies",
                                            "late_unapologised",
                                            "in_process_on_time",
                                            "in_process_overdue",
                                            "overdue_unapologised"};

typedef struct group {
  int64_t id;
  int64_t c[C__COUNT];
} group;

typedef struct acc {
  group *g;
  size_t n, cap;
} acc;

static group *find(acc *a, int64_t id)
{
  for (size_t i = 0; i < a->n; i++)
    if (a->g[i].id == id)
      return &a->g[i];
  if (a->n == a->cap)
    a->g = kc_xrealloc(a->g, (a->cap = a->cap ? a->cap * 2 : 64) * sizeof *a->g);
  group *g = &a->g[a->n++];
  memset(g, 0, sizeof *g);
  g->id = id;
  return g;
}

/* Runs a statement whose rows are (group id, counter columns…) for counters first..first+n-1
 * and adds them up. */
static kc_err add_rows(kc_stmt *s, acc *a, int first, int n)
{
  bool row;
  kc_err e;
  group *last = NULL;
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    int64_t id = kc_stmt_i64(s, 0);
    group *g = last && last->id == id ? last : find(a, id);
    for (int i = 0; i < n; i++)
      g->c[first + i] += kc_stmt_i64(s, 1 + i);
    last = g;
  }
  return e;
}

#define SUMS                                                                                       \
  "SUM(received), SUM(early), SUM(on_time), SUM(late), SUM(work_days), SUM(returned), "            \
  "SUM(refused), SUM(withdrawn), SUM(apologies), SUM(late_unapologised)"

/* Counters from the per-day tables. */
static kc_err from_days(kc_ctx *ctx, bool by_unit, const char *from, const char *to, const char *lo,
                        const char *hi, int64_t procedure_id, acc *a)
{
  static const char qu[] = "SELECT d.unit_id, " SUMS " FROM dossier_unit_days d JOIN units u ON "
                           "u.id = d.unit_id WHERE d.day >= ? AND d.day <= ? AND u.path >= ? AND "
                           "u.path < ? GROUP BY d.unit_id ORDER BY d.unit_id";
  /* the whole city: no join to bound the units */
  static const char qc[] = "SELECT unit_id, " SUMS " FROM dossier_unit_days WHERE day >= ? AND "
                           "day <= ? GROUP BY unit_id ORDER BY unit_id";
  static const char qp[] = "SELECT procedure_id, " SUMS " FROM dossier_procedure_days WHERE day "
                           ">= ? AND day <= ? AND (? = 0 OR procedure_id = ?) GROUP BY "
                           "procedure_id ORDER BY procedure_id";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, by_unit ? (lo ? qu : qc) : qp, &s);
  if (e)
    return e;
  kc_stmt_bind_text(s, 1, from, -1);
  kc_stmt_bind_text(s, 2, to, -1);
  if (by_unit && lo) {
    kc_stmt_bind_text(s, 3, lo, -1);
    kc_stmt_bind_text(s, 4, hi, -1);
  } else if (!by_unit) {
    kc_stmt_bind_i64(s, 3, procedure_id);
    kc_stmt_bind_i64(s, 4, procedure_id);
  }
  e = add_rows(s, a, 0, 10);
  kc_stmt_reset(s);
  return e;
}

/* The same counters from the dossiers themselves, for a unit subtree and one procedure (0: all).
 * Each event is counted on its own day, as the per-day tables do. */
static kc_err from_dossiers(kc_ctx *ctx, bool by_unit, const char *from, const char *to,
                            const char *lo, const char *hi, int64_t procedure_id, acc *a)
{
  if (!lo) { /* the whole city: bounds every path */
    lo = "";
    hi = "~";
  }
  int64_t t0 = 0, t1 = 0;
  char f0[32], f1[32];
  snprintf(f0, sizeof f0, "%sT00:00:00", from);
  snprintf(f1, sizeof f1, "%sT23:59:59", to);
  if (kc_time_parse_iso(f0, &t0) || kc_time_parse_iso(f1, &t1))
    return KC_EFIELD;
#define GROUP_COL(p) "CASE WHEN ? = 1 THEN " p "unit_id ELSE " p "procedure_id END"
  static const char q[] = "SELECT " GROUP_COL(
      "") ", "
          "SUM(CASE WHEN received_day >= ? AND received_day <= ? THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN resolved_day >= ? AND resolved_day <= ? AND result = 'early' THEN 1 ELSE "
          "0 END), "
          "SUM(CASE WHEN resolved_day >= ? AND resolved_day <= ? AND result = 'on_time' THEN 1 "
          "ELSE 0 "
          "END), "
          "SUM(CASE WHEN resolved_day >= ? AND resolved_day <= ? AND result = 'late' THEN 1 ELSE 0 "
          "END), "
          "SUM(CASE WHEN resolved_day >= ? AND resolved_day <= ? THEN work_days ELSE 0 END), "
          "SUM(CASE WHEN returned_at >= ? AND returned_at <= ? THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN status = 'refused' AND closed_at >= ? AND closed_at <= ? THEN 1 ELSE 0 "
          "END), "
          "SUM(CASE WHEN status = 'withdrawn' AND closed_at >= ? AND closed_at <= ? THEN 1 ELSE 0 "
          "END), "
          "0, "
          "SUM(CASE WHEN resolved_day >= ? AND resolved_day <= ? AND result = 'late' AND apologies "
          "= 0 "
          "THEN 1 ELSE 0 END) "
          "FROM dossiers WHERE unit_path >= ? AND unit_path < ? AND (? = 0 OR procedure_id = ?) "
          "AND "
          "received_day <= ? GROUP BY 1 ORDER BY 1";
  static const char qa[] =
      "SELECT " GROUP_COL("d.") ", COUNT(*) FROM dossier_apologies ap JOIN dossiers d ON d.id = "
                                "ap.dossier_id WHERE d.unit_path >= ? AND d.unit_path < ? AND (? = "
                                "0 OR d.procedure_id = ?) AND "
                                "ap.issued_at >= ? AND ap.issued_at <= ? GROUP BY 1 ORDER BY 1";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  int i = 1;
  kc_stmt_bind_i64(s, i++, by_unit);
  for (int k = 0; k < 5; k++) {
    kc_stmt_bind_text(s, i++, from, -1);
    kc_stmt_bind_text(s, i++, to, -1);
  }
  for (int k = 0; k < 3; k++) {
    kc_stmt_bind_i64(s, i++, t0);
    kc_stmt_bind_i64(s, i++, t1);
  }
  kc_stmt_bind_text(s, i++, from, -1);
  kc_stmt_bind_text(s, i++, to, -1);
  kc_stmt_bind_text(s, i++, lo, -1);
  kc_stmt_bind_text(s, i++, hi, -1);
  kc_stmt_bind_i64(s, i++, procedure_id);
  kc_stmt_bind_i64(s, i++, procedure_id);
  kc_stmt_bind_text(s, i++, to, -1);
  e = add_rows(s, a, 0, 10);
  kc_stmt_reset(s);
  if (!e)
    e = kc_stmt_query(ctx->conn, qa, &s, KC_I64(by_unit), KC_TXT(lo), KC_TXT(hi),
                      KC_I64(procedure_id), KC_I64(procedure_id), KC_I64(t0), KC_I64(t1));
  if (!e) {
    e = add_rows(s, a, C_APOLOGIES, 1);
    kc_stmt_reset(s);
  }
  return e;
}

/* Dossiers in process at the end of day `at`: on time, overdue, overdue with no apology.
 * lo/hi bound a subtree (NULL: the whole city, so the planner is not led to a unit index). For
 * a day in the past, what was in process then is the union of three disjoint sets, each
 * answered from its own index: still open; resolved after it; closed (refused, withdrawn)
 * after it — each received by then. */
#define SNAP_COUNTS                                                                                \
  "SUM(CASE WHEN due_date >= ? THEN 1 ELSE 0 END), SUM(CASE WHEN due_date < ? THEN 1 ELSE 0 "      \
  "END), SUM(CASE WHEN due_date < ? AND apologies = 0 THEN 1 ELSE 0 END) FROM dossiers WHERE "
#define SNAP_TAIL " AND (? = 0 OR procedure_id = ?) GROUP BY 1 ORDER BY 1"
#define SNAP_UNIT " AND unit_path >= ? AND unit_path < ?"
#define SNAP_SQL(cond)                                                                             \
  "SELECT " GROUP_COL("") ", " SNAP_COUNTS cond SNAP_TAIL,                                         \
      "SELECT " GROUP_COL("") ", " SNAP_COUNTS cond SNAP_UNIT SNAP_TAIL
static kc_err snapshot(kc_ctx *ctx, bool by_unit, const char *at, bool now, const char *lo,
                       const char *hi, int64_t procedure_id, acc *a)
{
  static const char *const q[4][2] = {
      {SNAP_SQL("open = 1")},
      {SNAP_SQL("open = 1 AND received_day <= ?")},
      {SNAP_SQL("resolved_day > ? AND received_day <= ?")},
      {SNAP_SQL("resolved_day IS NULL AND closed_at > ? AND received_day <= ?")},
  };
  int64_t end = 0;
  if (!now) {
    char b[32];
    snprintf(b, sizeof b, "%sT23:59:59", at);
    if (kc_time_parse_iso(b, &end))
      return KC_EFIELD;
  }
  kc_err e = KC_OK;
  for (int part = now ? 0 : 1; !e && part < (now ? 1 : 4); part++) {
    kc_stmt *s;
    e = kc_stmt_prepare(ctx->conn, q[part][lo != NULL], &s);
    if (e)
      break;
    int i = 1;
    kc_stmt_bind_i64(s, i++, by_unit);
    for (int k = 0; k < 3; k++)
      kc_stmt_bind_text(s, i++, at, -1);
    if (part == 1)
      kc_stmt_bind_text(s, i++, at, -1);
    if (part == 2) {
      kc_stmt_bind_text(s, i++, at, -1);
      kc_stmt_bind_text(s, i++, at, -1);
    }
    if (part == 3) {
      kc_stmt_bind_i64(s, i++, end);
      kc_stmt_bind_text(s, i++, at, -1);
    }
    if (lo) {
      kc_stmt_bind_text(s, i++, lo, -1);
      kc_stmt_bind_text(s, i++, hi, -1);
    }
    kc_stmt_bind_i64(s, i++, procedure_id);
    kc_stmt_bind_i64(s, i++, procedure_id);
    e = add_rows(s, a, C_OPEN_ON_TIME, 3);
    kc_stmt_reset(s);
  }
  return e;
}

static json_t *counters(const int64_t *c)
{
  json_t *o = json_object();
  for (int i = 0; i < C__COUNT; i++)
    if (i != C_WORK_DAYS)
      json_object_set_new(o, names[i], json_integer(c[i]));
  int64_t resolved = c[C_EARLY] + c[C_ON_TIME] + c[C_LATE];
  json_object_set_new(o, "resolved", json_integer(resolved));
  json_object_set_new(o, "in_process", json_integer(c[C_OPEN_ON_TIME] + c[C_OPEN_OVERDUE]));
  json_object_set_new(
      o, "on_time_rate",
      resolved ? json_real((double)((c[C_EARLY] + c[C_ON_TIME]) * 1000 / resolved) / 1000.0)
               : json_null());
  json_object_set_new(o, "avg_work_days",
                      resolved ? json_real((double)(c[C_WORK_DAYS] * 10 / resolved) / 10.0)
                               : json_null());
  return o;
}

/* Names of the groups. */
static kc_err label(kc_ctx *ctx, bool by_unit, json_t *o, int64_t id)
{
  static const char qu[] = "SELECT code, name FROM units WHERE id = ?";
  static const char qp[] = "SELECT code, name FROM procedures WHERE id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, by_unit ? qu : qp, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    json_object_set_new(o, by_unit ? "unit_id" : "procedure_id", json_integer(id));
    json_object_set_new(o, by_unit ? "unit_code" : "procedure_code",
                        json_string(kc_stmt_text(s, 0)));
    json_object_set_new(o, by_unit ? "unit_name" : "procedure_name",
                        json_string(kc_stmt_text(s, 1)));
  }
  kc_stmt_reset(s);
  return e;
}

static int by_received(const void *x, const void *y)
{
  const group *a = x, *b = y;
  if (a->c[C_RECEIVED] != b->c[C_RECEIVED])
    return a->c[C_RECEIVED] > b->c[C_RECEIVED] ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

kc_err kc_dossier_stats(kc_ctx *ctx, const kc_dossier_stats_in *in, json_t **out)
{
  const kc_actor *ac = ctx->actor;
  if (!kc_actor_in(ac, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không xem được thống kê");
  if (!in->from || !kc_date_valid(in->from))
    return kc_ctx_fail(ctx, KC_EFIELD, "from", "Thiếu hoặc sai ngày bắt đầu (YYYY-MM-DD)");
  if (!in->to || !kc_date_valid(in->to))
    return kc_ctx_fail(ctx, KC_EFIELD, "to", "Thiếu hoặc sai ngày kết thúc (YYYY-MM-DD)");
  if (strcmp(in->from, in->to) > 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "to", "Ngày kết thúc trước ngày bắt đầu");
  const char *gb = in->group_by ? in->group_by : "unit";
  if (strcmp(gb, "unit") && strcmp(gb, "procedure"))
    return kc_ctx_fail(ctx, KC_EFIELD, "group_by", "group_by phải là unit hoặc procedure");
  bool by_unit = !strcmp(gb, "unit");
  /* the subtree: the one asked for, inside the actor's scope */
  const char *path = NULL, *lo, *hi;
  kc_err e;
  if (in->unit_id) {
    e = kc_unit_path(ctx, in->unit_id, &path);
    if (e == KC_ENOTFOUND)
      return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị không tồn tại");
    if (e)
      return kc_ctx_code(ctx, e);
    if (ac && !kc_role_citywide(ac->role) && !kc_scope_covers(ac, path))
      return kc_ctx_fail(ctx, KC_EFORBIDDEN, "unit_id",
                         "Bạn chỉ xem thống kê của đơn vị mình hoặc cấp dưới");
  } else if (ac && !kc_role_citywide(ac->role)) {
    path = ac->unit_path;
  }
  lo = hi = NULL; /* the whole city */
  if (path)
    kc_path_range(ctx->arena, path, &lo, &hi);
  char today[16];
  kc_time_format_date(ctx->now, today, sizeof today);
  bool now = strcmp(in->to, today) >= 0;
  const char *at = now ? today : in->to;
  acc a = {0};
  bool narrowed = path != NULL;
  /* per-day tables answer "by unit" (any procedure) and "by procedure" (all units) */
  if (by_unit && !in->procedure_id)
    e = from_days(ctx, true, in->from, in->to, lo, hi, 0, &a);
  else if (!by_unit && !narrowed)
    e = from_days(ctx, false, in->from, in->to, lo, hi, in->procedure_id, &a);
  else /* a subtree and a procedure, or procedures within a subtree: the dossiers themselves */
    e = from_dossiers(ctx, by_unit, in->from, in->to, lo, hi, in->procedure_id, &a);
  if (!e)
    e = snapshot(ctx, by_unit, at, now, lo, hi, in->procedure_id, &a);
  json_t *items = json_array();
  int64_t total[C__COUNT] = {0};
  if (!e && a.n)
    qsort(a.g, a.n, sizeof *a.g, by_received);
  for (size_t i = 0; !e && i < a.n; i++) {
    bool any = false;
    for (int k = 0; k < C__COUNT; k++)
      any |= a.g[i].c[k] != 0;
    if (!any)
      continue;
    json_t *o = counters(a.g[i].c);
    e = label(ctx, by_unit, o, a.g[i].id);
    json_array_append_new(items, o);
    for (int k = 0; k < C__COUNT; k++)
      total[k] += a.g[i].c[k];
  }
  free(a.g);
  if (e) {
    json_decref(items);
    return kc_ctx_code(ctx, e);
  }
  *out = json_pack("{ss ss ss ss so so}", "group_by", gb, "from", in->from, "to", in->to, "as_of",
                   at, "items", items, "total", counters(total));
  return KC_OK;
}
