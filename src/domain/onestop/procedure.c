/* procedure.c: the procedure catalog (see procedure.h). */
#include "domain/onestop/procedure.h"
#include "base/clock.h"
#include "base/files.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PROC_COLS                                                                                  \
  "p.id, p.code, p.name, p.field, p.level, p.unit_id, u.code, u.name, p.limit_amount, "            \
  "p.limit_kind, p.cutoff_minute, p.fee, p.components, p.steps, p.requirements, p.result, "        \
  "p.legal_basis, p.source, p.published, p.version, p.created_at, p.updated_at, u.path, u.kind, "  \
  "p.forms"
#define PROC_FROM " FROM procedures p JOIN units u ON u.id = p.unit_id"

static const char *const levels[] = {"city", "district", "commune"};

static bool level_valid(const char *s)
{
  for (size_t i = 0; s && i < 3; i++)
    if (!strcmp(s, levels[i]))
      return true;
  return false;
}

/* Steps are stored with unit ids; the record shows each step's unit code and name too. */
static json_t *steps_out(kc_ctx *ctx, const char *stored)
{
  json_t *arr = json_loads(stored, 0, NULL);
  if (!json_is_array(arr)) {
    json_decref(arr);
    return json_array();
  }
  size_t i;
  json_t *st;
  json_array_foreach(arr, i, st)
  {
    int64_t uid = json_integer_value(json_object_get(st, "unit_id"));
    json_int_t hd = json_integer_value(json_object_get(st, "half_days"));
    json_object_set_new(st, "days", json_real((double)hd / 2.0));
    if (!uid)
      continue;
    kc_stmt *s;
    bool row = false;
    if (!kc_stmt_prepare(ctx->conn, "SELECT code, name FROM units WHERE id = ?", &s)) {
      kc_stmt_bind_vals(s, KC_I64(uid));
      if (!kc_stmt_step(s, &row) && row) {
        json_object_set_new(st, "unit_code", json_string(kc_stmt_text(s, 0)));
        json_object_set_new(st, "unit_name", json_string(kc_stmt_text(s, 1)));
      }
      kc_stmt_reset(s);
    }
  }
  return arr;
}

static json_t *row_json(kc_ctx *ctx, kc_stmt *s, bool full)
{
  char c[32], u[32];
  kc_time_format_iso(kc_stmt_i64(s, 20), c, sizeof c);
  kc_time_format_iso(kc_stmt_i64(s, 21), u, sizeof u);
  const char *kind = kc_stmt_text(s, 9);
  int64_t amount = kc_stmt_i64(s, 8);
  bool hours = !strcmp(kind, "hours");
  json_t *o = json_pack(
      "{sI ss ss ss ss sI ss ss so ss so so ss sb sI}", "id", (json_int_t)kc_stmt_i64(s, 0), "code",
      kc_stmt_text(s, 1), "name", kc_stmt_text(s, 2), "field", kc_stmt_text(s, 3), "level",
      kc_stmt_text(s, 4), "unit_id", (json_int_t)kc_stmt_i64(s, 5), "unit_code", kc_stmt_text(s, 6),
      "unit_name", kc_stmt_text(s, 7), "processing_days",
      hours ? json_null() : json_integer(amount), "day_kind", kind, "processing_hours",
      hours ? json_integer(amount) : json_null(), "cutoff_hour",
      kc_stmt_is_null(s, 10) ? json_null() : json_integer(kc_stmt_i64(s, 10) / 60), "fee",
      kc_stmt_text(s, 11), "published", kc_stmt_i64(s, 18) != 0, "version",
      (json_int_t)kc_stmt_i64(s, 19));
  json_object_set_new(o, "limit", json_pack("{sI ss}", "amount", (json_int_t)amount, "kind", kind));
  if (!kc_stmt_is_null(s, 10) && kc_stmt_i64(s, 10) % 60)
    json_object_set_new(o, "cutoff_minute", json_integer(kc_stmt_i64(s, 10)));
  if (full) {
    json_t *comp = json_loads(kc_stmt_text(s, 12), 0, NULL);
    /* each component shows its form file, if one was uploaded under its name */
    json_t *forms = json_loads(kc_stmt_text(s, 24), 0, NULL);
    size_t ci;
    json_t *cj;
    json_array_foreach(comp, ci, cj)
    {
      json_t *f = json_object_get(forms, json_string_value(json_object_get(cj, "name")));
      json_object_set(cj, "form_file", f ? f : json_null());
    }
    json_decref(forms);
    json_object_set_new(o, "components", comp ? comp : json_array());
    json_object_set_new(o, "steps", steps_out(ctx, kc_stmt_text(s, 13)));
    json_object_set_new(o, "requirements", json_string(kc_stmt_text(s, 14)));
    json_object_set_new(o, "result", json_string(kc_stmt_text(s, 15)));
    json_object_set_new(o, "legal_basis", json_string(kc_stmt_text(s, 16)));
    json_object_set_new(o, "source", json_string(kc_stmt_text(s, 17)));
    json_object_set_new(o, "created_at", json_string(c));
    json_object_set_new(o, "updated_at", json_string(u));
  }
  return o;
}

static kc_err load_json(kc_ctx *ctx, int64_t id, json_t **out)
{
  static const char q[] = "SELECT " PROC_COLS PROC_FROM " WHERE p.id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e)
    e = row ? KC_OK : KC_ENOTFOUND;
  json_t *o = e ? NULL : row_json(ctx, s, true);
  kc_stmt_reset(s);
  *out = o;
  return e;
}

/* The record a change starts from; a missing one is the change's 404. */
static kc_err load_existing(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_err e = load_json(ctx, id, out);
  if (e == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy thủ tục hành chính");
  return e;
}

kc_err kc_procedure_load(kc_ctx *ctx, int64_t id, kc_procedure_row *out)
{
  static const char q[] = "SELECT " PROC_COLS PROC_FROM " WHERE p.id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return kc_ctx_code(ctx, e);
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    kc_arena *a = ctx->arena;
    out->id = kc_stmt_i64(s, 0);
    out->code = kc_arena_strdup(a, kc_stmt_text(s, 1));
    out->name = kc_arena_strdup(a, kc_stmt_text(s, 2));
    out->level = kc_arena_strdup(a, kc_stmt_text(s, 4));
    out->unit_id = kc_stmt_i64(s, 5);
    out->limit.amount = (int)kc_stmt_i64(s, 8);
    out->limit.kind = (kc_limit_kind)kc_limit_kind_parse(kc_stmt_text(s, 9));
    out->limit.cutoff_minute = kc_stmt_is_null(s, 10) ? -1 : (int)kc_stmt_i64(s, 10);
    out->components = kc_arena_strdup(a, kc_stmt_text(s, 12));
    out->steps = json_loads(kc_stmt_text(s, 13), 0, NULL);
    out->published = kc_stmt_i64(s, 18) != 0;
    out->unit_path = kc_arena_strdup(a, kc_stmt_text(s, 22));
    out->unit_kind = kc_arena_strdup(a, kc_stmt_text(s, 23));
    if (!json_is_array(out->steps)) {
      json_decref(out->steps);
      out->steps = json_array();
    }
  }
  kc_stmt_reset(s);
  if (e)
    return kc_ctx_code(ctx, e);
  if (!row)
    return kc_ctx_fail(ctx, KC_EFIELD, "procedure_id", "Thủ tục hành chính không tồn tại");
  return KC_OK;
}

static kc_err may_read(kc_ctx *ctx, bool public_only)
{
  if (!public_only && !kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Tài khoản công dân xem thủ tục trên trang công khai");
  return KC_OK;
}

kc_err kc_procedure_get(kc_ctx *ctx, int64_t id, bool public_only, json_t **out)
{
  kc_err e = may_read(ctx, public_only);
  if (e)
    return e;
  json_t *o = NULL;
  e = load_json(ctx, id, &o);
  if (!e && public_only && !json_is_true(json_object_get(o, "published"))) {
    json_decref(o);
    e = KC_ENOTFOUND;
  }
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy thủ tục hành chính");
  if (e)
    return kc_ctx_code(ctx, e);
  if (public_only) {
    json_object_del(o, "source");
    json_object_del(o, "version");
  }
  *out = o;
  return KC_OK;
}

/* Words are matched in order inside the folded name ("cap giay phep" finds "Cấp giấy phép
 * xây dựng"), or the query is a code prefix; LIKE's wildcards in the query are taken
 * literally by the fold, which keeps letters, digits and spaces only. */
enum { PF_PUBLISHED, PF_Q, PF_FIELD, PF_LEVEL, PF_UNIT, PF_N };
static const kc_list_filter proc_filters[PF_N] = {
    [PF_PUBLISHED] = KC_LF_FLAG(kc_procedure_filter, public_only, " AND p.published = 1"),
    [PF_Q] = KC_LF(" AND (p.name_fold LIKE ? OR p.code LIKE ?)"),
    [PF_FIELD] = KC_LF_TEXT(kc_procedure_filter, field, " AND p.field = ?"),
    [PF_LEVEL] = KC_LF_TEXT(kc_procedure_filter, level, " AND p.level = ?"),
    [PF_UNIT] = KC_LF_ID(kc_procedure_filter, unit_id, " AND p.unit_id = ?"),
};
static kc_list proc_list =
    KC_LIST(PROC_FROM " WHERE 1 = 1", "SELECT " PROC_COLS PROC_FROM " WHERE 1 = 1", proc_filters,
            " ORDER BY p.field, p.name_fold, p.id");

static json_t *list_row(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)arg;
  return row_json(ctx, s, false);
}

kc_err kc_procedure_list(kc_ctx *ctx, const kc_procedure_filter *f, json_t **items, int64_t *total)
{
  kc_err e = may_read(ctx, f->public_only);
  if (e)
    return e;
  if (f->q && strlen(f->q) > 200)
    return kc_ctx_fail(ctx, KC_EFIELD, "q", "Từ khóa tìm kiếm quá dài");
  kc_list_query q;
  kc_list_query_init(&q, &proc_list, f->limit, f->offset);
  kc_list_from(&q, f);
  const char *fold = f->q ? kc_text_fold(ctx->arena, f->q) : "";
  if (*fold)
    kc_list_where(&q, PF_Q, KC_TXT(kc_arena_printf(ctx->arena, "%%%s%%", fold)),
                  KC_TXT(kc_arena_printf(ctx->arena, "%s%%", f->q)));
  e = kc_list_json(ctx, &q, list_row, NULL, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

kc_err kc_procedure_fields(kc_ctx *ctx, bool public_only, json_t **items)
{
  kc_err e = may_read(ctx, public_only);
  if (e)
    return e;
  static const char q[] = "SELECT field, COUNT(*) FROM procedures WHERE (? = 0 OR published = 1) "
                          "GROUP BY field ORDER BY field";
  kc_stmt *s;
  bool row;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(public_only));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
    json_array_append_new(arr, json_pack("{ss sI}", "field", kc_stmt_text(s, 0), "count",
                                         (json_int_t)kc_stmt_i64(s, 1)));
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *items = arr;
  return KC_OK;
}

/* ---- writes ---- */

static kc_err may_edit(kc_ctx *ctx, const char *unit_path)
{
  const kc_actor *a = ctx->actor;
  if (!a || kc_role_citywide(a->role))
    return KC_OK;
  if (!kc_actor_in(a, KC_RS_CATALOG_WRITE))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Chỉ lãnh đạo, trưởng đơn vị hoặc quản trị viên được sửa danh mục thủ tục");
  if (!kc_scope_covers(a, unit_path))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, "unit_id",
                       "Bạn chỉ quản lý thủ tục của đơn vị mình hoặc cấp dưới");
  return KC_OK;
}

/* A unit named by unit_id or unit_code (imports carry codes). */
static kc_err unit_ref(kc_ctx *ctx, json_t *o, const char *id_key, const char *code_key,
                       const char *field, int64_t *id)
{
  json_t *jid = json_object_get(o, id_key);
  const char *code = json_string_value(json_object_get(o, code_key));
  if (json_is_integer(jid)) {
    *id = json_integer_value(jid);
    return KC_OK;
  }
  if (jid && !json_is_null(jid))
    return kc_ctx_fail(ctx, KC_EFIELD, field, "Mã đơn vị phải là số nguyên");
  *id = 0;
  if (!code)
    return KC_OK;
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_query(ctx->conn, "SELECT id FROM units WHERE code = ?", &s, KC_TXT(code));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    *id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  if (!e && !row)
    e = kc_ctx_fail(ctx, KC_EFIELD, field, "Không có đơn vị mã %s", code);
  return e;
}

static kc_err str_member(kc_ctx *ctx, json_t *o, const char *key, const char *label, size_t max,
                         bool required, const char **out)
{
  json_t *v = json_object_get(o, key);
  if (v && !json_is_string(v) && !json_is_null(v))
    return kc_ctx_fail(ctx, KC_EFIELD, key, "%s phải là chuỗi", label);
  *out = json_string_value(v);
  return kc_text_field(ctx, key, label, out, max, required);
}

/* "fee": text ("Không", "50.000 đồng/hồ sơ") or a number of đồng, written the Vietnamese way. */
static kc_err fee_member(kc_ctx *ctx, json_t *o, const char **out)
{
  json_t *v = json_object_get(o, "fee");
  if (json_is_integer(v) || json_is_real(v)) {
    double d = json_number_value(v);
    if (d < 0 || d > 1e12)
      return kc_ctx_fail(ctx, KC_EFIELD, "fee", "Lệ phí không hợp lệ");
    int64_t n = (int64_t)llround(d);
    if (n == 0) {
      *out = "Không";
      return KC_OK;
    }
    char digits[32], grouped[48];
    int len = snprintf(digits, sizeof digits, "%" PRId64, n), w = 0;
    for (int i = 0; i < len; i++) {
      if (i && (len - i) % 3 == 0)
        grouped[w++] = '.';
      grouped[w++] = digits[i];
    }
    grouped[w] = 0;
    *out = kc_arena_printf(ctx->arena, "%s đồng", grouped);
    return KC_OK;
  }
  return str_member(ctx, o, "fee", "Lệ phí", 1000, false, out);
}

/* Components: strings or {name, originals, copies, form}. */
static kc_err components_member(kc_ctx *ctx, json_t *o, kc_procedure_in *in)
{
  json_t *v = json_object_get(o, "components");
  if (!v)
    return KC_OK;
  if (!json_is_array(v) || json_array_size(v) > KC_PROCEDURE_MAX_COMPONENTS)
    return kc_ctx_fail(ctx, KC_EFIELD, "components",
                       "Thành phần hồ sơ phải là danh sách (tối đa %d giấy tờ)",
                       KC_PROCEDURE_MAX_COMPONENTS);
  kc_procedure_component_in *arr =
      kc_arena_zalloc(ctx->arena, (json_array_size(v) + 1) * sizeof *arr);
  size_t i;
  json_t *c;
  kc_err e = KC_OK;
  json_array_foreach(v, i, c)
  {
    const char *field = kc_arena_printf(ctx->arena, "components[%zu]", i);
    json_t *obj = json_is_string(c) ? json_pack("{sO}", "name", c) : json_incref(c);
    const char *name = NULL, *form = NULL;
    json_t *orig = json_object_get(obj, "originals"), *copies = json_object_get(obj, "copies");
    if (!json_is_object(obj))
      e = kc_ctx_fail(ctx, KC_EFIELD, field, "Giấy tờ thứ %zu không hợp lệ", i + 1);
    if (!e) {
      name = json_string_value(json_object_get(obj, "name"));
      form = json_string_value(json_object_get(obj, "form"));
      e = kc_text_field(ctx, field, "Tên giấy tờ", &name, 1000, true);
    }
    if (!e)
      e = kc_text_field(ctx, field, "Mẫu đơn, tờ khai", &form, 500, false);
    if (!e && ((orig && !json_is_integer(orig)) || (copies && !json_is_integer(copies)) ||
               json_integer_value(orig) < 0 || json_integer_value(orig) > 100 ||
               json_integer_value(copies) < 0 || json_integer_value(copies) > 100))
      e = kc_ctx_fail(ctx, KC_EFIELD, field, "Số bản chính, bản sao phải từ 0 đến 100");
    if (!e)
      arr[i] = (kc_procedure_component_in){.name = name,
                                           .form = form,
                                           .originals = orig ? json_integer_value(orig) : 1,
                                           .copies = json_integer_value(copies)};
    json_decref(obj);
    if (e)
      return e;
  }
  in->has_components = true;
  in->components = arr;
  in->ncomponents = json_array_size(v);
  return KC_OK;
}

/* Steps: [{name, unit_id | unit_code, days}] in half days. */
static kc_err steps_member(kc_ctx *ctx, json_t *o, kc_procedure_in *in)
{
  json_t *v = json_object_get(o, "steps");
  if (!v)
    return KC_OK;
  if (!json_is_array(v) || json_array_size(v) > KC_PROCEDURE_MAX_STEPS)
    return kc_ctx_fail(ctx, KC_EFIELD, "steps",
                       "Quy trình phải là danh sách các bước (tối đa %d bước)",
                       KC_PROCEDURE_MAX_STEPS);
  kc_procedure_step_in *arr = kc_arena_zalloc(ctx->arena, (json_array_size(v) + 1) * sizeof *arr);
  size_t i;
  json_t *st;
  kc_err e = KC_OK;
  json_array_foreach(v, i, st)
  {
    const char *field = kc_arena_printf(ctx->arena, "steps[%zu]", i);
    const char *name = json_string_value(json_object_get(st, "name"));
    json_t *days = json_object_get(st, "days");
    int64_t uid = 0;
    if (!json_is_object(st))
      e = kc_ctx_fail(ctx, KC_EFIELD, field, "Bước thứ %zu không hợp lệ", i + 1);
    if (!e)
      e = kc_text_field(ctx, field, "Tên bước", &name, 500, true);
    if (!e)
      e = unit_ref(ctx, st, "unit_id", "unit_code", field, &uid);
    const char *path = NULL;
    if (!e && uid && (e = kc_unit_path(ctx, uid, &path)) == KC_ENOTFOUND)
      e = kc_ctx_fail(ctx, KC_EFIELD, field, "Đơn vị của bước %zu không tồn tại", i + 1);
    double d = json_number_value(days);
    if (!e && (!json_is_number(days) || d < 0 || d > 365 || fabs(d * 2 - round(d * 2)) > 1e-9))
      e = kc_ctx_fail(ctx, KC_EFIELD, field,
                      "Thời gian của bước %zu phải là số ngày làm việc, chia được theo nửa ngày",
                      i + 1);
    if (e)
      return e;
    arr[i] =
        (kc_procedure_step_in){.name = name, .unit_id = uid, .half_days = (int64_t)llround(d * 2)};
  }
  in->has_steps = true;
  in->steps = arr;
  in->nsteps = json_array_size(v);
  return KC_OK;
}

/* The components and steps as stored: JSON texts (malloc'd). `all`: both, the empty lists of
 * a new record included; otherwise NULL for a list the update leaves unchanged. */
static void lists_text(const kc_procedure_in *in, bool all, char **comp, char **steps)
{
  json_t *cs = json_array(), *ss = json_array();
  for (size_t i = 0; i < in->ncomponents; i++) {
    const kc_procedure_component_in *c = &in->components[i];
    json_array_append_new(cs, json_pack("{ss sI sI ss?}", "name", c->name, "originals",
                                        (json_int_t)c->originals, "copies", (json_int_t)c->copies,
                                        "form", c->form));
  }
  for (size_t i = 0; i < in->nsteps; i++) {
    const kc_procedure_step_in *st = &in->steps[i];
    json_array_append_new(ss, json_pack("{ss so sI}", "name", st->name, "unit_id",
                                        st->unit_id ? json_integer(st->unit_id) : json_null(),
                                        "half_days", (json_int_t)st->half_days));
  }
  *comp = all || in->has_components ? json_dumps(cs, JSON_COMPACT) : NULL;
  *steps = all || in->has_steps ? json_dumps(ss, JSON_COMPACT) : NULL;
  json_decref(cs);
  json_decref(ss);
}

kc_err kc_procedure_in_from_json(kc_ctx *ctx, json_t *o, bool create, kc_procedure_in *in)
{
  memset(in, 0, sizeof *in);
  in->kind = -1;
  in->cutoff = -2;
  in->published = -1;
  if (!json_is_object(o))
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "Thủ tục phải là một đối tượng JSON");
  kc_err e = str_member(ctx, o, "code", "Mã thủ tục", 64, create, &in->code);
  if (!e)
    e = str_member(ctx, o, "name", "Tên thủ tục", 1000, create, &in->name);
  if (!e)
    e = str_member(ctx, o, "field", "Lĩnh vực", 300, false, &in->field);
  if (!e)
    e = str_member(ctx, o, "level", "Cấp thực hiện", 16, false, &in->level);
  if (!e)
    e = fee_member(ctx, o, &in->fee);
  if (!e)
    e = str_member(ctx, o, "requirements", "Yêu cầu, điều kiện", 20000, false, &in->requirements);
  if (!e)
    e = str_member(ctx, o, "result", "Kết quả", 2000, false, &in->result);
  if (!e)
    e = str_member(ctx, o, "legal_basis", "Căn cứ pháp lý", 20000, false, &in->legal_basis);
  if (!e)
    e = str_member(ctx, o, "source", "Nguồn", 2000, false, &in->source);
  if (!e)
    e = unit_ref(ctx, o, "unit_id", "unit_code", "unit_id", &in->unit_id);
  if (e)
    return e;
  if (in->level && !level_valid(in->level))
    return kc_ctx_fail(ctx, KC_EFIELD, "level",
                       "Cấp thực hiện phải là city (thành phố), district (quận, huyện) hoặc "
                       "commune (xã, phường)");
  if (create && !in->unit_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Thiếu đơn vị thực hiện");
  /* time limit: processing_days + day_kind, or processing_hours */
  json_t *days = json_object_get(o, "processing_days"),
         *hours = json_object_get(o, "processing_hours");
  const char *dk = json_string_value(json_object_get(o, "day_kind"));
  if (json_is_null(days))
    days = NULL;
  if (json_is_null(hours))
    hours = NULL;
  if (days && hours)
    return kc_ctx_fail(ctx, KC_EFIELD, "processing_hours",
                       "Chỉ ghi thời hạn theo ngày hoặc theo giờ, không ghi cả hai");
  if (dk && (kc_limit_kind_parse(dk) < 0 || (hours && strcmp(dk, "hours"))))
    return kc_ctx_fail(ctx, KC_EFIELD, "day_kind",
                       "Loại ngày phải là working (ngày làm việc), calendar (ngày) hoặc hours");
  if (days) {
    if (!json_is_integer(days) || json_integer_value(days) < 0 || json_integer_value(days) > 365)
      return kc_ctx_fail(ctx, KC_EFIELD, "processing_days",
                         "Thời hạn giải quyết phải là số ngày nguyên từ 0 đến 365");
    in->amount = (int)json_integer_value(days);
    in->kind = dk && !strcmp(dk, "hours") ? -1 : dk ? kc_limit_kind_parse(dk) : KC_LIMIT_WORKING;
    if (in->kind < 0)
      return kc_ctx_fail(ctx, KC_EFIELD, "day_kind",
                         "Thời hạn theo ngày: loại ngày là working hoặc calendar");
  } else if (hours) {
    if (!json_is_integer(hours) || json_integer_value(hours) < 1 ||
        json_integer_value(hours) > 2000)
      return kc_ctx_fail(ctx, KC_EFIELD, "processing_hours",
                         "Thời hạn theo giờ phải là số giờ nguyên từ 1 đến 2000");
    in->amount = (int)json_integer_value(hours);
    in->kind = KC_LIMIT_HOURS;
  } else if (dk) {
    return kc_ctx_fail(ctx, KC_EFIELD, "processing_days", "Thiếu thời hạn giải quyết");
  } else if (create) {
    return kc_ctx_fail(ctx, KC_EFIELD, "processing_days", "Thiếu thời hạn giải quyết");
  }
  json_t *cut = json_object_get(o, "cutoff_hour");
  if (cut) {
    if (json_is_null(cut))
      in->cutoff = -1;
    else if (json_is_integer(cut) && json_integer_value(cut) >= 0 && json_integer_value(cut) < 24)
      in->cutoff = (int)json_integer_value(cut) * 60;
    else
      return kc_ctx_fail(ctx, KC_EFIELD, "cutoff_hour",
                         "Giờ tiếp nhận cuối ngày phải là số giờ từ 0 đến 23");
  } else if (create) {
    in->cutoff = -1;
  }
  json_t *pub = json_object_get(o, "published");
  if (pub && !json_is_boolean(pub))
    return kc_ctx_fail(ctx, KC_EFIELD, "published", "published phải là true hoặc false");
  in->published = pub ? json_is_true(pub) : create ? 1 : -1;
  json_t *ver = json_object_get(o, "version");
  if (!create && !json_is_integer(ver))
    return kc_ctx_fail(ctx, KC_EFIELD, "version", "Thiếu phiên bản (version) của bản ghi");
  in->version = json_integer_value(ver);
  e = components_member(ctx, o, in);
  if (!e)
    e = steps_member(ctx, o, in);
  return e;
}

/* The level of a procedure whose record does not say: that of its unit. */
static const char *level_of_unit(const char *kind)
{
  return !strcmp(kind, "district") ? "district" : !strcmp(kind, "commune") ? "commune" : "city";
}

static kc_err unit_info(kc_ctx *ctx, int64_t id, const char **path, const char **kind)
{
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_query(ctx->conn, "SELECT path, kind FROM units WHERE id = ?", &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    *path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 0));
    *kind = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
  }
  kc_stmt_reset(s);
  if (!e && !row)
    e = kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị thực hiện không tồn tại");
  return e;
}

/* Steps are checked against the limit the record will have after the change (before: the
 * stored record of an update, NULL when creating). */
static kc_err steps_fit(kc_ctx *ctx, const kc_procedure_in *in, json_t *before)
{
  if (!in->has_steps)
    return KC_OK;
  int amount = in->amount, kind = in->kind;
  if (kind < 0 && before) {
    json_t *lim = json_object_get(before, "limit");
    amount = (int)json_integer_value(json_object_get(lim, "amount"));
    kind = kc_limit_kind_parse(json_string_value(json_object_get(lim, "kind")));
  }
  int64_t sum = 0;
  for (size_t i = 0; i < in->nsteps; i++)
    sum += in->steps[i].half_days;
  if (kind == KC_LIMIT_WORKING && sum > (int64_t)amount * 2)
    return kc_ctx_fail(ctx, KC_EFIELD, "steps",
                       "Tổng thời gian các bước (%" PRId64
                       "%s ngày) vượt thời hạn giải quyết (%d ngày làm việc)",
                       sum / 2, sum % 2 ? ",5" : "", amount);
  return KC_OK;
}

/* Inserts a checked record inside the caller's transaction. */
static kc_err insert(kc_ctx *ctx, const kc_procedure_in *in, int64_t *id)
{
  const char *unit_path, *unit_kind;
  kc_err e = steps_fit(ctx, in, NULL);
  if (!e)
    e = unit_info(ctx, in->unit_id, &unit_path, &unit_kind);
  if (!e)
    e = may_edit(ctx, unit_path);
  if (e)
    return e;
  static const char q[] =
      "INSERT INTO procedures (code, name, name_fold, field, field_fold, level, unit_id, "
      "limit_amount, limit_kind, cutoff_minute, fee, components, steps, requirements, result, "
      "legal_basis, source, published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
  kc_stmt *s;
  bool row;
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  const char *field = in->field ? in->field : "";
  kc_stmt_bind_text(s, 1, in->code, -1);
  kc_stmt_bind_text(s, 2, in->name, -1);
  kc_stmt_bind_text(s, 3, kc_text_fold(ctx->arena, in->name), -1);
  kc_stmt_bind_text(s, 4, field, -1);
  kc_stmt_bind_text(s, 5, kc_text_fold(ctx->arena, field), -1);
  kc_stmt_bind_text(s, 6, in->level ? in->level : level_of_unit(unit_kind), -1);
  kc_stmt_bind_i64(s, 7, in->unit_id);
  kc_stmt_bind_i64(s, 8, in->amount);
  kc_stmt_bind_text(s, 9, kc_limit_kind_name((kc_limit_kind)in->kind), -1);
  if (in->cutoff >= 0)
    kc_stmt_bind_i64(s, 10, in->cutoff);
  else
    kc_stmt_bind_null(s, 10);
  kc_stmt_bind_text(s, 11, in->fee ? in->fee : "", -1);
  char *comp, *steps;
  lists_text(in, true, &comp, &steps);
  kc_stmt_bind_text(s, 12, comp, -1);
  kc_stmt_bind_text(s, 13, steps, -1);
  kc_stmt_bind_text(s, 14, in->requirements ? in->requirements : "", -1);
  kc_stmt_bind_text(s, 15, in->result ? in->result : "", -1);
  kc_stmt_bind_text(s, 16, in->legal_basis ? in->legal_basis : "", -1);
  kc_stmt_bind_text(s, 17, in->source ? in->source : "", -1);
  kc_stmt_bind_i64(s, 18, in->published != 0);
  kc_stmt_bind_i64(s, 19, ctx->now);
  kc_stmt_bind_i64(s, 20, ctx->now);
  e = kc_stmt_step(s, &row);
  *id = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  free(comp);
  free(steps);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "code", "Đã có thủ tục mã %s", in->code);
  return e;
}

/* Applies a checked update inside the caller's transaction; before is the current record. */
static kc_err apply_update(kc_ctx *ctx, int64_t id, json_t *before, const kc_procedure_in *in)
{
  kc_err e;
  const char *path, *kind;
  int64_t old_unit = json_integer_value(json_object_get(before, "unit_id"));
  e = steps_fit(ctx, in, before);
  if (!e)
    e = unit_info(ctx, old_unit, &path, &kind);
  if (!e)
    e = may_edit(ctx, path);
  if (e)
    return e;
  if (in->unit_id && in->unit_id != old_unit &&
      ((e = unit_info(ctx, in->unit_id, &path, &kind)) || (e = may_edit(ctx, path))))
    return e;
  int64_t version = json_integer_value(json_object_get(before, "version"));
  if (version != in->version)
    return kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                       "Thủ tục đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                       "); vui lòng tải lại",
                       version, in->version);
  static const char q[] =
      "UPDATE procedures SET code = COALESCE(?, code), name = COALESCE(?, name), name_fold = "
      "COALESCE(?, name_fold), field = COALESCE(?, field), field_fold = COALESCE(?, field_fold), "
      "level = COALESCE(?, level), unit_id = COALESCE(?, unit_id), limit_amount = COALESCE(?, "
      "limit_amount), limit_kind = COALESCE(?, limit_kind), cutoff_minute = CASE WHEN ? = 1 THEN "
      "? ELSE cutoff_minute END, fee = COALESCE(?, fee), components = COALESCE(?, components), "
      "steps = COALESCE(?, steps), requirements = COALESCE(?, requirements), result = COALESCE(?, "
      "result), legal_basis = COALESCE(?, legal_basis), source = COALESCE(?, source), published = "
      "COALESCE(?, published), version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
  kc_stmt *s;
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  kc_stmt_bind_opt_text(s, 1, in->code);
  kc_stmt_bind_opt_text(s, 2, in->name);
  kc_stmt_bind_opt_text(s, 3, in->name ? kc_text_fold(ctx->arena, in->name) : NULL);
  kc_stmt_bind_opt_text(s, 4, in->field);
  kc_stmt_bind_opt_text(s, 5, in->field ? kc_text_fold(ctx->arena, in->field) : NULL);
  kc_stmt_bind_opt_text(s, 6, in->level);
  if (in->unit_id)
    kc_stmt_bind_i64(s, 7, in->unit_id);
  else
    kc_stmt_bind_null(s, 7);
  if (in->kind >= 0) {
    kc_stmt_bind_i64(s, 8, in->amount);
    kc_stmt_bind_text(s, 9, kc_limit_kind_name((kc_limit_kind)in->kind), -1);
  } else {
    kc_stmt_bind_null(s, 8);
    kc_stmt_bind_null(s, 9);
  }
  kc_stmt_bind_i64(s, 10, in->cutoff != -2);
  if (in->cutoff >= 0)
    kc_stmt_bind_i64(s, 11, in->cutoff);
  else
    kc_stmt_bind_null(s, 11);
  kc_stmt_bind_opt_text(s, 12, in->fee);
  char *comp, *steps;
  lists_text(in, false, &comp, &steps);
  kc_stmt_bind_opt_text(s, 13, comp);
  kc_stmt_bind_opt_text(s, 14, steps);
  kc_stmt_bind_opt_text(s, 15, in->requirements);
  kc_stmt_bind_opt_text(s, 16, in->result);
  kc_stmt_bind_opt_text(s, 17, in->legal_basis);
  kc_stmt_bind_opt_text(s, 18, in->source);
  if (in->published >= 0)
    kc_stmt_bind_i64(s, 19, in->published);
  else
    kc_stmt_bind_null(s, 19);
  kc_stmt_bind_i64(s, 20, ctx->now);
  kc_stmt_bind_i64(s, 21, id);
  kc_stmt_bind_i64(s, 22, in->version);
  e = kc_stmt_run(s);
  free(comp);
  free(steps);
  if (e == KC_ECONFLICT)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "code", "Mã thủ tục trùng với thủ tục khác");
  return e;
}

kc_err kc_procedure_create(kc_ctx *ctx, const kc_procedure_in *in, json_t **out)
{
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  int64_t id = 0;
  json_t *j = NULL;
  e = insert(ctx, in, &id);
  if (!e)
    e = load_json(ctx, id, &j);
  return kc_change_end(ctx, e, "create", "procedure", id, NULL, j, out);
}

kc_err kc_procedure_update(kc_ctx *ctx, int64_t id, const kc_procedure_in *in, json_t **out)
{
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  e = load_existing(ctx, id, &before);
  if (!e)
    e = apply_update(ctx, id, before, in);
  if (!e)
    e = load_json(ctx, id, &after);
  if (!e && !kc_change_record(before, after)) {
    /* nothing changed: undo the new version, write no audit record */
    json_decref(after);
    *out = before;
    return kc_tx_discard(ctx);
  }
  e = kc_change_end(ctx, e, "update", "procedure", id, before, after, out);
  json_decref(before);
  return e;
}

kc_err kc_procedure_import(kc_ctx *ctx, json_t *arr, int *created, int *updated)
{
  *created = *updated = 0;
  if (!json_is_array(arr))
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "Dữ liệu nhập phải là một danh sách thủ tục");
  if (json_array_size(arr) > KC_PROCEDURE_IMPORT_MAX)
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "Tối đa %d thủ tục mỗi lần nhập",
                       KC_PROCEDURE_IMPORT_MAX);
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  size_t i;
  json_t *o;
  int c = 0, u = 0;
  json_array_foreach(arr, i, o)
  {
    /* an existing code is an update of that record, at its current version */
    const char *code = json_string_value(json_object_get(o, "code"));
    int64_t id = 0, version = 0;
    kc_stmt *s;
    bool row = false;
    if (code && !(e = kc_stmt_prepare(ctx->conn,
                                      "SELECT id, version FROM procedures WHERE code = ?", &s))) {
      kc_stmt_bind_vals(s, KC_TXT(code));
      e = kc_stmt_step(s, &row);
      if (!e && row) {
        id = kc_stmt_i64(s, 0);
        version = kc_stmt_i64(s, 1);
      }
      kc_stmt_reset(s);
    }
    kc_procedure_in in;
    json_t *before = NULL, *after = NULL, *copy = NULL;
    if (!e && id) {
      copy = json_deep_copy(o);
      json_object_set_new(copy, "version", json_integer(version));
    }
    if (!e)
      e = kc_procedure_in_from_json(ctx, id ? copy : o, !id, &in);
    if (!e && id) {
      e = load_json(ctx, id, &before);
      if (!e)
        e = apply_update(ctx, id, before, &in);
      if (!e)
        e = load_json(ctx, id, &after);
      if (!e)
        e = kc_audit_write(ctx, "update", "procedure", id, before, after);
    } else if (!e) {
      e = insert(ctx, &in, &id);
      if (!e)
        e = load_json(ctx, id, &after);
      if (!e)
        e = kc_audit_write(ctx, "create", "procedure", id, NULL, after);
    }
    if (!e)
      (before ? u++ : c++);
    json_decref(copy);
    json_decref(before);
    json_decref(after);
    if (e) {
      const char *f = ctx->err_field;
      e = kc_ctx_fail(ctx, e,
                      f ? kc_arena_printf(ctx->arena, "items[%zu].%s", i, f)
                        : kc_arena_printf(ctx->arena, "items[%zu]", i),
                      "Thủ tục thứ %zu%s%s: %s", i + 1, code ? " " : "", code ? code : "",
                      ctx->err_message ? ctx->err_message : kc_err_message(e));
      break;
    }
  }
  e = kc_tx_end(ctx, e);
  if (e)
    return e;
  *created = c;
  *updated = u;
  return KC_OK;
}

kc_err kc_procedure_export(kc_ctx *ctx, json_t **out)
{
  kc_err e = may_read(ctx, false);
  if (e)
    return e;
  static const char q[] = "SELECT " PROC_COLS PROC_FROM " ORDER BY p.code";
  kc_stmt *s;
  bool row;
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    json_t *o = row_json(ctx, s, true);
    /* what import reads back: units by code, steps in days, no server-side members */
    static const char *const drop[] = {"id",         "unit_id",    "unit_name", "version",
                                       "created_at", "updated_at", "limit",     "cutoff_minute"};
    for (size_t k = 0; k < sizeof drop / sizeof *drop; k++)
      json_object_del(o, drop[k]);
    if (json_is_null(json_object_get(o, "processing_hours")))
      json_object_del(o, "processing_hours");
    else
      json_object_del(o, "processing_days");
    size_t i;
    json_t *st, *c;
    /* form files stay in the file store; an import does not carry them */
    json_array_foreach(json_object_get(o, "components"), i, c) json_object_del(c, "form_file");
    json_array_foreach(json_object_get(o, "steps"), i, st)
    {
      json_object_del(st, "unit_id");
      json_object_del(st, "unit_name");
      json_object_del(st, "half_days");
    }
    json_array_append_new(arr, o);
  }
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *out = arr;
  return KC_OK;
}

/* ---- form files ---- */

#define FORM_MAX_BYTES (8 * 1024 * 1024)

static bool ctype_ok(const char *t)
{
  for (; *t; t++)
    if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9') ||
          strchr("/.+-", *t)))
      return false;
  return true;
}

/* The component named `index` (0-based) of a loaded record, or NULL. */
static const char *component_name(json_t *rec, int64_t index)
{
  json_t *c = json_array_get(json_object_get(rec, "components"), (size_t)index);
  return json_string_value(json_object_get(c, "name"));
}

kc_err kc_procedure_set_form(kc_ctx *ctx, const char *files_dir, int64_t id, int64_t index,
                             const char *filename, const char *content_type, const void *data,
                             size_t len, json_t **out)
{
  kc_err e = kc_text_field(ctx, "filename", "Tên tệp", &filename, 255, true);
  if (e)
    return e;
  if (strchr(filename, '/') || strchr(filename, '\\'))
    return kc_ctx_fail(ctx, KC_EFIELD, "filename", "Tên tệp không được chứa dấu / hoặc \\");
  if (!len)
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "Tệp mẫu rỗng");
  if (len > FORM_MAX_BYTES)
    return kc_ctx_fail(ctx, KC_ETOOLARGE, NULL, "Tệp mẫu vượt quá 8 MiB");
  /* a parameter-free media type of plain characters; anything else is served as bytes */
  char ctype[101] = "application/octet-stream";
  if (content_type) {
    size_t n = strcspn(content_type, ";");
    while (n && content_type[n - 1] == ' ')
      n--;
    if (n && n < sizeof ctype) {
      memcpy(ctype, content_type, n);
      ctype[n] = 0;
      if (!ctype_ok(ctype))
        snprintf(ctype, sizeof ctype, "application/octet-stream");
    }
  }
  char sha[KC_SHA256_HEX];
  if (kc_files_put(files_dir, data, len, sha))
    return kc_ctx_fail(ctx, KC_EIO, NULL, "Không lưu được tệp mẫu");
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  json_t *before = NULL, *after = NULL;
  e = load_existing(ctx, id, &before);
  const char *path, *kind;
  if (!e)
    e = unit_info(ctx, json_integer_value(json_object_get(before, "unit_id")), &path, &kind);
  if (!e)
    e = may_edit(ctx, path);
  const char *name = before ? component_name(before, index) : NULL;
  if (!e && !name)
    e = kc_ctx_fail(ctx, KC_EFIELD, "component", "Thủ tục không có giấy tờ thứ %" PRId64,
                    index + 1);
  kc_stmt *s;
  bool row;
  json_t *forms = NULL;
  if (!e)
    e = kc_stmt_query(ctx->conn, "SELECT forms FROM procedures WHERE id = ?", &s, KC_I64(id));
  if (!e) {
    e = kc_stmt_step(s, &row);
    if (!e && row)
      forms = json_loads(kc_stmt_text(s, 0), 0, NULL);
    kc_stmt_reset(s);
  }
  if (!e) {
    if (!json_is_object(forms)) {
      json_decref(forms);
      forms = json_object();
    }
    json_object_set_new(forms, name,
                        json_pack("{ss ss ss sI}", "sha256", sha, "filename", filename,
                                  "content_type", ctype, "size", (json_int_t)len));
    char *text = json_dumps(forms, JSON_COMPACT | JSON_SORT_KEYS);
    static const char q[] = "UPDATE procedures SET forms = ?, version = version + 1, updated_at "
                            "= ? WHERE id = ?";
    e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(text), KC_I64(ctx->now), KC_I64(id));
    if (!e) {
      e = kc_stmt_run(s);
    }
    free(text);
  }
  json_decref(forms);
  if (!e)
    e = load_json(ctx, id, &after);
  e = kc_change_end(ctx, e, "set_form", "procedure", id, before, after, out);
  json_decref(before);
  return e;
}

kc_err kc_procedure_form(kc_ctx *ctx, const char *files_dir, int64_t id, int64_t index,
                         bool public_only, json_t **file, const char **path)
{
  json_t *rec = NULL;
  kc_err e = kc_procedure_get(ctx, id, public_only, &rec);
  if (e)
    return e;
  json_t *c = json_array_get(json_object_get(rec, "components"), (size_t)index);
  json_t *f = json_object_get(c, "form_file");
  const char *sha = json_string_value(json_object_get(f, "sha256"));
  if (!sha) {
    json_decref(rec);
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Giấy tờ này không có tệp mẫu");
  }
  char buf[1024];
  kc_files_path(files_dir, sha, buf, sizeof buf);
  *path = kc_arena_strdup(ctx->arena, buf);
  *file = json_incref(f);
  json_decref(rec);
  return KC_OK;
}
