/* ical_token.c: see ical_token.h. */
#include "domain/org/ical_token.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/core/access.h"
#include "domain/org/audit.h"
#include "domain/org/auth.h"
#include "domain/org/secret.h"
#include "domain/tasks/task.h"
#include <inttypes.h>
#include <string.h>

/* Calendar-feed tokens: the feed URL is the credential; scope "user" or "unit". */
static const kc_secret_kind ical_tokens = {
    .entity = "ical_token",
    .label_key = "scope",
    .q_insert = "INSERT INTO ical_tokens (token_hash, account_id, scope, created_at) VALUES (?, "
                "?, ?, ?) RETURNING id",
    .q_list = "SELECT id, scope, created_at, revoked_at FROM ical_tokens WHERE account_id = ? "
              "ORDER BY id",
    .q_revoke = "UPDATE ical_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND "
                "revoked_at IS NULL",
    .not_found = "Không tìm thấy mã lịch"};

kc_err kc_ical_token_create(kc_ctx *ctx, const char *scope, json_t **out)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  if (!kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không có lịch hạn nhiệm vụ");
  if (!scope || (strcmp(scope, "user") && strcmp(scope, "unit")))
    return kc_ctx_fail(ctx, KC_EFIELD, "scope",
                       "Phạm vi phải là 'user' (của tôi) hoặc 'unit' (của đơn vị)");
  char token[KC_TOKEN_CHARS];
  json_t *rec;
  kc_err e = kc_secret_issue(ctx, &ical_tokens, scope, token, &rec);
  if (e)
    return e;
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
  return kc_secret_list(ctx, &ical_tokens, items);
}

kc_err kc_ical_token_revoke(kc_ctx *ctx, int64_t id)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  return kc_secret_revoke(ctx, &ical_tokens, id);
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
