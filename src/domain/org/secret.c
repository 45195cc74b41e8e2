/* secret.c: see secret.h. */
#include "domain/org/secret.h"
#include "base/clock.h"
#include "domain/core/list.h"
#include "domain/org/audit.h"
#include "store/store.h"
#include <string.h>

kc_err kc_secret_issue(kc_ctx *ctx, const kc_secret_kind *k, const char *label,
                       char token[KC_TOKEN_CHARS], json_t **rec)
{
  char th[KC_SHA256_HEX];
  kc_crypto_token(token);
  kc_crypto_sha256_hex(token, strlen(token), th);
  int64_t account = ctx->actor->account_id;
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  bool row = false;
  int64_t id = 0;
  e = kc_stmt_query(ctx->conn, k->q_insert, &s, KC_TXT(th), KC_I64(account), KC_TXT(label),
                    KC_I64(ctx->now));
  if (!e) {
    e = kc_stmt_step(s, &row);
    if (!e && row)
      id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
  }
  /* the audit record names the owner; the answer is the owner's own */
  json_t *r = json_pack("{sI ss sI}", "id", (json_int_t)id, k->label_key, label, "account_id",
                        (json_int_t)account);
  if (!e)
    e = kc_audit_write(ctx, "create", k->entity, id, NULL, r);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(r);
    return e;
  }
  json_object_del(r, "account_id");
  *rec = r;
  return KC_OK;
}

/* One secret of a list: {id, <label>, created_at, revoked}; the label's member name is the
 * kind's, which a row function cannot be given, so the label goes in as "label" and is renamed. */
static json_t *secret_json(kc_stmt *s)
{
  char c[32];
  kc_time_format_iso(kc_stmt_i64(s, 2), c, sizeof c);
  return json_pack("{sI ss ss sb}", "id", (json_int_t)kc_stmt_i64(s, 0), "label",
                   kc_stmt_text(s, 1), "created_at", c, "revoked", !kc_stmt_is_null(s, 3));
}

kc_err kc_secret_list(kc_ctx *ctx, const kc_secret_kind *k, json_t **items)
{
  kc_err e = kc_rows_json(ctx, k->q_list, secret_json, items, KC_I64(ctx->actor->account_id));
  if (e)
    return kc_ctx_code(ctx, e);
  size_t i;
  json_t *item;
  json_array_foreach(*items, i, item)
  {
    json_object_set(item, k->label_key, json_object_get(item, "label"));
    json_object_del(item, "label");
  }
  return KC_OK;
}

kc_err kc_secret_revoke(kc_ctx *ctx, const kc_secret_kind *k, int64_t id)
{
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  e = kc_stmt_query(ctx->conn, k->q_revoke, &s, KC_I64(ctx->now), KC_I64(id),
                    KC_I64(ctx->actor->account_id));
  if (!e) {
    e = kc_stmt_run(s);
    if (!e && kc_stmt_changes(s) == 0)
      e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "%s", k->not_found);
  }
  if (!e)
    e = kc_audit_write(ctx, "revoke", k->entity, id, NULL, NULL);
  return kc_tx_end(ctx, e);
}
