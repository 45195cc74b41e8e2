/* ctx.c: failures, roles and scope checks shared by every domain module. */
#include "domain/core/ctx.h"
#include "domain/core/access.h"
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const role_names[KC_ROLE__COUNT] = {"public",     "officer", "desk", "unit_head",
                                                       "supervisor", "leader",  "admin"};

int kc_role_parse(const char *s)
{
  for (int i = 0; s && i < KC_ROLE__COUNT; i++)
    if (!strcmp(s, role_names[i]))
      return i;
  return -1;
}

const char *kc_role_name(kc_role r)
{
  return (unsigned)r < KC_ROLE__COUNT ? role_names[r] : "public";
}

void kc_roles_format(kc_roles roles, char *buf, size_t cap)
{
  size_t n = 0;
  if (cap)
    buf[0] = 0;
  for (int r = 0; r < KC_ROLE__COUNT; r++)
    if (roles & KC_ROLE_BIT(r)) {
      int w = snprintf(buf + n, cap > n ? cap - n : 0, "%s%s", n ? "," : "", role_names[r]);
      n += w > 0 ? (size_t)w : 0;
    }
}

const char *kc_role_label(kc_role r)
{
  static const char *const labels[KC_ROLE__COUNT] = {
      "Công dân", "Cán bộ", "Bộ phận một cửa", "Trưởng đơn vị", "Giám sát", "Lãnh đạo", "Quản trị"};
  return (unsigned)r < KC_ROLE__COUNT ? labels[r] : labels[KC_ROLE_PUBLIC];
}

bool kc_role_citywide(kc_role r)
{
  return r == KC_ROLE_SUPERVISOR || r == KC_ROLE_LEADER || r == KC_ROLE_ADMIN;
}

kc_err kc_ctx_fail(kc_ctx *ctx, kc_err code, const char *field, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  ctx->err = code;
  ctx->err_message = kc_arena_vprintf(ctx->arena, fmt, ap);
  ctx->err_field = field ? kc_arena_strdup(ctx->arena, field) : NULL;
  va_end(ap);
  return code;
}

kc_err kc_ctx_code(kc_ctx *ctx, kc_err code)
{
  if (ctx->err != code || !ctx->err_message) {
    ctx->err = code;
    ctx->err_message = kc_err_message(code);
    ctx->err_field = NULL;
  }
  return code;
}

bool kc_scope_covers(const kc_actor *a, const char *unit_path)
{
  if (!a) /* the system */
    return true;
  if (kc_role_citywide(a->role))
    return true;
  /* a materialised path: "/1/", "/1/24/"; a prefix test is only a subtree test on those */
  assert(a->unit_path && a->unit_path[0] == '/' && a->unit_path[strlen(a->unit_path) - 1] == '/');
  size_t n = strlen(a->unit_path);
  return unit_path && strncmp(unit_path, a->unit_path, n) == 0;
}

void kc_path_range(kc_arena *ar, const char *path, const char **lo, const char **hi)
{
  size_t n = strlen(path);
  char *h = kc_arena_strndup(ar, path, n);
  /* Paths end in '/'; '0' is the next byte after '/', so [path, path-with-'0') is exactly
   * the set of strings starting with path. */
  if (n)
    h[n - 1] = '0';
  *lo = path;
  *hi = h;
}

kc_err kc_tx_begin(kc_ctx *ctx)
{
  if (ctx->tx_depth > 0) { /* inside kc_tx_outer: join it */
    ctx->tx_depth++;
    return KC_OK;
  }
  kc_err e = kc_conn_begin(ctx->conn, true);
  if (e)
    return kc_ctx_code(ctx, e);
  /* Lock the audit chain's head row first. Every write transaction appends to the chain, so
   * this orders writers as SQLite's BEGIN IMMEDIATE does, on PostgreSQL too: there (READ
   * COMMITTED) each later statement sees every earlier writer's commit, which the version
   * checks, path copies, login throttling and the chain itself rely on. See
   * docs/internals/store.md. */
  static const char q[] = "UPDATE audit_head SET last_id = last_id WHERE id = 1";
  kc_stmt *s;
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e)
    e = kc_stmt_run(s);
  if (e) {
    kc_conn_rollback(ctx->conn);
    return kc_ctx_code(ctx, e);
  }
  return KC_OK;
}

kc_err kc_tx_end(kc_ctx *ctx, kc_err rc)
{
  if (ctx->tx_depth > 1) { /* the outer transaction commits or rolls back */
    ctx->tx_depth--;
    return rc ? kc_ctx_code(ctx, rc) : KC_OK;
  }
  if (rc) {
    kc_conn_rollback(ctx->conn);
    return kc_ctx_code(ctx, rc);
  }
  kc_err e = kc_conn_commit(ctx->conn);
  if (e)
    return kc_ctx_code(ctx, e);
  return KC_OK;
}

kc_err kc_tx_discard(kc_ctx *ctx)
{
  assert(ctx->tx_depth == 0);
  kc_conn_rollback(ctx->conn);
  return KC_OK;
}

kc_err kc_tx_outer_begin(kc_ctx *ctx)
{
  if (ctx->tx_depth > 0) /* inside another outer transaction (the demo's batches): join it */
    return kc_tx_begin(ctx);
  kc_err e = kc_tx_begin(ctx);
  if (!e)
    ctx->tx_depth = 1;
  return e;
}

kc_err kc_tx_outer_end(kc_ctx *ctx, kc_err rc)
{
  if (ctx->tx_depth > 1)
    return kc_tx_end(ctx, rc);
  ctx->tx_depth = 0;
  return kc_tx_end(ctx, rc);
}
