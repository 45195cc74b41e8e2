/* attachment.c: see attachment.h. */
#include "domain/core/attachment.h"
#include "base/clock.h"
#include "base/files.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/tasks/directive.h"
#include "domain/tasks/task_priv.h"
#include <string.h>

/* Checks the owner exists and the actor may read it (and, when `write`, attach to it). */
static kc_err check_owner(kc_ctx *ctx, const char *owner, int64_t id, bool write)
{
  if (!strcmp(owner, "task")) {
    kc_task_row r;
    kc_err e = kc_task__load_visible(ctx, id, &r);
    if (e)
      return e;
    bool ok = !write || kc_task__is_lead(ctx, &r) || kc_task__is_assigner(ctx, &r);
    json_decref(r.json);
    return ok ? KC_OK
              : kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                            "Chỉ đơn vị chủ trì hoặc đơn vị giao được đính kèm tệp vào nhiệm vụ");
  }
  if (!strcmp(owner, "directive")) {
    json_t *d = NULL;
    kc_err e = kc_directive_get(ctx, id, &d);
    json_decref(d);
    if (e)
      return e;
    const kc_actor *a = ctx->actor;
    if (write && !kc_actor_in(a, KC_RS_ASSIGN))
      return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Bạn không có quyền đính kèm tệp vào văn bản");
    return KC_OK;
  }
  return kc_ctx_fail(ctx, KC_EFIELD, "owner", "Chỉ đính kèm vào văn bản hoặc nhiệm vụ");
}

#define ATT_COLS                                                                                   \
  "t.id, t.owner, t.owner_id, t.filename, t.content_type, t.size, t.sha256, t.created_at, "        \
  "COALESCE(a.username, '')"

static json_t *row_json(kc_stmt *s)
{
  char c[32];
  kc_time_format_iso(kc_stmt_i64(s, 7), c, sizeof c);
  return json_pack("{sI ss sI ss ss sI ss ss ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "owner",
                   kc_stmt_text(s, 1), "owner_id", (json_int_t)kc_stmt_i64(s, 2), "filename",
                   kc_stmt_text(s, 3), "content_type", kc_stmt_text(s, 4), "size",
                   (json_int_t)kc_stmt_i64(s, 5), "sha256", kc_stmt_text(s, 6), "created_at", c,
                   "by", kc_stmt_text(s, 8));
}

kc_err kc_attachment_add(kc_ctx *ctx, const char *files_dir, const char *owner, int64_t owner_id,
                         const char *filename, const char *content_type, const void *data,
                         size_t len, json_t **out)
{
  kc_err e = kc_text_field(ctx, "filename", "Tên tệp", &filename, 255, true);
  if (e)
    return e;
  if (strchr(filename, '/') || strchr(filename, '\\'))
    return kc_ctx_fail(ctx, KC_EFIELD, "filename", "Tên tệp không được chứa dấu / hoặc \\");
  if (!content_type || !*content_type || strlen(content_type) > 100 ||
      strpbrk(content_type, "\r\n"))
    content_type = "application/octet-stream";
  if (len == 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "file", "Tệp rỗng");
  if (len > KC_ATTACHMENT_MAX)
    return kc_ctx_fail(ctx, KC_ETOOLARGE, "file", "Tệp lớn hơn 8 MiB");
  e = check_owner(ctx, owner, owner_id, true);
  if (e)
    return e;
  char sha[KC_SHA256_HEX];
  if (kc_files_put(files_dir, data, len, sha))
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không lưu được tệp (thư mục %s)", files_dir);
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  bool row;
  int64_t id = 0;
  static const char q[] = "INSERT INTO attachments (owner, owner_id, filename, content_type, size, "
                          "sha256, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                          "RETURNING id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    kc_stmt_bind_text(s, 1, owner, -1);
    kc_stmt_bind_i64(s, 2, owner_id);
    kc_stmt_bind_text(s, 3, filename, -1);
    kc_stmt_bind_text(s, 4, content_type, -1);
    kc_stmt_bind_i64(s, 5, (int64_t)len);
    kc_stmt_bind_text(s, 6, sha, -1);
    if (ctx->actor)
      kc_stmt_bind_i64(s, 7, ctx->actor->account_id);
    else
      kc_stmt_bind_null(s, 7);
    kc_stmt_bind_i64(s, 8, ctx->now);
    e = kc_stmt_step(s, &row);
    if (!e && row)
      id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
  }
  json_t *rec = NULL;
  static const char ql[] = "SELECT " ATT_COLS " FROM attachments t LEFT JOIN accounts a ON a.id = "
                           "t.account_id WHERE t.id = ?";
  if (!e)
    e = kc_stmt_query(ctx->conn, ql, &s, KC_I64(id));
  if (!e) {
    e = kc_stmt_step(s, &row);
    if (!e && row)
      rec = row_json(s);
    kc_stmt_reset(s);
  }
  return kc_change_end(ctx, e, "attach", owner, owner_id, NULL, rec, out);
}

kc_err kc_attachment_list(kc_ctx *ctx, const char *owner, int64_t owner_id, json_t **items)
{
  kc_err e = check_owner(ctx, owner, owner_id, false);
  if (e)
    return e;
  kc_stmt *s;
  bool row;
  static const char q[] = "SELECT " ATT_COLS " FROM attachments t LEFT JOIN accounts a ON a.id = "
                          "t.account_id WHERE t.owner = ? AND t.owner_id = ? ORDER BY t.id";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(owner), KC_I64(owner_id));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
    json_array_append_new(arr, row_json(s));
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *items = arr;
  return KC_OK;
}

kc_err kc_attachment_get(kc_ctx *ctx, const char *files_dir, int64_t id, json_t **rec,
                         const char **path)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT " ATT_COLS " FROM attachments t LEFT JOIN accounts a ON a.id = "
                          "t.account_id WHERE t.id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *r = NULL;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    r = row_json(s);
  kc_stmt_reset(s);
  if (e)
    return kc_ctx_code(ctx, e);
  if (!r)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy tệp đính kèm");
  /* an attachment of something the actor cannot see does not exist for them */
  e = check_owner(ctx, json_string_value(json_object_get(r, "owner")),
                  json_integer_value(json_object_get(r, "owner_id")), false);
  if (e) {
    json_decref(r);
    return e == KC_EFORBIDDEN ? kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy tệp đính kèm")
                              : e;
  }
  char buf[4096];
  kc_files_path(files_dir, json_string_value(json_object_get(r, "sha256")), buf, sizeof buf);
  *path = kc_arena_strdup(ctx->arena, buf);
  *rec = r;
  return KC_OK;
}
