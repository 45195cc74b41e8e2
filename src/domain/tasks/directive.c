/* directive.c: directives. */
#include "domain/tasks/directive.h"
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include "domain/tasks/task.h"
#include <inttypes.h>
#include <string.h>

static const char *const kinds[] = {"directive", "plan", "decision", "official_letter",
                                    "conclusion_notice"};

bool kc_directive_kind_valid(const char *kind)
{
  for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
    if (!strcmp(kind, kinds[i]))
      return true;
  return false;
}

#define DIR_COLS                                                                                   \
  "d.id, d.number, d.kind, d.issued_on, d.issuer_unit_id, u.name, d.signer, d.title, d.text, "     \
  "d.version, d.created_at, d.updated_at, "                                                        \
  "(SELECT COUNT(*) FROM tasks t WHERE t.directive_id = d.id AND t.parent_id IS NULL)"
#define DIR_FROM " FROM directives d JOIN units u ON u.id = d.issuer_unit_id"

static json_t *opt(kc_stmt *s, int col)
{
  return kc_stmt_is_null(s, col) ? json_null() : json_string(kc_stmt_text(s, col));
}

static json_t *row_json(kc_stmt *s, bool with_text)
{
  char c[32], u[32];
  kc_time_format_iso(kc_stmt_i64(s, 10), c, sizeof c);
  kc_time_format_iso(kc_stmt_i64(s, 11), u, sizeof u);
  json_t *o = json_pack(
      "{sI ss ss ss sI ss so ss sI ss ss sI}", "id", (json_int_t)kc_stmt_i64(s, 0), "number",
      kc_stmt_text(s, 1), "kind", kc_stmt_text(s, 2), "issued_on", kc_stmt_text(s, 3),
      "issuer_unit_id", (json_int_t)kc_stmt_i64(s, 4), "issuer_unit_name", kc_stmt_text(s, 5),
      "signer", opt(s, 6), "title", kc_stmt_text(s, 7), "version", (json_int_t)kc_stmt_i64(s, 9),
      "created_at", c, "updated_at", u, "task_count", (json_int_t)kc_stmt_i64(s, 12));
  if (with_text)
    json_object_set_new(o, "text", opt(s, 8));
  return o;
}

static kc_err load(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_stmt *s;
  bool row;
  kc_err e;
  static const char q[] = "SELECT " DIR_COLS DIR_FROM " WHERE d.id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    e = row ? (*out = row_json(s, true), KC_OK) : KC_ENOTFOUND;
  kc_stmt_reset(s);
  return e;
}

static kc_err may_read(kc_ctx *ctx)
{
  if (!kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Tài khoản công dân không xem được văn bản chỉ đạo");
  return KC_OK;
}

kc_err kc_directive_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_err e = may_read(ctx);
  if (!e)
    e = load(ctx, id, out);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy văn bản chỉ đạo");
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

/* Numbers keep their punctuation ("69/KH-UBND"): matched on the raw query, with LIKE's
 * wildcards escaped, so "69/KH" finds it. */
static const kc_list_filter dir_filters[] = {
    KC_LF(" AND (d.title_fold LIKE ? OR d.number LIKE ? ESCAPE '\\')"),
};
static kc_list dir_list =
    KC_LIST(" FROM directives d WHERE 1 = 1", "SELECT " DIR_COLS DIR_FROM " WHERE 1 = 1",
            dir_filters, " ORDER BY d.issued_on DESC, d.id DESC");

/* A list's record: without the directive's text. */
static json_t *list_row(kc_stmt *s)
{
  return row_json(s, false);
}

kc_err kc_directive_list(kc_ctx *ctx, const char *q, int64_t limit, int64_t offset, json_t **items,
                         int64_t *total)
{
  kc_err e = may_read(ctx);
  if (e)
    return e;
  kc_list_query lq;
  kc_list_query_init(&lq, &dir_list, limit, offset);
  if (q && *q) {
    const char *like = kc_arena_printf(ctx->arena, "%%%s%%", kc_text_fold(ctx->arena, q));
    kc_list_where(&lq, 0, KC_TXT(like), KC_TXT(kc_list_like_escaped(ctx->arena, q, false)));
  }
  e = kc_list_json_rows(ctx, &lq, list_row, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

static kc_err may_issue(kc_ctx *ctx, int64_t issuer_unit_id)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_ASSIGN))
    return kc_ctx_fail(
        ctx, KC_EFORBIDDEN, NULL,
        "Chỉ lãnh đạo, trưởng đơn vị hoặc quản trị viên được ban hành văn bản chỉ đạo");
  const char *path;
  kc_err e = kc_unit_path(ctx, issuer_unit_id, &path);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_EFIELD, "issuer_unit_id", "Đơn vị ban hành không tồn tại");
  if (e)
    return e;
  if (!a || kc_role_citywide(a->role))
    return KC_OK;
  if (!kc_scope_covers(a, path))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, "issuer_unit_id",
                       "Bạn chỉ ghi nhận văn bản do đơn vị mình hoặc cấp dưới ban hành");
  return KC_OK;
}

static kc_err check(kc_ctx *ctx, kc_directive_in *in, bool create)
{
  kc_err e = kc_text_field(ctx, "number", "Số hiệu văn bản", &in->number, 64, create || in->number);
  if (!e)
    e = kc_text_field(ctx, "title", "Trích yếu", &in->title, 1000, create || in->title);
  if (!e)
    e = kc_text_field(ctx, "signer", "Người ký", &in->signer, 200, false);
  if (!e)
    e = kc_text_field(ctx, "text", "Nội dung văn bản", &in->text, 2000000, false);
  if (!e)
    e = kc_text_field(ctx, "issued_on", "Ngày ban hành", &in->issued_on, 10, create);
  if (e)
    return e;
  if ((create || in->kind) && !kc_directive_kind_valid(in->kind))
    return kc_ctx_fail(ctx, KC_EFIELD, "kind",
                       "Loại văn bản phải là directive (chỉ thị), plan (kế hoạch), decision "
                       "(quyết định), official_letter (công văn) hoặc conclusion_notice "
                       "(thông báo kết luận)");
  if (in->issued_on && !kc_date_valid(in->issued_on))
    return kc_ctx_fail(ctx, KC_EFIELD, "issued_on", "Ngày ban hành không hợp lệ (YYYY-MM-DD)");
  if (create && !in->issuer_unit_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "issuer_unit_id", "Thiếu đơn vị ban hành");
  return KC_OK;
}

kc_err kc_directive_create(kc_ctx *ctx, const kc_directive_in *in0, json_t **out)
{
  kc_directive_in in = *in0;
  kc_err e = check(ctx, &in, true);
  if (!e)
    e = may_issue(ctx, in.issuer_unit_id);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_stmt *s;
  bool row;
  static const char q[] =
      "INSERT INTO directives (number, kind, issued_on, issuer_unit_id, signer, "
      "title, title_fold, text, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_tx_end(ctx, e);
  kc_stmt_bind_text(s, 1, in.number, -1);
  kc_stmt_bind_text(s, 2, in.kind, -1);
  kc_stmt_bind_text(s, 3, in.issued_on, -1);
  kc_stmt_bind_i64(s, 4, in.issuer_unit_id);
  kc_stmt_bind_opt_text(s, 5, in.signer && *in.signer ? in.signer : NULL);
  kc_stmt_bind_text(s, 6, in.title, -1);
  kc_stmt_bind_text(s, 7, kc_text_fold(ctx->arena, in.title), -1);
  kc_stmt_bind_opt_text(s, 8, in.text && *in.text ? in.text : NULL);
  if (ctx->actor)
    kc_stmt_bind_i64(s, 9, ctx->actor->account_id);
  else
    kc_stmt_bind_null(s, 9);
  kc_stmt_bind_i64(s, 10, ctx->now);
  kc_stmt_bind_i64(s, 11, ctx->now);
  e = kc_stmt_step(s, &row);
  int64_t id = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "number", "Văn bản số %s ngày %.2s/%.2s/%.4s đã có",
                    in.number, in.issued_on + 8, in.issued_on + 5, in.issued_on);
  json_t *j = NULL;
  if (!e && (e = load(ctx, id, &j)) == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_EFIELD, "issuer_unit_id", "Đơn vị ban hành không tồn tại");
  if (!e) {
    json_t *a = json_deep_copy(j);
    json_object_del(a, "text"); /* the audit keeps the record, not megabytes of text twice */
    e = kc_audit_write(ctx, "create", "directive", id, NULL, a);
    json_decref(a);
  }
  e = kc_tx_end(ctx, e);
  if (e) {
    json_decref(j);
    return e;
  }
  *out = j;
  return KC_OK;
}

kc_err kc_directive_update(kc_ctx *ctx, int64_t id, const kc_directive_in *in0, json_t **out)
{
  kc_directive_in in = *in0;
  kc_err e = check(ctx, &in, false);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  e = load(ctx, id, &before);
  if (e == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy văn bản chỉ đạo");
  if (!e)
    e = may_issue(ctx, json_integer_value(json_object_get(before, "issuer_unit_id")));
  int64_t version = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (!e && version != in.version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Văn bản đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    version, in.version);
  if (!e && !kc_change_text(before, "number", in.number) &&
      !kc_change_text(before, "kind", in.kind) &&
      !kc_change_text(before, "issued_on", in.issued_on) &&
      !kc_change_text(before, "signer", in.signer) && !kc_change_text(before, "title", in.title) &&
      !kc_change_text(before, "text", in.text)) {
    *out = before; /* nothing changes: no new version, no audit record */
    return kc_tx_end(ctx, KC_OK);
  }
  const char *title = in.title ? in.title : json_string_value(json_object_get(before, "title"));
  static const char q[] =
      "UPDATE directives SET number = COALESCE(?, number), kind = COALESCE(?, kind), "
      "issued_on = COALESCE(?, issued_on), signer = COALESCE(?, signer), title = ?, "
      "title_fold = ?, text = COALESCE(?, text), version = version + 1, updated_at = ? "
      "WHERE id = ? AND version = ?";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_query(ctx->conn, q, &s, KC_OPT_TXT(in.number), KC_OPT_TXT(in.kind),
                      KC_OPT_TXT(in.issued_on), KC_OPT_TXT(in.signer), KC_TXT(title),
                      KC_TXT(kc_text_fold(ctx->arena, title)), KC_OPT_TXT(in.text),
                      KC_I64(ctx->now), KC_I64(id), KC_I64(in.version));
  if (!e) {
    e = kc_stmt_run(s);
    if (e == KC_ECONFLICT)
      e = kc_ctx_fail(ctx, KC_ECONFLICT, "number", "Số hiệu văn bản trùng với văn bản khác");
  }
  if (!e)
    e = load(ctx, id, &after);
  if (!e) {
    json_object_del(before, "text");
    json_t *a = json_deep_copy(after);
    json_object_del(a, "text");
    e = kc_audit_write(ctx, "update", "directive", id, before, a);
    json_decref(a);
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

kc_err kc_directive_create_with_tasks(kc_ctx *ctx, const kc_directive_in *in,
                                      const kc_task_in *tasks, size_t n, json_t **out)
{
  if (n > 2000)
    return kc_ctx_fail(ctx, KC_EFIELD, "tasks", "Tối đa 2000 nhiệm vụ trong một văn bản");
  kc_err e = kc_tx_outer_begin(ctx);
  if (e)
    return e;
  json_t *d = NULL, *ids = json_array();
  e = kc_directive_create(ctx, in, &d);
  int64_t did = d ? json_integer_value(json_object_get(d, "id")) : 0;
  for (size_t i = 0; !e && i < n; i++) {
    kc_task_in t = tasks[i];
    t.directive_id = did;
    json_t *tj = NULL;
    e = kc_task_create(ctx, &t, &tj);
    if (e) {
      /* name the task in the field, keep the task's own message */
      const char *f = ctx->err_field;
      e = kc_ctx_fail(ctx, e,
                      f ? kc_arena_printf(ctx->arena, "tasks[%zu].%s", i, f)
                        : kc_arena_printf(ctx->arena, "tasks[%zu]", i),
                      "Nhiệm vụ %zu: %s", i + 1,
                      ctx->err_message ? ctx->err_message : kc_err_message(e));
    } else {
      json_array_append_new(ids, json_integer(json_integer_value(json_object_get(tj, "id"))));
    }
    json_decref(tj);
  }
  e = kc_tx_outer_end(ctx, e);
  if (e) {
    json_decref(d);
    json_decref(ids);
    return e;
  }
  *out = json_pack("{so so}", "directive", d, "task_ids", ids);
  return KC_OK;
}
