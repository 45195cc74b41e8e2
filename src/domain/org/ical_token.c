/* ical_token.c: see ical_token.h. */
#include "domain/org/ical_token.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/core/access.h"
#include "domain/org/audit.h"
#include "domain/org/auth.h"
#include "domain/tasks/task.h"
#include <inttypes.h>
#include <string.h>

kc_err kc_ical_token_create(kc_ctx *ctx, const char *scope, json_t **out)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  if (!kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không có lịch hạn nhiệm vụ");
  if (!scope || (strcmp(scope, "user") && strcmp(scope, "unit")))
    return kc_ctx_fail(ctx, KC_EFIELD, "scope",
                       "Phạm vi phải là 'user' (của tôi) hoặc 'unit' (của đơn vị)");
  char token[KC_TOKEN_CHARS], th[KC_SHA256_HEX];
  kc_crypto_token(token);
  kc_crypto_sha256_hex(token, strlen(token), th);
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  bool row;
  int64_t id = 0;
  static const char q[] = "INSERT INTO ical_tokens (token_hash, account_id, scope, created_at) "
                          "VALUES (?, ?, ?, ?) RETURNING id";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(th), KC_I64(ctx->actor->account_id), KC_TXT(scope),
                    KC_I64(ctx->now));
  if (!e) {
    e = kc_stmt_step(s, &row);
    if (!e && row)
      id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
  }
  json_t *rec = json_pack("{sI ss}", "id", (json_int_t)id, "scope", scope);
  if (!e)
    e = kc_audit_write(ctx, "create", "ical_token", id, NULL, rec);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(rec);
    return e;
  }
  json_object_set_new(rec, "token", json_string(token));
  json_object_set_new(
      rec, "path", json_string(kc_arena_printf(ctx->arena, "/api/v1/public/ical?token=%s", token)));
  *out = rec;
  return KC_OK;
}

kc_err kc_ical_token_list(kc_ctx *ctx, json_t **items)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT id, scope, created_at, revoked_at FROM ical_tokens WHERE "
                          "account_id = ? ORDER BY id";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->actor->account_id));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    char c[32];
    kc_time_format_iso(kc_stmt_i64(s, 2), c, sizeof c);
    json_array_append_new(arr, json_pack("{sI ss ss sb}", "id", (json_int_t)kc_stmt_i64(s, 0),
                                         "scope", kc_stmt_text(s, 1), "created_at", c, "revoked",
                                         !kc_stmt_is_null(s, 3)));
  }
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *items = arr;
  return KC_OK;
}

kc_err kc_ical_token_revoke(kc_ctx *ctx, int64_t id)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  static const char q[] = "UPDATE ical_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? "
                          "AND revoked_at IS NULL";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_I64(id), KC_I64(ctx->actor->account_id));
  if (!e) {
    e = kc_stmt_run(s);
    if (!e && kc_stmt_changes(s) == 0)
      e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy mã lịch");
  }
  if (!e)
    e = kc_audit_write(ctx, "revoke", "ical_token", id, NULL, NULL);
  return kc_tx_end(ctx, e);
}

kc_err kc_ical_feed(kc_ctx *ctx, const char *token, json_t **tasks, const char **name)
{
  /* An unknown token is "not found" rather than "unauthorized": the feed URL is the
   * credential, and a calendar application cannot log in anyway. */
  kc_actor *a = kc_arena_zalloc(ctx->arena, sizeof *a);
  const char *scope, *unit_name;
  kc_err e = kc_auth_ical(ctx, token, a, &scope, &unit_name);
  if (e == KC_EAUTH)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, "token", "Mã lịch không hợp lệ hoặc đã bị thu hồi");
  if (e)
    return e;
  bool user = !strcmp(scope, "user");
  ctx->actor = a;
  kc_task_filter f = {.status = "open", .mine = true, .limit = 5000};
  if (user && a->official_id)
    f.assignee_official_id = a->official_id;
  int64_t total;
  e = kc_task_list(ctx, &f, tasks, &total);
  *name = user ? kc_arena_printf(ctx->arena, "Hạn nhiệm vụ — %s", a->username)
               : kc_arena_printf(ctx->arena, "Hạn nhiệm vụ — %s", unit_name);
  return e;
}
