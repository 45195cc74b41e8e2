/* unit_group.c: named, editable groups of units ("các sở, ban, ngành", "UBND các quận,
 * huyện, thị xã") that tasks can be assigned to. */
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include "domain/tasks/task.h"
#include <inttypes.h>
#include <string.h>

static kc_err load(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT id, code, name, version FROM unit_groups WHERE id = ?";
  static const char qm[] = "SELECT m.unit_id FROM unit_group_members m JOIN units u ON u.id = "
                           "m.unit_id WHERE m.group_id = ? ORDER BY u.name_sort";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    e = row ? (*out = json_pack("{sI ss ss sI}", "id", (json_int_t)kc_stmt_i64(s, 0), "code",
                                kc_stmt_text(s, 1), "name", kc_stmt_text(s, 2), "version",
                                (json_int_t)kc_stmt_i64(s, 3)),
               KC_OK)
            : KC_ENOTFOUND;
  kc_stmt_reset(s);
  if (e)
    return e;
  json_t *ids = json_array();
  e = kc_stmt_query(ctx->conn, qm, &s, KC_I64(id));
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
      json_array_append_new(ids, json_integer(kc_stmt_i64(s, 0)));
    kc_stmt_reset(s);
  }
  json_object_set_new(*out, "unit_ids", ids);
  return e;
}

kc_err kc_unit_group_list(kc_ctx *ctx, json_t **items, int64_t *total)
{
  if (!kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không xem được nhóm đơn vị");
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT id FROM unit_groups ORDER BY name, id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_ctx_code(ctx, e);
  int64_t ids[256];
  size_t n = 0;
  for (e = kc_stmt_step(s, &row); !e && row && n < 256; e = kc_stmt_step(s, &row))
    ids[n++] = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  json_t *arr = json_array();
  for (size_t i = 0; !e && i < n; i++) {
    json_t *g;
    e = load(ctx, ids[i], &g);
    if (!e)
      json_array_append_new(arr, g);
  }
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *total = (int64_t)n;
  *items = arr;
  return KC_OK;
}

static kc_err require_assigner(kc_ctx *ctx)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_GROUP_WRITE))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Chỉ lãnh đạo, giám sát hoặc quản trị viên được quản lý nhóm đơn vị");
  return KC_OK;
}

static kc_err set_members(kc_ctx *ctx, int64_t id, const int64_t *units, size_t n)
{
  kc_stmt *s;
  kc_err e;
  static const char qd[] = "DELETE FROM unit_group_members WHERE group_id = ?";
  static const char qi[] = "INSERT INTO unit_group_members (group_id, unit_id) VALUES (?, ?) "
                           "ON CONFLICT DO NOTHING";
  e = kc_stmt_query(ctx->conn, qd, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_run(s);
  if (e)
    return e;
  for (size_t i = 0; i < n; i++) {
    const char *path;
    e = kc_unit_path(ctx, units[i], &path);
    if (e == KC_ENOTFOUND)
      return kc_ctx_fail(ctx, KC_EFIELD, "unit_ids", "Đơn vị %" PRId64 " không tồn tại", units[i]);
    if (e || (e = kc_stmt_prepare(ctx->conn, qi, &s)))
      return e;
    kc_stmt_bind_vals(s, KC_I64(id), KC_I64(units[i]));
    e = kc_stmt_run(s);
    if (e)
      return e;
  }
  return KC_OK;
}

kc_err kc_unit_group_create(kc_ctx *ctx, const char *code, const char *name,
                            const int64_t *unit_ids, size_t n, json_t **out)
{
  kc_err e = require_assigner(ctx);
  if (!e)
    e = kc_text_field(ctx, "code", "Mã nhóm", &code, 64, true);
  if (!e)
    e = kc_text_field(ctx, "name", "Tên nhóm", &name, 300, true);
  if (e)
    return e;
  if (n > 2000)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_ids", "Một nhóm có tối đa 2000 đơn vị");
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  bool row;
  int64_t id = 0;
  static const char q[] = "INSERT INTO unit_groups (code, name, created_at, updated_at) VALUES "
                          "(?, ?, ?, ?) RETURNING id";
  e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(code), KC_TXT(name), KC_I64(ctx->now),
                    KC_I64(ctx->now));
  if (!e) {
    e = kc_stmt_step(s, &row);
    if (!e && row)
      id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
    if (e == KC_ECONFLICT)
      e = kc_ctx_fail(ctx, KC_ECONFLICT, "code", "Mã nhóm '%s' đã được dùng", code);
  }
  if (!e)
    e = set_members(ctx, id, unit_ids, n);
  json_t *g = NULL;
  if (!e)
    e = load(ctx, id, &g);
  return kc_change_end(ctx, e, "create", "unit_group", id, NULL, g, out);
}

kc_err kc_unit_group_update(kc_ctx *ctx, int64_t id, int64_t version, const char *name,
                            const int64_t *unit_ids, size_t n, bool members, json_t **out)
{
  kc_err e = require_assigner(ctx);
  if (!e)
    e = kc_text_field(ctx, "name", "Tên nhóm", &name, 300, name != NULL);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  e = load(ctx, id, &before);
  if (e == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy nhóm đơn vị");
  int64_t cur = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (!e && cur != version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Nhóm đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64 ")", cur,
                    version);
  if (!e && !kc_change_text(before, "name", name) &&
      !(members && kc_change_ids(ctx->arena, json_object_get(before, "unit_ids"), unit_ids, n))) {
    *out = before; /* nothing changes: no new version, no audit record */
    return kc_tx_end(ctx, KC_OK);
  }
  kc_stmt *s;
  static const char q[] = "UPDATE unit_groups SET name = COALESCE(?, name), version = version + 1, "
                          "updated_at = ? WHERE id = ?";
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_OPT_TXT(name), KC_I64(ctx->now), KC_I64(id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  if (!e && members)
    e = set_members(ctx, id, unit_ids, n);
  if (!e)
    e = load(ctx, id, &after);
  e = kc_change_end(ctx, e, "update", "unit_group", id, before, after, out);
  json_decref(before);
  return e;
}

kc_err kc_unit_group_seed(kc_ctx *ctx)
{
  static const struct {
    const char *code, *name, *kind;
  } std[] = {{"departments", "Các sở, ban, ngành Thành phố", "department"},
             {"districts", "UBND các quận, huyện, thị xã", "district"},
             {"communes", "UBND các phường, xã, thị trấn", "commune"}};
  kc_err e = KC_OK;
  for (size_t g = 0; !e && g < sizeof std / sizeof *std; g++) {
    kc_stmt *s;
    bool row;
    int64_t ids[2000];
    size_t n = 0;
    static const char q[] = "SELECT id FROM units WHERE kind = ? ORDER BY name_sort";
    e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(std[g].kind));
    if (e)
      break;
    for (e = kc_stmt_step(s, &row); !e && row && n < 2000; e = kc_stmt_step(s, &row))
      ids[n++] = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
    if (e || n == 0)
      continue;
    json_t *out = NULL;
    e = kc_unit_group_create(ctx, std[g].code, std[g].name, ids, n, &out);
    json_decref(out);
  }
  return e;
}
