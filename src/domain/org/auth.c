/* auth.c: sessions, tokens and throttling. Attempts are counted in the database, not in
 * memory, so throttling holds across restarts and across several servers. */
#include "domain/org/auth.h"
#include "base/clock.h"
#include "domain/core/text.h"
#include "domain/org/account.h"
#include "domain/org/audit.h"
#include "domain/org/secret.h"
#include <inttypes.h>
#include <pthread.h>
#include <string.h>

/* A real hash to verify against when the username is unknown, so that the answer takes
 * the same time whether or not the account exists. Computed once, on first use. */
static char dummy_hash[KC_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
  if (kc_crypto_pwhash("kycuong: no such account", dummy_hash))
    dummy_hash[0] = 0;
}

static kc_err failures_since(kc_ctx *ctx, const char *sql, const char *key, int64_t since,
                             int64_t *count, int64_t *oldest)
{
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, sql, &s, KC_TXT(key), KC_I64(since));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    *count = kc_stmt_i64(s, 0);
    *oldest = kc_stmt_i64(s, 1);
  }
  kc_stmt_reset(s);
  return e;
}

static kc_err record_attempt(kc_ctx *ctx, const char *username, const char *addr, bool ok)
{
  kc_stmt *s;
  kc_err e;
  static const char q[] = "INSERT INTO login_attempts (username, addr, at, ok) VALUES (?, ?, ?, ?)";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(username), KC_TXT(addr), KC_I64(ctx->now), KC_I64(ok));
  if (e)
    return e;
  return kc_stmt_run(s);
}

/* The check that throttles: KC_ETHROTTLE with ctx->retry_after when over a limit. */
static kc_err throttle(kc_ctx *ctx, const char *username, const char *addr)
{
  static const char qu[] = "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts "
                           "WHERE username = ? AND at > ? AND ok = 0";
  static const char qa[] = "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts "
                           "WHERE addr = ? AND at > ? AND ok = 0";
  int64_t since = ctx->now - KC_LOGIN_WINDOW, nu = 0, ou = 0, na = 0, oa = 0;
  kc_err e = failures_since(ctx, qu, username, since, &nu, &ou);
  if (!e)
    e = failures_since(ctx, qa, addr, since, &na, &oa);
  if (e)
    return e;
  bool limited = nu >= KC_LOGIN_MAX_PER_USER || na >= KC_LOGIN_MAX_PER_ADDR;
  int64_t oldest = nu >= KC_LOGIN_MAX_PER_USER ? ou : oa;
  if (limited) {
    int64_t wait = oldest + KC_LOGIN_WINDOW - ctx->now;
    ctx->retry_after = wait > 0 ? (int)wait : 1;
    return kc_ctx_fail(ctx, KC_ETHROTTLE, NULL,
                       "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau %d phút",
                       (ctx->retry_after + 59) / 60);
  }
  return KC_OK;
}

kc_err kc_auth_login(kc_ctx *ctx, const char *username, const char *password, const char *addr,
                     int hours, kc_login_out *out)
{
  memset(out, 0, sizeof *out);
  if (!username || !password || strlen(username) > 64 || strlen(password) > 200)
    return kc_ctx_fail(ctx, KC_EAUTH, NULL, "Tên đăng nhập hoặc mật khẩu không đúng");
  /* 1. Throttle and read the account, without holding the write lock. */
  kc_err e = throttle(ctx, username, addr);
  if (e)
    return e == KC_ETHROTTLE ? e : kc_ctx_code(ctx, e);
  kc_stmt *s;
  bool row;
  static const char q[] = "SELECT id, pw_hash, disabled FROM accounts WHERE username = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(username));
  if (e)
    return kc_ctx_code(ctx, e);
  e = kc_stmt_step(s, &row);
  if (e) {
    kc_stmt_reset(s);
    return kc_ctx_code(ctx, e);
  }
  pthread_once(&dummy_once, make_dummy);
  int64_t id = row ? kc_stmt_i64(s, 0) : 0;
  const char *hash = kc_arena_strdup(ctx->arena, row ? kc_stmt_text(s, 1) : dummy_hash);
  bool disabled = row && kc_stmt_i64(s, 2);
  kc_stmt_reset(s);
  /* 2. The hash takes tens of milliseconds: outside any transaction, so logins do not queue
   * behind each other or behind other writes. Concurrent wrong guesses can each pass the
   * throttle check before any is recorded; that is bounded by the number of worker threads. */
  bool ok = kc_crypto_pwverify(hash, password) && id && !disabled;
  /* 3. Record the attempt and, when it succeeded, open the session. */
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  e = record_attempt(ctx, username, addr, ok);
  if (e)
    return kc_tx_end(ctx, e);
  if (!ok) {
    e = kc_tx_end(ctx, KC_OK);
    if (e)
      return e;
    return kc_ctx_fail(ctx, KC_EAUTH, NULL, "Tên đăng nhập hoặc mật khẩu không đúng");
  }
  kc_crypto_token(out->token);
  kc_crypto_token(out->csrf);
  char th[KC_SHA256_HEX];
  kc_crypto_sha256_hex(out->token, strlen(out->token), th);
  out->expires_at = ctx->now + (int64_t)hours * 3600;
  static const char qi[] = "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, "
                           "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id";
  e = kc_stmt_query(ctx->conn, qi, &s, KC_TXT(th), KC_I64(id), KC_TXT(out->csrf), KC_I64(ctx->now),
                    KC_I64(out->expires_at));
  if (e)
    return kc_tx_end(ctx, e);
  e = kc_stmt_step(s, &row);
  int64_t sid = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  if (e)
    return kc_tx_end(ctx, e);
  kc_actor me = {.account_id = id, .username = username, .session_id = sid};
  const kc_actor *saved = ctx->actor;
  ctx->actor = &me;
  e = kc_account_me(ctx, &out->account);
  if (!e) {
    json_t *rec = json_pack("{sI ss}", "session_id", (json_int_t)sid, "addr", addr);
    e = kc_audit_write(ctx, "login", "session", sid, NULL, rec);
    json_decref(rec);
  }
  ctx->actor = saved;
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(out->account);
    out->account = NULL;
  }
  return e;
}

/* Resolves a secret (session, API or calendar-feed token) to the actor it belongs to. The
 * statement selects (row id, account id, username, role, unit id, unit path, official id) and
 * then `nextra` texts copied into extra[]; ?1 is the token's hash, ?2 (when `expires`) now. */
static kc_err resolve(kc_ctx *ctx, const char *sql, const char *token, bool expires, kc_actor *a,
                      const char **extra, int nextra)
{
  if (!token || strlen(token) != KC_TOKEN_CHARS - 1)
    return kc_ctx_code(ctx, KC_EAUTH);
  char th[KC_SHA256_HEX];
  kc_crypto_sha256_hex(token, strlen(token), th);
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, sql, &s);
  if (e)
    return kc_ctx_code(ctx, e);
  kc_stmt_bind_text(s, 1, th, -1);
  if (expires) /* sessions expire; API and feed tokens live until revoked */
    kc_stmt_bind_i64(s, 2, ctx->now);
  if ((e = kc_stmt_step(s, &row)) || !row) {
    kc_stmt_reset(s);
    return kc_ctx_code(ctx, e ? e : KC_EAUTH);
  }
  memset(a, 0, sizeof *a);
  a->session_id = expires ? kc_stmt_i64(s, 0) : 0;
  a->account_id = kc_stmt_i64(s, 1);
  a->username = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 2));
  int r = kc_role_parse(kc_stmt_text(s, 3));
  a->role = r < 0 ? KC_ROLE_PUBLIC : (kc_role)r;
  a->unit_id = kc_stmt_i64(s, 4);
  a->unit_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 5));
  a->official_id = kc_stmt_is_null(s, 6) ? 0 : kc_stmt_i64(s, 6);
  for (int k = 0; k < nextra; k++)
    extra[k] = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 7 + k));
  kc_stmt_reset(s);
  return KC_OK;
}

kc_err kc_auth_session(kc_ctx *ctx, const char *token, kc_actor *actor, const char **csrf)
{
  static const char q[] =
      "SELECT s.id, a.id, a.username, a.role, a.unit_id, u.path, a.official_id, s.csrf_token "
      "FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN units u ON u.id = a.unit_id "
      "WHERE s.token_hash = ? AND s.expires_at > ? AND s.revoked_at IS NULL AND a.disabled = 0";
  return resolve(ctx, q, token, true, actor, csrf, 1);
}

kc_err kc_auth_bearer(kc_ctx *ctx, const char *token, kc_actor *actor)
{
  static const char q[] =
      "SELECT t.id, a.id, a.username, a.role, a.unit_id, u.path, a.official_id "
      "FROM api_tokens t JOIN accounts a ON a.id = t.account_id JOIN units u ON u.id = a.unit_id "
      "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled = 0";
  return resolve(ctx, q, token, false, actor, NULL, 0);
}

kc_err kc_auth_ical(kc_ctx *ctx, const char *token, kc_actor *actor, const char **scope,
                    const char **unit_name)
{
  static const char q[] =
      "SELECT t.id, a.id, a.username, a.role, a.unit_id, u.path, a.official_id, t.scope, u.name "
      "FROM ical_tokens t JOIN accounts a ON a.id = t.account_id JOIN units u ON u.id = "
      "a.unit_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled = 0";
  const char *extra[2];
  kc_err e = resolve(ctx, q, token, false, actor, extra, 2);
  if (!e) {
    *scope = extra[0];
    *unit_name = extra[1];
  }
  return e;
}

kc_err kc_auth_logout(kc_ctx *ctx)
{
  if (!ctx->actor || !ctx->actor->session_id)
    return kc_ctx_fail(ctx, KC_EBADREQ, NULL, "Yêu cầu này không dùng phiên đăng nhập");
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  static const char q[] = "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now), KC_I64(ctx->actor->session_id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (!e)
    e = kc_audit_write(ctx, "logout", "session", ctx->actor->session_id, NULL, NULL);
  return kc_tx_end(ctx, e);
}

/* API tokens: a bearer credential per account, named by its owner. */
static const kc_secret_kind api_tokens = {
    .entity = "api_token",
    .label_key = "name",
    .q_insert = "INSERT INTO api_tokens (token_hash, account_id, name, created_at) VALUES (?, ?, "
                "?, ?) RETURNING id",
    .q_list = "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE account_id = ? "
              "ORDER BY id",
    .q_revoke = "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND "
                "revoked_at IS NULL",
    .not_found = "Không tìm thấy mã truy cập"};

kc_err kc_token_create(kc_ctx *ctx, const char *name, json_t **out)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  kc_err e = kc_text_field(ctx, "name", "Tên mã truy cập", &name, 100, true);
  if (e)
    return e;
  char token[KC_TOKEN_CHARS];
  json_t *rec;
  e = kc_secret_issue(ctx, &api_tokens, name, token, &rec);
  if (e)
    return e;
  json_object_set_new(rec, "token", json_string(token));
  *out = rec;
  return KC_OK;
}

kc_err kc_token_list(kc_ctx *ctx, json_t **items, int64_t *total)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  kc_err e = kc_secret_list(ctx, &api_tokens, items);
  if (!e)
    *total = (int64_t)json_array_size(*items);
  return e;
}

kc_err kc_token_revoke(kc_ctx *ctx, int64_t id)
{
  if (!ctx->actor)
    return kc_ctx_code(ctx, KC_EAUTH);
  return kc_secret_revoke(ctx, &api_tokens, id);
}
