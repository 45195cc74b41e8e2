/* unit.c: the unit tree. Each unit stores its materialised path of ids so that subtree
 * scope checks and lists are index range scans (see schema/0001). */
#include "domain/org/unit.h"
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include <inttypes.h>
#include <string.h>

const char *const kc_unit_kinds[] = {"city",           "department", "district", "commune",
                                     "public_service", "division",   NULL};

bool kc_unit_kind_valid(const char *kind)
{
  for (size_t i = 0; kind && kc_unit_kinds[i]; i++)
    if (!strcmp(kind, kc_unit_kinds[i]))
      return true;
  return false;
}

#define UNIT_COLS "id, code, name, kind, parent_id, version, created_at, updated_at, path"

static json_t *row_json(kc_stmt *s)
{
  char c[32], u[32];
  kc_time_format_iso(kc_stmt_i64(s, 6), c, sizeof c);
  kc_time_format_iso(kc_stmt_i64(s, 7), u, sizeof u);
  return json_pack("{sI ss ss ss so sI ss ss}", "id", (json_int_t)kc_stmt_i64(s, 0), "code",
                   kc_stmt_text(s, 1), "name", kc_stmt_text(s, 2), "kind", kc_stmt_text(s, 3),
                   "parent_id",
                   kc_stmt_is_null(s, 4) ? json_null() : json_integer(kc_stmt_i64(s, 4)), "version",
                   (json_int_t)kc_stmt_i64(s, 5), "created_at", c, "updated_at", u);
}

/* The actor sees a unit when it lies in their subtree or on the path above their unit. */
static bool visible(const kc_actor *a, const char *path)
{
  if (kc_scope_covers(a, path))
    return true;
  return strncmp(a->unit_path, path, strlen(path)) == 0;
}

typedef struct unit_row {
  int64_t id, version, parent_id;
  const char *path, *code, *name, *kind;
  json_t *json;
} unit_row;

/* Loads a unit without scope checks. KC_ENOTFOUND when absent. */
static kc_err load(kc_ctx *ctx, int64_t id, unit_row *r)
{
  kc_stmt *s;
  kc_err e;
  bool row;
  static const char q[] = "SELECT " UNIT_COLS " FROM units WHERE id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (!row) {
    kc_stmt_reset(s);
    return KC_ENOTFOUND;
  }
  r->id = id;
  r->version = kc_stmt_i64(s, 5);
  r->parent_id = kc_stmt_is_null(s, 4) ? 0 : kc_stmt_i64(s, 4);
  r->path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 8));
  r->code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
  r->name = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 2));
  r->kind = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 3));
  r->json = row_json(s);
  kc_stmt_reset(s);
  return KC_OK;
}

kc_err kc_unit_path(kc_ctx *ctx, int64_t id, const char **path)
{
  kc_stmt *s;
  kc_err e;
  bool row;
  static const char q[] = "SELECT path FROM units WHERE id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (!row)
    e = KC_ENOTFOUND;
  else
    *path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 0));
  kc_stmt_reset(s);
  return e;
}

kc_err kc_unit_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  unit_row r;
  kc_err e = load(ctx, id, &r);
  if (e)
    return kc_ctx_code(ctx, e);
  if (ctx->actor && !visible(ctx->actor, r.path)) {
    json_decref(r.json);
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy đơn vị");
  }
  *out = r.json;
  return KC_OK;
}

/* Scope of a list: citywide roles see everything (lo = "", hi = "~"); others their subtree
 * plus the ancestors of their unit (matched by `? LIKE path || '%'`). */
static void list_scope(kc_ctx *ctx, const char **lo, const char **hi, const char **mine)
{
  const kc_actor *a = ctx->actor;
  if (!a || kc_role_citywide(a->role)) {
    *lo = "";
    *hi = "~";
    *mine = "";
    return;
  }
  kc_path_range(ctx->arena, a->unit_path, lo, hi);
  *mine = a->unit_path;
}

enum { UF_SCOPE, UF_Q, UF_KIND, UF_PARENT, UF_N };
static const kc_list_filter unit_filters[UF_N] = {
    [UF_SCOPE] = KC_LF(" AND ((path >= ? AND path < ?) OR ? LIKE path || '%')"),
    [UF_Q] = KC_LF(" AND (name_fold LIKE ? OR lower(code) LIKE ? ESCAPE '\\')"),
    [UF_KIND] = KC_LF_TEXT(kc_unit_filter, kind, " AND kind = ?"),
    [UF_PARENT] = KC_LF_ID(kc_unit_filter, parent_id, " AND parent_id = ?"),
};
/* By kind, then Vietnamese name. */
static kc_list unit_list = KC_LIST(
    " FROM units WHERE 1 = 1", "SELECT " UNIT_COLS " FROM units WHERE 1 = 1", unit_filters,
    " ORDER BY CASE kind WHEN 'city' THEN 0 WHEN 'department' THEN 1 WHEN 'district' THEN 2 "
    "WHEN 'commune' THEN 3 WHEN 'public_service' THEN 4 ELSE 5 END, name_sort, id");

kc_err kc_unit_list(kc_ctx *ctx, const kc_unit_filter *f, json_t **items, int64_t *total)
{
  const char *lo, *hi, *mine;
  list_scope(ctx, &lo, &hi, &mine);
  kc_list_query q;
  kc_list_query_init(&q, &unit_list, f->limit, f->offset);
  if (*mine)
    kc_list_where(&q, UF_SCOPE, KC_TXT(lo), KC_TXT(hi), KC_TXT(mine));
  const char *fold = f->q ? kc_text_fold(ctx->arena, f->q) : "";
  /* Codes keep their punctuation ("HN-D02"), so they are matched on the raw query, with
   * LIKE's wildcards escaped. */
  if (*fold)
    kc_list_where(&q, UF_Q, KC_TXT(kc_arena_printf(ctx->arena, "%%%s%%", fold)),
                  KC_TXT(kc_list_like_escaped(ctx->arena, f->q, true)));
  kc_list_from(&q, f);
  kc_err e = kc_list_json_rows(ctx, &q, row_json, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

kc_err kc_unit_tree(kc_ctx *ctx, json_t **roots)
{
  kc_unit_filter f = {.limit = 1000000};
  json_t *items;
  int64_t total = 0;
  kc_err e = kc_unit_list(ctx, &f, &items, &total);
  if (e)
    return e;
  /* Index the visible units by id, then hang each under its parent if the parent is
   * visible too; otherwise it is a root of the forest. */
  json_t *by_id = json_object();
  size_t i;
  json_t *u;
  json_array_foreach(items, i, u)
  {
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, (int64_t)json_integer_value(json_object_get(u, "id")));
    json_object_set_new(u, "children", json_array());
    json_object_set(by_id, key, u);
  }
  json_t *out = json_array();
  json_array_foreach(items, i, u)
  {
    json_t *p = json_object_get(u, "parent_id");
    json_t *parent = NULL;
    if (json_is_integer(p)) {
      char key[24];
      snprintf(key, sizeof key, "%" PRId64, (int64_t)json_integer_value(p));
      parent = json_object_get(by_id, key);
    }
    json_array_append(parent ? json_object_get(parent, "children") : out, u);
  }
  json_decref(by_id);
  json_decref(items);
  *roots = out;
  return KC_OK;
}

static kc_err require_admin(kc_ctx *ctx)
{
  if (!kc_actor_in(ctx->actor, KC_RS_UNIT_WRITE))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Chỉ quản trị viên được thay đổi cơ cấu đơn vị");
  return KC_OK;
}

static kc_err check_fields(kc_ctx *ctx, kc_unit_in *in, bool create)
{
  kc_err e;
  /* A member given in an update must not be empty either. */
  e = kc_text_field(ctx, "code", "Mã đơn vị", &in->code, 64, create || in->code);
  if (e)
    return e;
  e = kc_text_field(ctx, "name", "Tên đơn vị", &in->name, 300, create || in->name);
  if (e)
    return e;
  if ((create || in->kind) && !kc_unit_kind_valid(in->kind))
    return kc_ctx_fail(ctx, KC_EFIELD, "kind",
                       "Loại đơn vị không hợp lệ (city, department, district, commune, "
                       "public_service, division)");
  return KC_OK;
}

kc_err kc_unit_create(kc_ctx *ctx, const kc_unit_in *in0, json_t **out)
{
  kc_unit_in in = *in0;
  kc_err e = require_admin(ctx);
  if (!e)
    e = check_fields(ctx, &in, true);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  const char *ppath = "/";
  int depth = 0;
  if (!in.parent_id) {
    /* The tree has one root, the city (or province) People's Committee. */
    kc_stmt *s;
    bool row = false;
    static const char qr[] = "SELECT id FROM units WHERE parent_id IS NULL";
    e = kc_stmt_prepare(ctx->conn, qr, &s);
    if (!e) {
      e = kc_stmt_step(s, &row);
      kc_stmt_reset(s);
    }
    if (!e && row)
      e = kc_ctx_fail(ctx, KC_EFIELD, "parent_id",
                      "Đã có đơn vị gốc; đơn vị mới phải có đơn vị cấp trên");
    if (e)
      return kc_tx_end(ctx, e);
  } else {
    unit_row p;
    e = load(ctx, in.parent_id, &p);
    if (e == KC_ENOTFOUND)
      e = kc_ctx_fail(ctx, KC_EFIELD, "parent_id", "Đơn vị cấp trên không tồn tại");
    if (e)
      return kc_tx_end(ctx, e);
    json_decref(p.json);
    ppath = p.path;
    for (const char *c = ppath; *c; c++)
      depth += *c == '/';
    depth--;
  }
  kc_stmt *s;
  bool row;
  static const char qi[] =
      "INSERT INTO units (code, name, name_fold, name_sort, kind, parent_id, path, depth, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?) RETURNING id";
  e = kc_stmt_prepare(ctx->conn, qi, &s);
  if (e)
    return kc_tx_end(ctx, e);
  kc_stmt_bind_text(s, 1, in.code, -1);
  kc_stmt_bind_text(s, 2, in.name, -1);
  kc_stmt_bind_text(s, 3, kc_text_fold(ctx->arena, in.name), -1);
  kc_stmt_bind_text(s, 4, kc_text_sortkey(ctx->arena, in.name), -1);
  kc_stmt_bind_text(s, 5, in.kind, -1);
  if (in.parent_id)
    kc_stmt_bind_i64(s, 6, in.parent_id);
  else
    kc_stmt_bind_null(s, 6);
  kc_stmt_bind_i64(s, 7, depth);
  kc_stmt_bind_i64(s, 8, ctx->now);
  kc_stmt_bind_i64(s, 9, ctx->now);
  e = kc_stmt_step(s, &row);
  int64_t id = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "code", "Mã đơn vị '%s' đã được dùng", in.code);
  if (e)
    return kc_tx_end(ctx, e);
  static const char qp[] = "UPDATE units SET path = ? WHERE id = ?";
  e = kc_stmt_query(ctx->conn, qp, &s,
                    KC_TXT(kc_arena_printf(ctx->arena, "%s%" PRId64 "/", ppath, id)), KC_I64(id));
  if (e)
    return kc_tx_end(ctx, e);
  e = kc_stmt_run(s);
  if (e)
    return kc_tx_end(ctx, e);
  unit_row r;
  e = load(ctx, id, &r);
  if (e)
    return kc_tx_end(ctx, e);
  return kc_change_end(ctx, e, "create", "unit", id, NULL, r.json, out);
}

/* Loads the unit for a change and checks the caller's version; on success *r is loaded. */
static kc_err load_for_change(kc_ctx *ctx, int64_t id, int64_t version, unit_row *r)
{
  kc_err e = load(ctx, id, r);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy đơn vị");
  if (e)
    return e;
  if (r->version != version) {
    json_decref(r->json);
    r->json = NULL;
    return kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                       "Đơn vị đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                       "); vui lòng tải lại",
                       r->version, version);
  }
  return KC_OK;
}

static kc_err finish_change(kc_ctx *ctx, const char *action, unit_row *before, json_t **out)
{
  unit_row after = {0};
  kc_err e = load(ctx, before->id, &after);
  e = kc_change_end(ctx, e, action, "unit", before->id, before->json, after.json, out);
  json_decref(before->json);
  return e;
}

kc_err kc_unit_update(kc_ctx *ctx, int64_t id, const kc_unit_in *in0, json_t **out)
{
  kc_unit_in in = *in0;
  kc_err e = require_admin(ctx);
  if (!e)
    e = check_fields(ctx, &in, false);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  unit_row r;
  e = load_for_change(ctx, id, in.version, &r);
  if (e)
    return kc_tx_end(ctx, e);
  if (!kc_change_text(r.json, "code", in.code) && !kc_change_text(r.json, "name", in.name) &&
      !kc_change_text(r.json, "kind", in.kind)) {
    *out = r.json; /* nothing changes: no new version, no audit record */
    return kc_tx_end(ctx, KC_OK);
  }
  const char *name = in.name ? in.name : r.name;
  kc_stmt *s;
  static const char q[] = "UPDATE units SET code = ?, name = ?, name_fold = ?, name_sort = ?, "
                          "kind = ?, version = version + 1, updated_at = ? "
                          "WHERE id = ? AND version = ?";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e) {
    json_decref(r.json);
    return kc_tx_end(ctx, e);
  }
  kc_stmt_bind_vals(s, KC_TXT(in.code ? in.code : r.code), KC_TXT(name),
                    KC_TXT(kc_text_fold(ctx->arena, name)),
                    KC_TXT(kc_text_sortkey(ctx->arena, name)), KC_TXT(in.kind ? in.kind : r.kind),
                    KC_I64(ctx->now), KC_I64(id), KC_I64(in.version));
  e = kc_stmt_run(s);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "code", "Mã đơn vị '%s' đã được dùng", in.code);
  if (e) {
    json_decref(r.json);
    return kc_tx_end(ctx, e);
  }
  return finish_change(ctx, "update", &r, out);
}

kc_err kc_unit_move(kc_ctx *ctx, int64_t id, const kc_unit_in *in, json_t **out)
{
  kc_err e = require_admin(ctx);
  if (e)
    return e;
  if (!in->parent_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "parent_id", "Thiếu đơn vị cấp trên mới");
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  unit_row r, p;
  e = load_for_change(ctx, id, in->version, &r);
  if (e)
    return kc_tx_end(ctx, e);
  e = load(ctx, in->parent_id, &p);
  if (e) {
    json_decref(r.json);
    if (e == KC_ENOTFOUND)
      e = kc_ctx_fail(ctx, KC_EFIELD, "parent_id", "Đơn vị cấp trên không tồn tại");
    return kc_tx_end(ctx, e);
  }
  json_decref(p.json);
  if (!strncmp(p.path, r.path, strlen(r.path))) {
    json_decref(r.json);
    return kc_tx_end(ctx, kc_ctx_fail(ctx, KC_EFIELD, "parent_id",
                                      "Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới "
                                      "của nó"));
  }
  const char *newpath = kc_arena_printf(ctx->arena, "%s%" PRId64 "/", p.path, id);
  const char *lo, *hi;
  kc_path_range(ctx->arena, r.path, &lo, &hi);
  int delta = 0;
  for (const char *c = newpath; *c; c++)
    delta += *c == '/';
  for (const char *c = r.path; *c; c++)
    delta -= *c == '/';
  /* Rewrite the path prefix of the whole subtree, and the copies officials keep. */
  static const char q1[] = "UPDATE units SET path = ? || substr(path, ?), depth = depth + ? "
                           "WHERE path >= ? AND path < ?";
  static const char q2[] = "UPDATE officials SET unit_path = ? || substr(unit_path, ?) "
                           "WHERE unit_path >= ? AND unit_path < ?";
  static const char q3[] = "UPDATE units SET parent_id = ?, version = version + 1, "
                           "updated_at = ? WHERE id = ?";
  kc_stmt *s;
  int64_t cut = (int64_t)strlen(r.path) + 1;
  e = kc_stmt_query(ctx->conn, q1, &s, KC_TXT(newpath), KC_I64(cut), KC_I64(delta), KC_TXT(lo),
                    KC_TXT(hi));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (!e)
    e = kc_stmt_query(ctx->conn, q2, &s, KC_TXT(newpath), KC_I64(cut), KC_TXT(lo), KC_TXT(hi));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (!e)
    e = kc_stmt_query(ctx->conn, q3, &s, KC_I64(in->parent_id), KC_I64(ctx->now), KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (e) {
    json_decref(r.json);
    return kc_tx_end(ctx, e);
  }
  return finish_change(ctx, "move", &r, out);
}

kc_err kc_unit_count(kc_conn *c, int64_t *n)
{
  kc_stmt *s;
  bool row;
  static const char q[] = "SELECT COUNT(*) FROM units";
  kc_err e = kc_stmt_prepare(c, q, &s);
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    *n = row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  return e;
}
