/* task_stats.c: timeliness statistics per lead unit, as official reports count them
 * (vn-rules §8): tasks due in the period, split into done on time / done late / open in time
 * / open overdue. Cancelled tasks, group parents and recurring templates are not counted.
 * on_time_rate = done_on_time / (done_on_time + done_late + open_overdue): the share of the
 * tasks whose outcome is decided that met their deadline; null when none is decided. */
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/tasks/task_priv.h"
#include <string.h>

static json_t *rate(int64_t ok, int64_t decided)
{
  return decided ? json_real((double)ok / (double)decided) : json_null();
}

static json_t *counts(int64_t assigned, int64_t ot, int64_t late, int64_t open_ok, int64_t overdue)
{
  return json_pack("{sI sI sI sI sI so}", "assigned", (json_int_t)assigned, "done_on_time",
                   (json_int_t)ot, "done_late", (json_int_t)late, "open_in_time",
                   (json_int_t)open_ok, "open_overdue", (json_int_t)overdue, "on_time_rate",
                   rate(ot, ot + late + overdue));
}

kc_err kc_task_stats(kc_ctx *ctx, const char *from, const char *to, int64_t directive_id,
                     json_t **out)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không xem được thống kê");
  if (!from || !kc_date_valid(from))
    return kc_ctx_fail(ctx, KC_EFIELD, "from", "Thiếu hoặc sai ngày bắt đầu kỳ (YYYY-MM-DD)");
  if (!to || !kc_date_valid(to) || strcmp(to, from) < 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "to",
                       "Thiếu hoặc sai ngày kết thúc kỳ (YYYY-MM-DD, sau ngày bắt đầu)");
  const char *lo = "", *hi = "~";
  if (a && !kc_role_citywide(a->role))
    kc_path_range(ctx->arena, a->unit_path, &lo, &hi);
  const char *today = kc_task__today(ctx);
  /* Aggregate per lead unit from the covering index tasks_stats, then name the units. */
  static const char q[] =
      "SELECT x.lead_unit_id, u.name, u.code, x.n, x.ot, x.late, x.open_ok, x.overdue FROM ("
      "SELECT t.lead_unit_id, COUNT(*) AS n, "
      "SUM(CASE WHEN t.completed_on IS NOT NULL AND t.completed_on <= t.due_date THEN 1 ELSE 0 "
      "END) AS ot, "
      "SUM(CASE WHEN t.completed_on IS NOT NULL AND t.completed_on > t.due_date THEN 1 ELSE 0 END) "
      "AS late, "
      "SUM(CASE WHEN t.completed_on IS NULL AND t.due_date >= ? THEN 1 ELSE 0 END) AS open_ok, "
      "SUM(CASE WHEN t.completed_on IS NULL AND t.due_date < ? THEN 1 ELSE 0 END) AS overdue "
      "FROM tasks t WHERE t.due_date >= ? AND t.due_date <= ? AND t.cancelled_at IS NULL AND "
      "t.is_group = 0 AND t.lead_unit_path >= ? AND t.lead_unit_path < ? AND (? = 0 OR "
      "t.directive_id = ?) GROUP BY t.lead_unit_id) x JOIN units u ON u.id = x.lead_unit_id";
  kc_stmt *s;
  kc_err e;
  bool row;
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(today), KC_TXT(today), KC_TXT(from), KC_TXT(to),
                    KC_TXT(lo), KC_TXT(hi), KC_I64(directive_id), KC_I64(directive_id));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *units = json_array();
  int64_t tot[5] = {0};
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    int64_t v[5];
    for (int k = 0; k < 5; k++)
      tot[k] += v[k] = kc_stmt_i64(s, 3 + k);
    json_t *u = counts(v[0], v[1], v[2], v[3], v[4]);
    json_object_set_new(u, "unit_id", json_integer(kc_stmt_i64(s, 0)));
    json_object_set_new(u, "unit_name", json_string(kc_stmt_text(s, 1)));
    json_object_set_new(u, "unit_code", json_string(kc_stmt_text(s, 2)));
    json_array_append_new(units, u);
  }
  kc_stmt_reset(s);
  if (e) {
    json_decref(units);
    return kc_ctx_code(ctx, e);
  }
  /* Rank: on-time rate (undecided last), then more tasks first, then by name. Few rows (one
   * per unit), so a simple insertion sort is enough. */
  size_t n = json_array_size(units);
  for (size_t i = 1; i < n; i++) {
    for (size_t j = i; j > 0; j--) {
      json_t *x = json_array_get(units, j - 1), *y = json_array_get(units, j);
      json_t *rx = json_object_get(x, "on_time_rate"), *ry = json_object_get(y, "on_time_rate");
      double dx = json_is_null(rx) ? -1 : json_real_value(rx);
      double dy = json_is_null(ry) ? -1 : json_real_value(ry);
      int64_t ax = json_integer_value(json_object_get(x, "assigned"));
      int64_t ay = json_integer_value(json_object_get(y, "assigned"));
      bool swap = dy > dx ||
                  (dy == dx &&
                   (ay > ax ||
                    (ay == ax && strcmp(json_string_value(json_object_get(y, "unit_code")),
                                        json_string_value(json_object_get(x, "unit_code"))) < 0)));
      if (!swap)
        break;
      json_incref(x);
      json_array_set(units, j - 1, y);
      json_array_set_new(units, j, x);
    }
  }
  size_t i;
  json_t *u;
  json_array_foreach(units, i, u) json_object_set_new(u, "rank", json_integer((json_int_t)i + 1));
  *out = json_pack("{ss ss so so}", "from", from, "to", to, "units", units, "total",
                   counts(tot[0], tot[1], tot[2], tot[3], tot[4]));
  return KC_OK;
}
