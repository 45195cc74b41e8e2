/* case_store.c: case storage: receiving a case (its fields checked against its kind),
 * loading and scope, the record with its history, links and clocks, the list, and the
 * history and link rows the other files append. */
#include "base/clock.h"
#include "base/jsonw.h"
#include "domain/cases/case_priv.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 1000
#define NOTE_MAX 20000
#define DOCUMENT_MAX 1000
#define FIELDS_JSON_MAX (256 * 1024)

static void bind_opt_id(kc_stmt *s, int i, int64_t v)
{
  if (v > 0)
    kc_stmt_bind_i64(s, i, v);
  else
    kc_stmt_bind_null(s, i);
}

static int64_t actor_account(const kc_ctx *ctx)
{
  return ctx->actor && ctx->actor->account_id > 0 ? ctx->actor->account_id : 0;
}

/* ---- loading and scope ---- */

enum { L_KIND, L_STATE, L_TITLE, L_UNIT, L_UPATH, L_OWNER, L_OPATH, L_OFFICIAL, L_VERSION, L_BY };

kc_err kc_case__load(kc_ctx *ctx, int64_t id, kc_case_row *r)
{
  static const char q[] = "SELECT kind, state, title, unit_id, unit_path, owner_unit_id, "
                          "owner_unit_path, official_id, version, created_by FROM cases "
                          "WHERE id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && !row)
    e = KC_ENOTFOUND;
  if (!e) {
    memset(r, 0, sizeof *r);
    r->id = id;
    r->kind_code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, L_KIND));
    r->state = kc_arena_strdup(ctx->arena, kc_stmt_text(s, L_STATE));
    r->title = kc_arena_strdup(ctx->arena, kc_stmt_text(s, L_TITLE));
    r->unit_id = kc_stmt_i64(s, L_UNIT);
    r->unit_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, L_UPATH));
    r->owner_unit_id = kc_stmt_i64(s, L_OWNER);
    r->owner_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, L_OPATH));
    r->official_id = kc_stmt_is_null(s, L_OFFICIAL) ? 0 : kc_stmt_i64(s, L_OFFICIAL);
    r->version = kc_stmt_i64(s, L_VERSION);
    r->created_by = kc_stmt_is_null(s, L_BY) ? 0 : kc_stmt_i64(s, L_BY);
    r->kind = kc_case_kind_find(r->kind_code);
  }
  kc_stmt_reset(s);
  return e;
}

bool kc_case__visible(const kc_ctx *ctx, const kc_case_row *r)
{
  const kc_actor *a = ctx->actor;
  if (a && a->role == KC_ROLE_PUBLIC)
    return false;
  return kc_scope_covers(a, r->unit_path) || kc_scope_covers(a, r->owner_path);
}

/* ---- history, links, assignment ---- */

kc_err kc_case__event(kc_ctx *ctx, int64_t case_id, const char *action, const char *from,
                      const char *to, const char *note, const char *document, int64_t attachment_id,
                      json_t *data, int64_t *event_id)
{
  static const char q[] = "INSERT INTO case_events (case_id, at, action, from_state, to_state, "
                          "account_id, note, document, attachment_id, data) VALUES (?, ?, ?, ?, "
                          "?, ?, ?, ?, ?, ?) RETURNING id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  char *dj =
      data && json_object_size(data) ? json_dumps(data, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
  kc_stmt_bind_i64(s, 1, case_id);
  kc_stmt_bind_i64(s, 2, ctx->now);
  kc_stmt_bind_text(s, 3, action, -1);
  kc_stmt_bind_opt_text(s, 4, from);
  kc_stmt_bind_text(s, 5, to, -1);
  bind_opt_id(s, 6, actor_account(ctx));
  kc_stmt_bind_text(s, 7, note ? note : "", -1);
  kc_stmt_bind_opt_text(s, 8, document);
  bind_opt_id(s, 9, attachment_id);
  kc_stmt_bind_opt_text(s, 10, dj);
  e = kc_stmt_step(s, &row);
  if (!e && row && event_id)
    *event_id = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  free(dj);
  if (e == KC_ECONFLICT) /* the attachment does not exist */
    return kc_ctx_fail(ctx, KC_EFIELD, "attachment_id", "Tệp đính kèm không tồn tại");
  return e;
}

/* The record a link's target must exist in; NULL for documents (their registry is a module
 * of its own, still to come: any positive id is taken). */
static const struct {
  const char *kind, *sql;
} link_targets[] = {
    {"dossier", "SELECT 1 FROM dossiers WHERE id = ?"},
    {"task", "SELECT 1 FROM tasks WHERE id = ?"},
    {"official", "SELECT 1 FROM officials WHERE id = ?"},
    {"unit", "SELECT 1 FROM units WHERE id = ?"},
    {"case", "SELECT 1 FROM cases WHERE id = ?"},
    {"document", NULL},
};
#define N_LINK_TARGETS (sizeof link_targets / sizeof *link_targets)

kc_err kc_case__links_check(kc_ctx *ctx, const kc_case_link_in *links, size_t n, const char *member)
{
  if (n > KC_CASE_MAX_LINKS)
    return kc_ctx_fail(ctx, KC_EFIELD, member, "Tối đa %d liên kết mỗi lần", KC_CASE_MAX_LINKS);
  for (size_t i = 0; i < n; i++) {
    size_t t = 0;
    while (t < N_LINK_TARGETS && (!links[i].kind || strcmp(links[i].kind, link_targets[t].kind)))
      t++;
    if (t == N_LINK_TARGETS)
      return kc_ctx_fail(ctx, KC_EFIELD, member,
                         "Liên kết thứ %zu: loại phải là dossier, task, official, document, unit "
                         "hoặc case",
                         i + 1);
    if (links[i].id <= 0)
      return kc_ctx_fail(ctx, KC_EFIELD, member, "Liên kết thứ %zu: id phải là số nguyên dương",
                         i + 1);
    if (links[i].note && strlen(links[i].note) > DOCUMENT_MAX)
      return kc_ctx_fail(ctx, KC_EFIELD, member, "Liên kết thứ %zu: ghi chú quá dài", i + 1);
    if (!link_targets[t].sql)
      continue;
    kc_stmt *s;
    bool row;
    kc_err e = kc_stmt_query(ctx->conn, link_targets[t].sql, &s, KC_I64(links[i].id));
    if (e)
      return e;
    e = kc_stmt_step(s, &row);
    kc_stmt_reset(s);
    if (e)
      return e;
    if (!row)
      return kc_ctx_fail(ctx, KC_EFIELD, member, "Liên kết thứ %zu: không tìm thấy %s %" PRId64,
                         i + 1, links[i].kind, links[i].id);
  }
  return KC_OK;
}

kc_err kc_case__links_add(kc_ctx *ctx, int64_t case_id, const kc_case_link_in *links, size_t n,
                          const char *member)
{
  kc_err e = kc_case__links_check(ctx, links, n, member);
  static const char q[] = "INSERT INTO case_links (case_id, target_kind, target_id, note, "
                          "account_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                          "(case_id, target_kind, target_id) DO NOTHING";
  for (size_t i = 0; !e && i < n; i++) {
    kc_stmt *s;
    e = kc_stmt_prepare(ctx->conn, q, &s);
    if (e)
      break;
    kc_stmt_bind_i64(s, 1, case_id);
    kc_stmt_bind_text(s, 2, links[i].kind, -1);
    kc_stmt_bind_i64(s, 3, links[i].id);
    kc_stmt_bind_text(s, 4, links[i].note ? links[i].note : "", -1);
    bind_opt_id(s, 5, actor_account(ctx));
    kc_stmt_bind_i64(s, 6, ctx->now);
    e = kc_stmt_run(s);
  }
  return e;
}

kc_err kc_case__official_in_unit(kc_ctx *ctx, int64_t official_id, int64_t unit_id,
                                 const char *member)
{
  /* an official of the unit's subtree (its divisions), as for dossiers */
  static const char q[] = "SELECT unit_path FROM officials WHERE id = ?";
  const char *unit_path = NULL;
  kc_err e = kc_unit_path(ctx, unit_id, &unit_path);
  if (e)
    return e;
  kc_stmt *s;
  bool row;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(official_id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  bool in = !e && row && !strncmp(kc_stmt_text(s, 0), unit_path, strlen(unit_path));
  kc_stmt_reset(s);
  if (e)
    return e;
  if (!row)
    return kc_ctx_fail(ctx, KC_EFIELD, member, "Cán bộ không tồn tại");
  if (!in)
    return kc_ctx_fail(ctx, KC_EFIELD, member, "Cán bộ không thuộc đơn vị xử lý");
  return KC_OK;
}

/* ---- fields ---- */

/* Checks the given fields against the kind; *out: a new object with the normalised values
 * (texts in NFC), only declared members. */
static kc_err check_fields(kc_ctx *ctx, const kc_case_kind *k, const json_t *in, json_t **out)
{
  *out = NULL;
  if (in && !json_is_object(in))
    return kc_ctx_fail(ctx, KC_EFIELD, "fields", "fields phải là một đối tượng JSON");
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)in, key, v)
  {
    bool known = false;
    for (size_t i = 0; i < k->nfields && !known; i++)
      known = !strcmp(k->fields[i].name, key);
    if (!known)
      return kc_ctx_fail(ctx, KC_EFIELD, kc_arena_printf(ctx->arena, "fields.%s", key),
                         "Loại hồ sơ «%s» không có trường %s", k->name, key);
  }
  json_t *o = json_object();
  kc_err e = KC_OK;
  for (size_t i = 0; i < k->nfields && !e; i++) {
    const kc_case_field *f = &k->fields[i];
    const char *member = kc_arena_printf(ctx->arena, "fields.%s", f->name);
    v = in ? json_object_get(in, f->name) : NULL;
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
      if (f->required)
        e = kc_ctx_fail(ctx, KC_EFIELD, member, "Thiếu %s", f->label);
      continue;
    }
    switch (f->type) {
    case KC_CASE_STRING:
    case KC_CASE_TEXT: {
      const char *s = json_string_value(v);
      size_t max = f->max ? (size_t)f->max : f->type == KC_CASE_STRING ? 1000 : 20000;
      if (!s)
        e = kc_ctx_fail(ctx, KC_EFIELD, member, "%s phải là chuỗi", f->label);
      else
        e = kc_text_field(ctx, member, f->label, &s, max, f->required);
      if (!e && f->type == KC_CASE_STRING && strchr(s, '\n'))
        e = kc_ctx_fail(ctx, KC_EFIELD, member, "%s phải nằm trên một dòng", f->label);
      if (!e)
        json_object_set_new(o, f->name, json_string(s));
      break;
    }
    case KC_CASE_INT:
      if (!json_is_integer(v) || (f->max && json_integer_value(v) > f->max) ||
          json_integer_value(v) < 0)
        e = f->max ? kc_ctx_fail(ctx, KC_EFIELD, member, "%s phải là số nguyên từ 0 đến %" PRId64,
                                 f->label, f->max)
                   : kc_ctx_fail(ctx, KC_EFIELD, member, "%s phải là số nguyên không âm", f->label);
      else
        json_object_set(o, f->name, v);
      break;
    case KC_CASE_BOOL:
      if (!json_is_boolean(v))
        e = kc_ctx_fail(ctx, KC_EFIELD, member, "%s phải là true hoặc false", f->label);
      else
        json_object_set(o, f->name, v);
      break;
    case KC_CASE_DATE:
      if (!json_is_string(v) || !kc_date_valid(json_string_value(v)))
        e = kc_ctx_fail(ctx, KC_EFIELD, member, "%s không hợp lệ (YYYY-MM-DD)", f->label);
      else
        json_object_set(o, f->name, v);
      break;
    case KC_CASE_ENUM:
      if (!json_is_string(v) || !kc_case__in(f->values, json_string_value(v))) {
        size_t cap = 512, n = 0;
        char *list = kc_arena_alloc(ctx->arena, cap);
        list[0] = 0;
        for (size_t j = 0; f->values[j] && n + 1 < cap; j++)
          n += (size_t)snprintf(list + n, cap - n, "%s%s", j ? ", " : "", f->values[j]);
        e = kc_ctx_fail(ctx, KC_EFIELD, member, "%s phải là một trong: %s", f->label, list);
      } else {
        json_object_set(o, f->name, v);
      }
      break;
    default: assert(!"field type checked at registration");
    }
  }
  if (e) {
    json_decref(o);
    return e;
  }
  *out = o;
  return KC_OK;
}

/* ---- receiving ---- */

static kc_err unit_in_scope(kc_ctx *ctx, int64_t unit_id, const char *member, const char **path)
{
  kc_err e = kc_unit_path(ctx, unit_id, path);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_EFIELD, member, "Đơn vị không tồn tại");
  if (e)
    return kc_ctx_code(ctx, e);
  if (!kc_scope_covers(ctx->actor, *path))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, member, "Đơn vị nằm ngoài phạm vi của bạn");
  return KC_OK;
}

kc_err kc_case_create(kc_ctx *ctx, const kc_case_in *in, json_t **out)
{
  const kc_case_kind *k = kc_case_kind_find(in->kind);
  if (!in->kind || !*in->kind)
    return kc_ctx_fail(ctx, KC_EFIELD, "kind", "Thiếu loại hồ sơ (kind)");
  if (!k)
    return kc_ctx_fail(ctx, KC_EFIELD, "kind", "Loại hồ sơ không tồn tại: %s", in->kind);
  if (!kc_case__role_ok(ctx, k->create_roles))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Vai trò của bạn không được tiếp nhận %s",
                       k->name);
  const char *title = in->title, *note = in->note, *document = in->document;
  kc_err e = kc_text_field(ctx, "title", "Tiêu đề", &title, TITLE_MAX, true);
  if (!e && note)
    e = kc_text_field(ctx, "note", "Ghi chú", &note, NOTE_MAX, false);
  if (!e && document)
    e = kc_text_field(ctx, "document", "Văn bản", &document, DOCUMENT_MAX, false);
  if (e)
    return e;
  int64_t received = in->received_at ? in->received_at : ctx->now;
  if (received > ctx->now || received < 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "received_at", "Thời điểm tiếp nhận không được ở tương lai");
  json_t *fields = NULL;
  e = check_fields(ctx, k, in->fields, &fields);
  if (e)
    return e;
  char *fields_text = json_dumps(fields, JSON_SORT_KEYS | JSON_COMPACT);
  json_decref(fields);
  if (strlen(fields_text) > FIELDS_JSON_MAX) {
    free(fields_text);
    return kc_ctx_fail(ctx, KC_EFIELD, "fields", "Các trường của hồ sơ quá lớn");
  }
  kc_case_cal cal = {0};
  int64_t id = 0;
  e = kc_tx_begin(ctx);
  if (e) {
    free(fields_text);
    return e;
  }
  int64_t owner = in->owner_unit_id ? in->owner_unit_id
                  : ctx->actor      ? ctx->actor->unit_id
                                    : in->unit_id;
  int64_t unit = in->unit_id ? in->unit_id : owner;
  const char *owner_path = NULL, *unit_path = NULL;
  if (owner <= 0)
    e = kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Thiếu đơn vị xử lý");
  if (!e)
    e = unit_in_scope(ctx, owner, "owner_unit_id", &owner_path);
  if (!e)
    e = unit_in_scope(ctx, unit, "unit_id", &unit_path);
  if (!e && in->official_id)
    e = kc_case__official_in_unit(ctx, in->official_id, unit, "official_id");
  if (!e)
    e = kc_case__links_check(ctx, in->links, in->nlinks, "links");
  if (!e)
    e = kc_case__cal_acquire(ctx, &cal);
  static const char q[] =
      "INSERT INTO cases (kind, state, title, title_fold, fields, unit_id, unit_path, "
      "owner_unit_id, owner_unit_path, official_id, created_by, received_at, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    bool row;
    kc_stmt_bind_text(s, 1, k->code, -1);
    kc_stmt_bind_text(s, 2, k->initial, -1);
    kc_stmt_bind_text(s, 3, title, -1);
    kc_stmt_bind_text(s, 4, kc_text_fold(ctx->arena, title), -1);
    kc_stmt_bind_text(s, 5, fields_text, -1);
    kc_stmt_bind_i64(s, 6, unit);
    kc_stmt_bind_text(s, 7, unit_path, -1);
    kc_stmt_bind_i64(s, 8, owner);
    kc_stmt_bind_text(s, 9, owner_path, -1);
    bind_opt_id(s, 10, in->official_id);
    bind_opt_id(s, 11, actor_account(ctx));
    kc_stmt_bind_i64(s, 12, received);
    kc_stmt_bind_i64(s, 13, ctx->now);
    kc_stmt_bind_i64(s, 14, ctx->now);
    e = kc_stmt_step(s, &row);
    if (!e && row)
      id = kc_stmt_i64(s, 0);
    kc_stmt_reset(s);
  }
  free(fields_text);
  int64_t event_id = 0;
  json_t *done = json_object();
  if (!e)
    e = kc_case__event(ctx, id, "create", NULL, k->initial, note, document, 0, NULL, &event_id);
  if (!e) {
    kc_case_clock_ops ops = {.start = k->create_start, .at = received};
    e = kc_case__clocks_apply(ctx, cal.cal, k, id, &ops, event_id, done);
  }
  if (!e && json_object_size(done)) {
    static const char qd[] = "UPDATE case_events SET data = ? WHERE id = ?";
    char *dj = json_dumps(done, JSON_SORT_KEYS | JSON_COMPACT);
    e = kc_stmt_query(ctx->conn, qd, &s, KC_TXT(dj), KC_I64(event_id));
    if (!e) {
      e = kc_stmt_run(s);
    }
    free(dj);
  }
  json_decref(done);
  if (!e)
    e = kc_case__links_add(ctx, id, in->links, in->nlinks, "links");
  json_t *after = NULL;
  if (!e)
    e = kc_case__record(ctx, id, false, &after);
  if (!e)
    e = kc_audit_write(ctx, "create", "case", id, NULL, after);
  json_decref(after);
  kc_case__cal_release(&cal);
  e = kc_tx_end(ctx, e);
  if (e)
    return kc_ctx_code(ctx, e);
  return kc_case_get(ctx, id, out);
}

/* ---- the record ---- */

#define CASE_COLS                                                                                  \
  "c.id, c.kind, c.state, c.title, c.fields, c.unit_id, u.name, c.owner_unit_id, ou.name, "        \
  "c.official_id, o.full_name, c.received_at, c.closed_at, c.due_date, c.overdue_at, c.soon_at, "  \
  "c.version, c.created_at, c.updated_at"
#define CASE_JOINS                                                                                 \
  " JOIN units u ON u.id = c.unit_id JOIN units ou ON ou.id = c.owner_unit_id LEFT JOIN "          \
  "officials o ON o.id = c.official_id"
enum {
  R_ID,
  R_KIND,
  R_STATE,
  R_TITLE,
  R_FIELDS,
  R_UNIT,
  R_UNITNAME,
  R_OWNER,
  R_OWNERNAME,
  R_OFFICIAL,
  R_OFFICIALNAME,
  R_RECEIVED,
  R_CLOSED,
  R_DUE,
  R_OVERDUE_AT,
  R_SOON_AT,
  R_VERSION,
  R_CREATED,
  R_UPDATED
};

static json_t *iso(int64_t t)
{
  char b[32];
  kc_time_format_iso(t, b, sizeof b);
  return json_string(b);
}

static json_t *opt_iso(kc_stmt *s, int c)
{
  return kc_stmt_is_null(s, c) ? json_null() : iso(kc_stmt_i64(s, c));
}

static json_t *opt_int(kc_stmt *s, int c)
{
  return kc_stmt_is_null(s, c) ? json_null() : json_integer(kc_stmt_i64(s, c));
}

static json_t *opt_str(kc_stmt *s, int c)
{
  return kc_stmt_is_null(s, c) ? json_null() : json_string(kc_stmt_text(s, c));
}

/* The record of the current row of a CASE_COLS statement. */
static json_t *row_json(kc_ctx *ctx, kc_stmt *s)
{
  const char *kind = kc_stmt_text(s, R_KIND), *state = kc_stmt_text(s, R_STATE);
  const kc_case_kind *k = kc_case_kind_find(kind);
  const kc_case_state *st = k ? kc_case__state(k, state) : NULL;
  json_t *fields = json_loads(kc_stmt_text(s, R_FIELDS), 0, NULL);
  bool overdue = !kc_stmt_is_null(s, R_OVERDUE_AT) && ctx->now >= kc_stmt_i64(s, R_OVERDUE_AT);
  bool soon = !overdue && !kc_stmt_is_null(s, R_SOON_AT) && ctx->now >= kc_stmt_i64(s, R_SOON_AT);
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer(kc_stmt_i64(s, R_ID)));
  json_object_set_new(o, "kind", json_string(kind));
  json_object_set_new(o, "kind_name", json_string(k ? k->name : kind));
  json_object_set_new(o, "state", json_string(state));
  json_object_set_new(o, "state_name", json_string(st ? st->name : state));
  json_object_set_new(o, "closed", json_boolean(st && st->final));
  json_object_set_new(o, "title", json_string(kc_stmt_text(s, R_TITLE)));
  json_object_set_new(o, "fields", fields ? fields : json_object());
  json_object_set_new(o, "unit_id", json_integer(kc_stmt_i64(s, R_UNIT)));
  json_object_set_new(o, "unit_name", json_string(kc_stmt_text(s, R_UNITNAME)));
  json_object_set_new(o, "owner_unit_id", json_integer(kc_stmt_i64(s, R_OWNER)));
  json_object_set_new(o, "owner_unit_name", json_string(kc_stmt_text(s, R_OWNERNAME)));
  json_object_set_new(o, "official_id", opt_int(s, R_OFFICIAL));
  json_object_set_new(o, "official_name", opt_str(s, R_OFFICIALNAME));
  json_object_set_new(o, "received_at", iso(kc_stmt_i64(s, R_RECEIVED)));
  json_object_set_new(o, "closed_at", opt_iso(s, R_CLOSED));
  json_object_set_new(o, "due_date", opt_str(s, R_DUE));
  json_object_set_new(o, "overdue", json_boolean(overdue));
  json_object_set_new(o, "due_soon", json_boolean(soon));
  json_object_set_new(o, "version", json_integer(kc_stmt_i64(s, R_VERSION)));
  json_object_set_new(o, "created_at", iso(kc_stmt_i64(s, R_CREATED)));
  json_object_set_new(o, "updated_at", iso(kc_stmt_i64(s, R_UPDATED)));
  return o;
}

static kc_err events_json(kc_ctx *ctx, int64_t id, json_t **out)
{
  static const char q[] = "SELECT e.id, e.at, e.action, e.from_state, e.to_state, e.account_id, "
                          "a.username, e.note, e.document, e.attachment_id, e.data FROM "
                          "case_events e LEFT JOIN accounts a ON a.id = e.account_id WHERE "
                          "e.case_id = ? ORDER BY e.at, e.id";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  json_t *a = json_array();
  while (kc_case__next(s, &e)) {
    json_t *data = kc_stmt_is_null(s, 10) ? NULL : json_loads(kc_stmt_text(s, 10), 0, NULL);
    json_array_append_new(
        a, json_pack("{sI so ss so ss so so ss so so so}", "id", (json_int_t)kc_stmt_i64(s, 0),
                     "at", iso(kc_stmt_i64(s, 1)), "action", kc_stmt_text(s, 2), "from_state",
                     opt_str(s, 3), "to_state", kc_stmt_text(s, 4), "account_id", opt_int(s, 5),
                     "by", opt_str(s, 6), "note", kc_stmt_text(s, 7), "document", opt_str(s, 8),
                     "attachment_id", opt_int(s, 9), "data", data ? data : json_object()));
  }
  kc_stmt_reset(s);
  if (e) {
    json_decref(a);
    return e;
  }
  *out = a;
  return KC_OK;
}

static kc_err links_json(kc_ctx *ctx, int64_t id, json_t **out)
{
  static const char q[] = "SELECT target_kind, target_id, note, created_at FROM case_links "
                          "WHERE case_id = ? ORDER BY id";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  json_t *a = json_array();
  while (kc_case__next(s, &e))
    json_array_append_new(a, json_pack("{ss sI ss so}", "kind", kc_stmt_text(s, 0), "id",
                                       (json_int_t)kc_stmt_i64(s, 1), "note", kc_stmt_text(s, 2),
                                       "created_at", iso(kc_stmt_i64(s, 3))));
  kc_stmt_reset(s);
  if (e) {
    json_decref(a);
    return e;
  }
  *out = a;
  return KC_OK;
}

kc_err kc_case__record(kc_ctx *ctx, int64_t id, bool full, json_t **out)
{
  static const char q[] = "SELECT " CASE_COLS " FROM cases c" CASE_JOINS " WHERE c.id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  json_t *o = !e && row ? row_json(ctx, s) : NULL;
  kc_stmt_reset(s);
  if (e)
    return e;
  if (!o)
    return KC_ENOTFOUND;
  json_t *clocks = NULL, *events = NULL, *links = NULL;
  e = kc_case__clocks_json(ctx, id, &clocks);
  if (!e)
    json_object_set_new(o, "clocks", clocks);
  if (!e && full) {
    e = events_json(ctx, id, &events);
    if (!e)
      json_object_set_new(o, "events", events);
  }
  if (!e && full) {
    e = links_json(ctx, id, &links);
    if (!e)
      json_object_set_new(o, "links", links);
  }
  if (e) {
    json_decref(o);
    return e;
  }
  *out = o;
  return KC_OK;
}

kc_err kc_case_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_case_row r;
  kc_err e = kc_case__load(ctx, id, &r);
  if (e == KC_ENOTFOUND || (!e && !kc_case__visible(ctx, &r)))
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy hồ sơ vụ việc");
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *o = NULL;
  e = kc_case__record(ctx, id, true, &o);
  if (e)
    return kc_ctx_code(ctx, e);
  /* What the actor may do now: the kind's actions from this state that the role allows. */
  json_t *acts = json_array();
  for (size_t i = 0; r.kind && i < r.kind->ntransitions; i++) {
    const kc_case_transition *t = &r.kind->transitions[i];
    if (kc_case__in(t->from, r.state) && kc_case__role_ok(ctx, t->roles))
      json_array_append_new(acts,
                            json_pack("{ss ss sb sb}", "action", t->action, "name", t->name,
                                      "note_required", t->note_required, "assign", t->assign));
  }
  json_object_set_new(o, "actions", acts);
  *out = o;
  return KC_OK;
}

/* ---- the list ---- */

/* A declared list (core/list.h): one constant fragment per filter in use, each
 * combination's text built once and kept, so the statement cache finds it by address. */
enum {
  F_SCOPE,
  F_KIND,
  F_STATE,
  F_UNIT,
  F_OFFICIAL,
  F_MINE,
  F_Q,
  F_OVERDUE,
  F_NOT_OVERDUE,
  F_SOON,
  F_OPEN,
  F_NFLAGS
};
static const kc_list_filter frag[F_NFLAGS] = {
    [F_SCOPE] = KC_LF(" AND ((c.unit_path >= ? AND c.unit_path < ?) OR (c.owner_unit_path >= ? AND "
                      "c.owner_unit_path < ?))"),
    [F_KIND] = KC_LF_TEXT(kc_case_filter, kind, " AND c.kind = ?"),
    [F_STATE] = KC_LF_TEXT(kc_case_filter, state, " AND c.state = ?"),
    [F_UNIT] = KC_LF_ID(kc_case_filter, unit_id, " AND c.unit_id = ?"),
    [F_OFFICIAL] = KC_LF_ID(kc_case_filter, official_id, " AND c.official_id = ?"),
    [F_MINE] = KC_LF(" AND c.unit_path >= ? AND c.unit_path < ?"),
    [F_Q] = KC_LF(" AND c.title_fold LIKE ?"),
    [F_OVERDUE] = KC_LF(" AND c.overdue_at <= ?"),
    [F_NOT_OVERDUE] = KC_LF(" AND (c.overdue_at IS NULL OR c.overdue_at > ?)"),
    [F_SOON] = KC_LF(" AND c.soon_at <= ? AND c.overdue_at > ?"),
    [F_OPEN] = KC_LF_FLAG(kc_case_filter, open, " AND c.closed_at IS NULL"),
};
static kc_list case_list = KC_LIST(" FROM cases c WHERE 1 = 1",
                                   "SELECT " CASE_COLS " FROM cases c" CASE_JOINS " WHERE 1 = 1",
                                   frag, " ORDER BY c.received_at DESC, c.id DESC");

static json_t *list_row(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)arg;
  return row_json(ctx, s);
}

kc_err kc_case_list(kc_ctx *ctx, const kc_case_filter *f, json_t **items, int64_t *total)
{
  const kc_actor *a = ctx->actor;
  if (a && a->role == KC_ROLE_PUBLIC)
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không xem được hồ sơ vụ việc");
  bool scoped = a && !kc_role_citywide(a->role);
  const char *lo = "", *hi = "";
  if (scoped)
    kc_path_range(ctx->arena, a->unit_path, &lo, &hi);
  if (f->mine && a && !a->unit_path) { /* no unit: no case is its unit's */
    *items = json_array();
    *total = 0;
    return KC_OK;
  }
  const char *q = f->q && *f->q ? kc_text_fold(ctx->arena, f->q) : "";
  kc_list_query lq;
  kc_list_query_init(&lq, &case_list, f->limit > 0 ? f->limit : 50, f->offset);
  if (scoped)
    kc_list_where(&lq, F_SCOPE, KC_TXT(lo), KC_TXT(hi), KC_TXT(lo), KC_TXT(hi));
  kc_list_from(&lq, f);
  if (f->mine && a) {
    const char *mlo, *mhi;
    kc_path_range(ctx->arena, a->unit_path, &mlo, &mhi);
    kc_list_where(&lq, F_MINE, KC_TXT(mlo), KC_TXT(mhi));
  }
  if (*q)
    kc_list_where(&lq, F_Q, KC_TXT(kc_arena_printf(ctx->arena, "%%%s%%", q)));
  if (f->overdue == 1)
    kc_list_where(&lq, F_OVERDUE, KC_I64(ctx->now));
  if (f->overdue == 0)
    kc_list_where(&lq, F_NOT_OVERDUE, KC_I64(ctx->now));
  if (f->due_soon)
    kc_list_where(&lq, F_SOON, KC_I64(ctx->now), KC_I64(ctx->now));
  kc_err e = kc_list_json(ctx, &lq, list_row, NULL, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}
