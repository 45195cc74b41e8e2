/* task_flow.c: what happens to a task after it is assigned: progress reports, completion
 * with evidence, reopening, cancellation, extension requests and decisions. Each change
 * checks who may make it, takes the row's version, and is audited. */
#include "base/clock.h"
#include "domain/core/change.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/tasks/task_priv.h"
#include <inttypes.h>
#include <string.h>

/* Loads the task for a change, checking visibility and (when version > 0) the version. */
static kc_err begin_change(kc_ctx *ctx, int64_t id, int64_t version, kc_task_row *r)
{
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  e = kc_task__load_visible(ctx, id, r);
  if (e)
    return kc_tx_end(ctx, e);
  if (version && r->version != version) {
    json_decref(r->json);
    r->json = NULL;
    return kc_tx_end(ctx, kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                                      "Nhiệm vụ đã được người khác cập nhật (phiên bản %" PRId64
                                      ", bạn gửi %" PRId64 "); vui lòng tải lại",
                                      r->version, version));
  }
  if (r->is_group || r->recurring) {
    json_decref(r->json);
    r->json = NULL;
    return kc_tx_end(ctx,
                     kc_ctx_fail(ctx, KC_EFIELD, NULL,
                                 r->is_group ? "Đây là nhiệm vụ giao cho nhóm đơn vị; hãy cập nhật "
                                               "nhiệm vụ của từng đơn vị"
                                             : "Đây là nhiệm vụ định kỳ; hãy cập nhật từng kỳ"));
  }
  return KC_OK;
}

/* Audits the change, commits, and answers the task as it is now. */
static kc_err end_change(kc_ctx *ctx, kc_err e, const char *action, kc_task_row *before,
                         json_t **out)
{
  kc_task_row after = {0};
  if (!e)
    e = kc_task__load(ctx, before->id, &after);
  if (!e)
    e = kc_audit_write(ctx, action, "task", before->id, before->json, after.json);
  json_decref(before->json);
  before->json = NULL;
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(after.json);
    return e;
  }
  if (out)
    *out = after.json;
  else
    json_decref(after.json);
  return KC_OK;
}

kc_err kc_task_progress(kc_ctx *ctx, int64_t id, int percent, const char *note, json_t **out)
{
  kc_err e = kc_text_field(ctx, "note", "Nội dung tiến độ", &note, 5000, true);
  if (e)
    return e;
  if (percent < 0 || percent > 100)
    return kc_ctx_fail(ctx, KC_EFIELD, "percent", "Tiến độ phải từ 0 đến 100 (%%)");
  kc_task_row r;
  e = begin_change(ctx, id, 0, &r);
  if (e)
    return e;
  if (!kc_task__is_lead(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị chủ trì được báo cáo tiến độ");
  else if (!strcmp(r.status, "cancelled") || !strncmp(r.status, "done", 4))
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Nhiệm vụ đã hoàn thành hoặc đã hủy");
  kc_stmt *s;
  static const char qi[] = "INSERT INTO task_progress (task_id, at, percent, note, account_id) "
                           "VALUES (?, ?, ?, ?, ?)";
  static const char qu[] = "UPDATE tasks SET progress = ?, version = version + 1, updated_at = ? "
                           "WHERE id = ?";
  if (!e)
    e = kc_stmt_prepare(ctx->conn, qi, &s);
  if (!e) {
    kc_stmt_bind_i64(s, 1, id);
    kc_stmt_bind_i64(s, 2, ctx->now);
    kc_stmt_bind_i64(s, 3, percent);
    kc_stmt_bind_text(s, 4, note, -1);
    if (ctx->actor)
      kc_stmt_bind_i64(s, 5, ctx->actor->account_id);
    else
      kc_stmt_bind_null(s, 5);
    e = kc_stmt_run(s);
  }
  if (!e)
    e = kc_stmt_query(ctx->conn, qu, &s, KC_I64(percent), KC_I64(ctx->now), KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  return end_change(ctx, e, "progress", &r, out);
}

/* The rows of one of a visible task's own lists (progress reports, extensions, due history). */
static kc_err task_rows(kc_ctx *ctx, int64_t id, const char *sql, kc_list_stmt_fn fn,
                        json_t **items)
{
  kc_task_row r;
  kc_err e = kc_task__load_visible(ctx, id, &r);
  if (e)
    return e;
  json_decref(r.json);
  e = kc_rows_json(ctx, sql, fn, items, KC_I64(id));
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

static json_t *progress_json(kc_stmt *s)
{
  char at[32];
  kc_time_format_iso(kc_stmt_i64(s, 1), at, sizeof at);
  return json_pack("{sI ss si ss ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "at", at, "percent",
                   (int)kc_stmt_i64(s, 2), "note", kc_stmt_text(s, 3), "by", kc_stmt_text(s, 4));
}

kc_err kc_task_progress_list(kc_ctx *ctx, int64_t id, json_t **items)
{
  static const char q[] = "SELECT p.id, p.at, p.percent, p.note, a.username FROM task_progress p "
                          "LEFT JOIN accounts a ON a.id = p.account_id WHERE p.task_id = ? "
                          "ORDER BY p.at, p.id";
  return task_rows(ctx, id, q, progress_json, items);
}

kc_err kc_task_complete(kc_ctx *ctx, int64_t id, const char *completed_on, const char *evidence,
                        int64_t version, json_t **out)
{
  kc_err e = kc_text_field(ctx, "evidence", "Văn bản báo cáo kết quả", &evidence, 2000, true);
  if (!e)
    e = kc_text_field(ctx, "completed_on", "Ngày hoàn thành", &completed_on, 10, true);
  if (e)
    return e;
  if (!kc_date_valid(completed_on))
    return kc_ctx_fail(ctx, KC_EFIELD, "completed_on", "Ngày hoàn thành không hợp lệ (YYYY-MM-DD)");
  if (strcmp(completed_on, kc_task__today(ctx)) > 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "completed_on", "Ngày hoàn thành không được sau hôm nay");
  kc_task_row r;
  e = begin_change(ctx, id, version, &r);
  if (e)
    return e;
  if (!kc_task__is_lead(ctx, &r) && !kc_task__is_assigner(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị chủ trì được báo cáo hoàn thành");
  else if (!strcmp(r.status, "cancelled") || !strncmp(r.status, "done", 4))
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Nhiệm vụ đã hoàn thành hoặc đã hủy");
  kc_stmt *s;
  static const char q[] = "UPDATE tasks SET completed_on = ?, completion_evidence = ?, progress "
                          "= 100, version = version + 1, updated_at = ? WHERE id = ?";
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(completed_on), KC_TXT(evidence), KC_I64(ctx->now),
                      KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  return end_change(ctx, e, "complete", &r, out);
}

kc_err kc_task_reopen(kc_ctx *ctx, int64_t id, const char *reason, int64_t version, json_t **out)
{
  kc_err e = kc_text_field(ctx, "reason", "Lý do mở lại", &reason, 2000, true);
  if (e)
    return e;
  kc_task_row r;
  e = begin_change(ctx, id, version, &r);
  if (e)
    return e;
  if (!kc_task__is_assigner(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị giao nhiệm vụ được mở lại nhiệm vụ");
  else if (strncmp(r.status, "done", 4))
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Chỉ mở lại được nhiệm vụ đã hoàn thành");
  kc_stmt *s;
  static const char q[] = "UPDATE tasks SET completed_on = NULL, completion_evidence = NULL, "
                          "version = version + 1, updated_at = ? WHERE id = ?";
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (!e) {
    json_object_set_new(r.json, "reopen_reason", json_string(reason));
  }
  return end_change(ctx, e, "reopen", &r, out);
}

kc_err kc_task_cancel(kc_ctx *ctx, int64_t id, const char *reason, int64_t version, json_t **out)
{
  kc_err e = kc_text_field(ctx, "reason", "Lý do hủy", &reason, 2000, true);
  if (e)
    return e;
  kc_task_row r;
  e = begin_change(ctx, id, version, &r);
  if (e)
    return e;
  if (!kc_task__is_assigner(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị giao nhiệm vụ được hủy nhiệm vụ");
  else if (!strcmp(r.status, "cancelled"))
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Nhiệm vụ đã bị hủy trước đó");
  kc_stmt *s;
  static const char q[] = "UPDATE tasks SET cancelled_at = ?, cancel_reason = ?, version = "
                          "version + 1, updated_at = ? WHERE id = ?";
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_TXT(reason), KC_I64(ctx->now),
                      KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  return end_change(ctx, e, "cancel", &r, out);
}

#define EXT_COLS                                                                                   \
  "x.id, x.task_id, x.requested_at, ra.username, x.reason, x.old_due_date, x.new_due_date, "       \
  "x.status, x.decided_at, da.username, x.decision_note"
#define EXT_FROM                                                                                   \
  " FROM task_extensions x LEFT JOIN accounts ra ON ra.id = x.requested_by LEFT JOIN "             \
  "accounts da ON da.id = x.decided_by"

static json_t *ext_json(kc_stmt *s)
{
  char at[32], dat[32];
  kc_time_format_iso(kc_stmt_i64(s, 2), at, sizeof at);
  json_t *o = json_pack("{sI sI ss ss ss ss ss ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "task_id",
                        (json_int_t)kc_stmt_i64(s, 1), "requested_at", at, "requested_by",
                        kc_stmt_text(s, 3), "reason", kc_stmt_text(s, 4), "old_due_date",
                        kc_stmt_text(s, 5), "new_due_date", kc_stmt_text(s, 6), "status",
                        kc_stmt_text(s, 7));
  if (!kc_stmt_is_null(s, 8)) {
    kc_time_format_iso(kc_stmt_i64(s, 8), dat, sizeof dat);
    json_object_set_new(o, "decided_at", json_string(dat));
    json_object_set_new(o, "decided_by", json_string(kc_stmt_text(s, 9)));
    json_object_set_new(o, "decision_note", json_string(kc_stmt_text(s, 10)));
  }
  return o;
}

static kc_err load_ext(kc_ctx *ctx, int64_t task_id, int64_t ext_id, json_t **out)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT " EXT_COLS EXT_FROM " WHERE x.id = ? AND x.task_id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ext_id), KC_I64(task_id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    e = row ? (*out = ext_json(s), KC_OK) : KC_ENOTFOUND;
  kc_stmt_reset(s);
  return e;
}

kc_err kc_task_extension_request(kc_ctx *ctx, int64_t id, const char *new_due, const char *reason,
                                 json_t **out)
{
  kc_err e = kc_text_field(ctx, "reason", "Lý do xin gia hạn", &reason, 2000, true);
  if (!e)
    e = kc_text_field(ctx, "new_due_date", "Hạn mới đề nghị", &new_due, 10, true);
  if (e)
    return e;
  if (!kc_date_valid(new_due))
    return kc_ctx_fail(ctx, KC_EFIELD, "new_due_date", "Hạn mới không hợp lệ (YYYY-MM-DD)");
  kc_task_row r;
  e = begin_change(ctx, id, 0, &r);
  if (e)
    return e;
  if (!kc_task__is_lead(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị chủ trì được xin gia hạn");
  else if (!strcmp(r.status, "cancelled") || !strncmp(r.status, "done", 4))
    e = kc_ctx_fail(ctx, KC_EFIELD, NULL, "Nhiệm vụ đã hoàn thành hoặc đã hủy");
  else if (strcmp(new_due, r.due_date) <= 0)
    e = kc_ctx_fail(ctx, KC_EFIELD, "new_due_date", "Hạn mới phải sau hạn hiện tại (%s)",
                    r.due_date);
  kc_stmt *s;
  bool row;
  static const char qp[] =
      "SELECT id FROM task_extensions WHERE task_id = ? AND status = 'pending'";
  if (!e)
    e = kc_stmt_query(ctx->conn, qp, &s, KC_I64(id));
  if (!e) {
    e = kc_stmt_step(s, &row);
    kc_stmt_reset(s);
    if (!e && row)
      e = kc_ctx_fail(ctx, KC_ECONFLICT, NULL,
                      "Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định");
  }
  int64_t ext_id = 0;
  static const char qi[] = "INSERT INTO task_extensions (task_id, requested_at, requested_by, "
                           "reason, old_due_date, new_due_date, status) VALUES (?, ?, ?, ?, ?, ?, "
                           "'pending') RETURNING id";
  if (!e)
    e = kc_stmt_prepare(ctx->conn, qi, &s);
  if (!e) {
    kc_stmt_bind_i64(s, 1, id);
    kc_stmt_bind_i64(s, 2, ctx->now);
    if (ctx->actor)
      kc_stmt_bind_i64(s, 3, ctx->actor->account_id);
    else
      kc_stmt_bind_null(s, 3);
    kc_stmt_bind_text(s, 4, reason, -1);
    kc_stmt_bind_text(s, 5, r.due_date, -1);
    kc_stmt_bind_text(s, 6, new_due, -1);
    e = kc_stmt_step(s, &row);
    if (!e && row)
      ext_id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
  }
  json_t *x = NULL;
  if (!e)
    e = load_ext(ctx, id, ext_id, &x);
  e = kc_change_end(ctx, e, "request", "task_extension", ext_id, NULL, x, out);
  json_decref(r.json);
  return e;
}

kc_err kc_task_extension_decide(kc_ctx *ctx, int64_t ext_id, bool approve, const char *note,
                                json_t **out)
{
  kc_err e = kc_text_field(ctx, "note", "Ý kiến", &note, 2000, !approve);
  if (e)
    return e;
  int64_t task_id = 0;
  kc_stmt *s0;
  bool found = false;
  static const char q0[] = "SELECT task_id FROM task_extensions WHERE id = ?";
  e = kc_stmt_query(ctx->conn, q0, &s0, KC_I64(ext_id));
  if (e)
    return kc_ctx_code(ctx, e);
  e = kc_stmt_step(s0, &found);
  if (!e && found)
    task_id = kc_stmt_i64(s0, 0);
  kc_stmt_reset(s0);
  if (e)
    return kc_ctx_code(ctx, e);
  if (!found)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy đề nghị gia hạn");
  kc_task_row r;
  e = begin_change(ctx, task_id, 0, &r);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  if (!kc_task__is_assigner(ctx, &r))
    e = kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ đơn vị giao nhiệm vụ được quyết định gia hạn");
  /* Once a task is done or cancelled its deadline is history: moving it would turn a late
   * completion into an on-time one. */
  else if (approve && (!strcmp(r.status, "cancelled") || !strncmp(r.status, "done", 4)))
    e = kc_ctx_fail(ctx, KC_ECONFLICT, NULL,
                    "Nhiệm vụ đã hoàn thành hoặc đã hủy; không thể gia hạn nữa");
  if (!e && (e = load_ext(ctx, task_id, ext_id, &before)) == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy đề nghị gia hạn");
  if (!e && strcmp(json_string_value(json_object_get(before, "status")), "pending"))
    e = kc_ctx_fail(ctx, KC_ECONFLICT, NULL, "Đề nghị gia hạn đã được quyết định");
  kc_stmt *s;
  static const char qx[] = "UPDATE task_extensions SET status = ?, decided_at = ?, decided_by = ?, "
                           "decision_note = ?, version = version + 1 WHERE id = ?";
  if (!e)
    e = kc_stmt_prepare(ctx->conn, qx, &s);
  if (!e) {
    kc_stmt_bind_text(s, 1, approve ? "approved" : "refused", -1);
    kc_stmt_bind_i64(s, 2, ctx->now);
    if (ctx->actor)
      kc_stmt_bind_i64(s, 3, ctx->actor->account_id);
    else
      kc_stmt_bind_null(s, 3);
    kc_stmt_bind_text(s, 4, note ? note : "", -1);
    kc_stmt_bind_i64(s, 5, ext_id);
    e = kc_stmt_run(s);
  }
  const char *new_due = before ? json_string_value(json_object_get(before, "new_due_date")) : NULL;
  static const char qt[] = "UPDATE tasks SET due_date = ?, version = version + 1, updated_at = ? "
                           "WHERE id = ?";
  if (!e && approve && !(e = kc_stmt_prepare(ctx->conn, qt, &s))) {
    kc_stmt_bind_vals(s, KC_TXT(new_due), KC_I64(ctx->now), KC_I64(task_id));
    e = kc_stmt_run(s);
  }
  if (!e && approve)
    e = kc_task__due_history(ctx, task_id, r.due_date, new_due, "Chấp thuận gia hạn");
  if (!e)
    e = load_ext(ctx, task_id, ext_id, &after);
  if (!e)
    e = kc_audit_write(ctx, approve ? "approve" : "refuse", "task_extension", ext_id, before,
                       after);
  if (!e && approve) {
    /* the task's own record changed too (due date, version) */
    kc_task_row now_row = {0};
    e = kc_task__load(ctx, task_id, &now_row);
    if (!e)
      e = kc_audit_write(ctx, "extend", "task", task_id, r.json, now_row.json);
    json_decref(now_row.json);
  }
  json_decref(before);
  json_decref(r.json);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(after);
    return e;
  }
  *out = after;
  return KC_OK;
}

kc_err kc_task_extension_list(kc_ctx *ctx, int64_t id, json_t **items)
{
  static const char q[] = "SELECT " EXT_COLS EXT_FROM " WHERE x.task_id = ? ORDER BY x.id";
  return task_rows(ctx, id, q, ext_json, items);
}

static json_t *due_change_json(kc_stmt *s)
{
  char at[32];
  kc_time_format_iso(kc_stmt_i64(s, 0), at, sizeof at);
  return json_pack("{ss so so ss so}", "at", at, "old_due_date",
                   kc_stmt_is_null(s, 1) ? json_null() : json_string(kc_stmt_text(s, 1)),
                   "new_due_date",
                   kc_stmt_is_null(s, 2) ? json_null() : json_string(kc_stmt_text(s, 2)), "reason",
                   kc_stmt_text(s, 3), "by",
                   kc_stmt_is_null(s, 4) ? json_null() : json_string(kc_stmt_text(s, 4)));
}

kc_err kc_task_due_history(kc_ctx *ctx, int64_t id, json_t **items)
{
  static const char q[] = "SELECT h.at, h.old_due_date, h.new_due_date, h.reason, a.username FROM "
                          "task_due_history h LEFT JOIN accounts a ON a.id = h.account_id WHERE "
                          "h.task_id = ? ORDER BY h.id";
  return task_rows(ctx, id, q, due_change_json, items);
}
