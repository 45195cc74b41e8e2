/* account.c: accounts. Passwords are stored as argon2id hashes (base/crypto). */
#include "domain/org/account.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <inttypes.h>
#include <string.h>

#define ACC_COLS                                                                                   \
  "a.id, a.username, a.role, a.unit_id, u.name, a.official_id, a.disabled, a.version, "            \
  "a.created_at, o.full_name"
#define ACC_FROM                                                                                   \
  " FROM accounts a JOIN units u ON u.id = a.unit_id LEFT JOIN officials o ON o.id = "             \
  "a.official_id"

static json_t *row_json(kc_stmt *s)
{
  char c[32];
  kc_time_format_iso(kc_stmt_i64(s, 8), c, sizeof c);
  return json_pack("{sI ss ss sI ss so sb sI ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "username",
                   kc_stmt_text(s, 1), "role", kc_stmt_text(s, 2), "unit_id",
                   (json_int_t)kc_stmt_i64(s, 3), "unit_name", kc_stmt_text(s, 4), "official_id",
                   kc_stmt_is_null(s, 5) ? json_null() : json_integer(kc_stmt_i64(s, 5)),
                   "disabled", (int)kc_stmt_i64(s, 6), "version", (json_int_t)kc_stmt_i64(s, 7),
                   "created_at", c);
}

static kc_err require_admin(kc_ctx *ctx)
{
  if (!kc_actor_in(ctx->actor, KC_RS_ACCOUNTS))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ quản trị viên được quản lý tài khoản");
  return KC_OK;
}

static kc_err load(kc_ctx *ctx, int64_t id, json_t **out, const char **display)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT " ACC_COLS ACC_FROM " WHERE a.id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (!row)
    e = KC_ENOTFOUND;
  else {
    *out = row_json(s);
    if (display)
      *display = kc_arena_strdup(ctx->arena,
                                 kc_stmt_is_null(s, 9) ? kc_stmt_text(s, 1) : kc_stmt_text(s, 9));
  }
  kc_stmt_reset(s);
  return e;
}

static const kc_list_filter acc_filters[] = {KC_LF(" AND a.username LIKE ?")};
static kc_list acc_list =
    KC_LIST(" FROM accounts a WHERE 1 = 1", "SELECT " ACC_COLS ACC_FROM " WHERE 1 = 1", acc_filters,
            " ORDER BY a.username");

kc_err kc_account_list(kc_ctx *ctx, const char *q, int64_t limit, int64_t offset, json_t **items,
                       int64_t *total)
{
  kc_err e = require_admin(ctx);
  if (e)
    return e;
  kc_list_query lq;
  kc_list_query_init(&lq, &acc_list, limit, offset);
  const char *fold = q ? kc_text_fold(ctx->arena, q) : "";
  if (*fold)
    kc_list_where(&lq, 0, KC_TXT(kc_arena_printf(ctx->arena, "%%%s%%", fold)));
  e = kc_list_json_rows(ctx, &lq, row_json, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

kc_err kc_account_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_err e = require_admin(ctx);
  if (e)
    return e;
  e = load(ctx, id, out, NULL);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy tài khoản");
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

kc_err kc_account_me(kc_ctx *ctx, json_t **out)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  const char *display = NULL;
  kc_err e = load(ctx, ctx->actor->account_id, out, &display);
  if (e)
    return kc_ctx_code(ctx, e == KC_ENOTFOUND ? KC_EAUTH : e);
  json_object_set_new(*out, "display_name", json_string(display));
  return KC_OK;
}

static kc_err check_fields(kc_ctx *ctx, kc_account_in *in, bool create)
{
  kc_err e;
  if (create) {
    e = kc_text_field(ctx, "username", "Tên đăng nhập", &in->username, 64, true);
    if (e)
      return e;
    size_t n = strlen(in->username);
    bool ok = n >= 3;
    for (const char *c = in->username; ok && *c; c++)
      ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr("._-", *c);
    if (!ok)
      return kc_ctx_fail(ctx, KC_EFIELD, "username",
                         "Tên đăng nhập gồm 3–64 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch ngang");
  }
  if (create || in->password) {
    if (!in->password)
      return kc_ctx_fail(ctx, KC_EFIELD, "password", "Thiếu mật khẩu");
    size_t n = strlen(in->password);
    if (n < 10 || n > 200)
      return kc_ctx_fail(ctx, KC_EFIELD, "password", "Mật khẩu phải dài từ 10 đến 200 byte");
  }
  if ((create || in->role) && kc_role_parse(in->role) < 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "role",
                       "Vai trò không hợp lệ (public, officer, desk, unit_head, supervisor, "
                       "leader, admin)");
  if (create && !in->unit_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Thiếu đơn vị của tài khoản");
  return KC_OK;
}

static kc_err check_refs(kc_ctx *ctx, const kc_account_in *in)
{
  const char *path;
  kc_err e = KC_OK;
  if (in->unit_id && (e = kc_unit_path(ctx, in->unit_id, &path)))
    return e == KC_ENOTFOUND ? kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị không tồn tại") : e;
  if (in->official_id) {
    kc_stmt *s;
    bool row;
    static const char q[] = "SELECT id FROM officials WHERE id = ?";
    e = kc_stmt_query(ctx->conn, q, &s, KC_I64(in->official_id));
    if (e)
      return e;
    e = kc_stmt_step(s, &row);
    kc_stmt_reset(s);
    if (!e && !row)
      return kc_ctx_fail(ctx, KC_EFIELD, "official_id", "Cán bộ không tồn tại");
  }
  return e;
}

kc_err kc_account_create(kc_ctx *ctx, const kc_account_in *in0, json_t **out)
{
  kc_account_in in = *in0;
  kc_err e = require_admin(ctx);
  if (!e)
    e = check_fields(ctx, &in, true);
  if (e)
    return e;
  char hash[KC_PWHASH_MAX];
  e = kc_crypto_pwhash(in.password, hash);
  if (e)
    return kc_ctx_code(ctx, e);
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  e = check_refs(ctx, &in);
  if (e)
    return kc_tx_end(ctx, e);
  kc_stmt *s;
  bool row;
  static const char q[] = "INSERT INTO accounts (username, pw_hash, role, unit_id, official_id, "
                          "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_tx_end(ctx, e);
  kc_stmt_bind_text(s, 1, in.username, -1);
  kc_stmt_bind_text(s, 2, hash, -1);
  kc_stmt_bind_text(s, 3, in.role, -1);
  kc_stmt_bind_i64(s, 4, in.unit_id);
  if (in.official_id)
    kc_stmt_bind_i64(s, 5, in.official_id);
  else
    kc_stmt_bind_null(s, 5);
  kc_stmt_bind_i64(s, 6, ctx->now);
  kc_stmt_bind_i64(s, 7, ctx->now);
  e = kc_stmt_step(s, &row);
  int64_t id = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "username", "Tên đăng nhập '%s' đã có người dùng",
                    in.username);
  json_t *j = NULL;
  if (!e)
    e = load(ctx, id, &j, NULL);
  return kc_change_end(ctx, e, "create", "account", id, NULL, j, out);
}

kc_err kc_account_update(kc_ctx *ctx, int64_t id, const kc_account_in *in0, json_t **out)
{
  kc_account_in in = *in0;
  kc_err e = require_admin(ctx);
  if (!e)
    e = check_fields(ctx, &in, false);
  if (e)
    return e;
  char hash[KC_PWHASH_MAX] = "";
  if (in.password && (e = kc_crypto_pwhash(in.password, hash)))
    return kc_ctx_code(ctx, e);
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  e = load(ctx, id, &before, NULL);
  if (e == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy tài khoản");
  int64_t version = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (!e && version != in.version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Tài khoản đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    version, in.version);
  /* the username names the account in the audit records: it never changes */
  if (!e && kc_change_text(before, "username", in.username))
    e = kc_ctx_fail(ctx, KC_EFIELD, "username",
                    "Không thể đổi tên đăng nhập; hãy tạo tài khoản mới");
  if (!e && !in.password && !kc_change_text(before, "role", in.role) &&
      !kc_change_int(before, "unit_id", in.unit_id, 0) &&
      !kc_change_int(before, "official_id", in.official_id, 0) &&
      !kc_change_int(before, "disabled", in.disabled, -1)) {
    *out = before; /* nothing changes: no new version, no audit record */
    return kc_tx_end(ctx, KC_OK);
  }
  if (!e)
    e = check_refs(ctx, &in);
  kc_stmt *s;
  static const char q[] =
      "UPDATE accounts SET role = COALESCE(?, role), unit_id = COALESCE(?, unit_id), "
      "official_id = COALESCE(?, official_id), disabled = COALESCE(?, disabled), "
      "pw_hash = COALESCE(?, pw_hash), version = version + 1, updated_at = ? "
      "WHERE id = ? AND version = ?";
  if (!e)
    e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    kc_stmt_bind_opt_text(s, 1, in.role);
    if (in.unit_id)
      kc_stmt_bind_i64(s, 2, in.unit_id);
    else
      kc_stmt_bind_null(s, 2);
    if (in.official_id)
      kc_stmt_bind_i64(s, 3, in.official_id);
    else
      kc_stmt_bind_null(s, 3);
    if (in.disabled >= 0)
      kc_stmt_bind_i64(s, 4, in.disabled);
    else
      kc_stmt_bind_null(s, 4);
    kc_stmt_bind_opt_text(s, 5, *hash ? hash : NULL);
    kc_stmt_bind_i64(s, 6, ctx->now);
    kc_stmt_bind_i64(s, 7, id);
    kc_stmt_bind_i64(s, 8, in.version);
    e = kc_stmt_run(s);
  }
  /* A disabled account or a new password ends every open session of that account. */
  static const char qr[] =
      "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL";
  if (!e && (in.disabled == 1 || in.password) && !(e = kc_stmt_prepare(ctx->conn, qr, &s))) {
    kc_stmt_bind_vals(s, KC_I64(ctx->now), KC_I64(id));
    e = kc_stmt_run(s);
  }
  if (!e)
    e = load(ctx, id, &after, NULL);
  if (!e) {
    /* The audit record says a password changed without recording any form of it. */
    if (in.password)
      json_object_set_new(after, "password_changed", json_true());
    e = kc_audit_write(ctx, "update", "account", id, before, after);
    json_object_del(after, "password_changed");
  }
  json_decref(before);
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(after);
    return e;
  }
  *out = after;
  return KC_OK;
}
