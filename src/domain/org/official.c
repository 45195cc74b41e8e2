/* official.c: officials, their search terms and scope rules. Search is by word prefix over
 * the folded words of name and position, stored in official_terms so that a query is a few
 * index range scans whatever the table size. */
#include "domain/org/official.h"
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/change.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <inttypes.h>
#include <string.h>

#define MAX_QUERY_WORDS 4

#define OFF_COLS                                                                                   \
  "o.id, o.unit_id, u.name, o.full_name, o.position, o.position_since, o.email, o.phone, "         \
  "o.version, o.created_at, o.updated_at, o.unit_path"

static json_t *opt(kc_stmt *s, int col)
{
  return kc_stmt_is_null(s, col) ? json_null() : json_string(kc_stmt_text(s, col));
}

static json_t *row_json(kc_stmt *s)
{
  char c[32], u[32];
  kc_time_format_iso(kc_stmt_i64(s, 9), c, sizeof c);
  kc_time_format_iso(kc_stmt_i64(s, 10), u, sizeof u);
  return json_pack("{sI sI ss ss so so so so sI ss ss}", "id", (json_int_t)kc_stmt_i64(s, 0),
                   "unit_id", (json_int_t)kc_stmt_i64(s, 1), "unit_name", kc_stmt_text(s, 2),
                   "full_name", kc_stmt_text(s, 3), "position", opt(s, 4), "position_since",
                   opt(s, 5), "email", opt(s, 6), "phone", opt(s, 7), "version",
                   (json_int_t)kc_stmt_i64(s, 8), "created_at", c, "updated_at", u);
}

/* The list: the scope range (left out for a city-wide reader, who has no path to check,
 * so that the first page walks the name_sort index instead of sorting everything) and up
 * to MAX_QUERY_WORDS term ranges. Counts need no unit name, so they skip the join with
 * units. */
#define OFF_TERM                                                                                   \
  " AND o.id IN (SELECT official_id FROM official_terms WHERE term >= ? AND term < ?)"
enum { OF_SCOPE, OF_TERM1, OF_N = OF_TERM1 + MAX_QUERY_WORDS };
static const kc_list_filter off_filters[OF_N] = {
    [OF_SCOPE] = KC_LF(" AND o.unit_path >= ? AND o.unit_path < ?"),
    [OF_TERM1] = KC_LF(OFF_TERM),
    [OF_TERM1 + 1] = KC_LF(OFF_TERM),
    [OF_TERM1 + 2] = KC_LF(OFF_TERM),
    [OF_TERM1 + 3] = KC_LF(OFF_TERM),
};
static kc_list off_list =
    KC_LIST(" FROM officials o WHERE 1 = 1",
            "SELECT " OFF_COLS " FROM officials o JOIN units u ON u.id = o.unit_id WHERE 1 = 1",
            off_filters, " ORDER BY o.name_sort, o.id");

/* Splits a folded string into at most max words (arena copies); returns the count. The
 * longest words are kept when there are more, as they narrow the search most. */
static int split_words(kc_arena *ar, const char *folded, const char **w, int max)
{
  int n = 0;
  const char *p = folded;
  while (*p) {
    while (*p == ' ')
      p++;
    const char *b = p;
    while (*p && *p != ' ')
      p++;
    if (p == b)
      break;
    const char *word = kc_arena_strndup(ar, b, (size_t)(p - b));
    if (n < max) {
      w[n++] = word;
    } else {
      int shortest = 0;
      for (int i = 1; i < n; i++)
        if (strlen(w[i]) < strlen(w[shortest]))
          shortest = i;
      if (strlen(word) > strlen(w[shortest]))
        w[shortest] = word;
    }
  }
  return n;
}

/* The exclusive upper bound of the strings that start with prefix. */
static const char *prefix_end(kc_arena *ar, const char *prefix)
{
  char *hi = kc_arena_strdup(ar, prefix);
  size_t n = strlen(hi);
  hi[n - 1]++;
  return hi;
}

/* The range of unit paths to list: the actor's scope, narrowed to a unit's subtree. An
 * empty range (lo == hi) lists nothing. */
static kc_err list_range(kc_ctx *ctx, int64_t unit_id, const char **lo, const char **hi)
{
  const kc_actor *a = ctx->actor;
  bool all = !a || kc_role_citywide(a->role);
  const char *scope = all ? "/" : a->unit_path;
  const char *path = scope;
  if (unit_id) {
    const char *up;
    kc_err e = kc_unit_path(ctx, unit_id, &up);
    if (e == KC_ENOTFOUND)
      return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị không tồn tại");
    if (e)
      return kc_ctx_code(ctx, e);
    if (!strncmp(up, scope, strlen(scope)))
      path = up; /* inside scope: narrow to it */
    else if (strncmp(scope, up, strlen(up)))
      path = NULL; /* disjoint: nothing to show */
  }
  if (!path) { /* an empty range */
    *lo = *hi = "/";
    return KC_OK;
  }
  if (path == scope && all) { /* everything: run_list leaves the range out */
    *lo = "";
    *hi = "0";
    return KC_OK;
  }
  kc_path_range(ctx->arena, path, lo, hi);
  return KC_OK;
}

/* Runs the page and the count for one set of term ranges. */
static kc_err run_list(kc_ctx *ctx, const kc_official_filter *f, const char *lo, const char *hi,
                       const char **terms, int nt, json_t **items, int64_t *total)
{
  kc_list_query q;
  kc_list_query_init(&q, &off_list, f->limit, f->offset);
  if (*lo != 0 || strcmp(hi, "0") != 0)
    kc_list_where(&q, OF_SCOPE, KC_TXT(lo), KC_TXT(hi));
  for (int i = 0; i < nt; i++)
    kc_list_where(&q, OF_TERM1 + i, KC_TXT(terms[i]), KC_TXT(prefix_end(ctx->arena, terms[i])));
  return kc_list_json_rows(ctx, &q, row_json, items, total);
}

/* Officials' records (names, posts, contacts) are for staff: a citizen's account may not
 * read them, whatever unit it is attached to. */
static kc_err may_read(kc_ctx *ctx)
{
  if (!kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không được xem hồ sơ cán bộ");
  return KC_OK;
}

kc_err kc_official_list(kc_ctx *ctx, const kc_official_filter *f, json_t **items, int64_t *total)
{
  kc_err e0 = may_read(ctx);
  if (e0)
    return e0;
  const char *lo, *hi;
  kc_err e = list_range(ctx, f->unit_id, &lo, &hi);
  if (e)
    return e;
  /* The terms table holds every word-suffix of a name ("nguyen van an", "van an", "an"),
   * so the whole query is first tried as one phrase: a single narrow index range. Only when
   * the words do not appear in that order are they matched one by one. */
  const char *folded = f->q ? kc_text_fold(ctx->arena, f->q) : "";
  const char *words[MAX_QUERY_WORDS];
  int nw = split_words(ctx->arena, folded, words, MAX_QUERY_WORDS);
  const char *phrase[1] = {folded};
  e = run_list(ctx, f, lo, hi, phrase, nw ? 1 : 0, items, total);
  if (!e && *total == 0 && nw > 1) {
    json_decref(*items);
    e = run_list(ctx, f, lo, hi, words, nw, items, total);
  }
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

typedef struct off_row {
  json_t *json;
  const char *unit_path;
} off_row;

static kc_err load(kc_ctx *ctx, int64_t id, off_row *r)
{
  kc_stmt *s;
  kc_err e;
  bool row;
  static const char q[] =
      "SELECT " OFF_COLS " FROM officials o JOIN units u ON u.id = o.unit_id WHERE o.id = ?";
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (e)
    return e;
  if (!row)
    e = KC_ENOTFOUND;
  else {
    r->json = row_json(s);
    r->unit_path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 11));
  }
  kc_stmt_reset(s);
  return e;
}

kc_err kc_official_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  off_row r;
  kc_err e = may_read(ctx);
  if (e)
    return e;
  e = load(ctx, id, &r);
  if (!e && !kc_scope_covers(ctx->actor, r.unit_path)) {
    json_decref(r.json);
    e = KC_ENOTFOUND;
  }
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy cán bộ");
  if (e)
    return kc_ctx_code(ctx, e);
  *out = r.json;
  return KC_OK;
}

static kc_err may_write(kc_ctx *ctx)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_OFFICIAL_WRITE))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Chỉ trưởng đơn vị hoặc quản trị viên được thêm, sửa hồ sơ cán bộ");
  return KC_OK;
}

static kc_err check_fields(kc_ctx *ctx, kc_official_in *in, bool create)
{
  kc_err e =
      kc_text_field(ctx, "full_name", "Họ và tên", &in->full_name, 200, create || in->full_name);
  if (!e)
    e = kc_text_field(ctx, "position", "Chức vụ", &in->position, 200, false);
  if (!e)
    e = kc_text_field(ctx, "email", "Email", &in->email, 254, false);
  if (!e)
    e = kc_text_field(ctx, "phone", "Số điện thoại", &in->phone, 32, false);
  if (!e)
    e = kc_text_field(ctx, "position_since", "Ngày giữ chức vụ", &in->position_since, 10, false);
  if (e)
    return e;
  if (create && !in->unit_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Thiếu đơn vị công tác");
  if (in->position_since && *in->position_since && !kc_date_valid(in->position_since))
    return kc_ctx_fail(ctx, KC_EFIELD, "position_since",
                       "Ngày giữ chức vụ không hợp lệ (định dạng YYYY-MM-DD)");
  if (in->email && *in->email) {
    const char *at = strchr(in->email, '@');
    if (!at || at == in->email || !strchr(at, '.') || strchr(in->email, ' '))
      return kc_ctx_fail(ctx, KC_EFIELD, "email", "Địa chỉ email không hợp lệ");
  }
  if (in->phone)
    for (const char *c = in->phone; *c; c++)
      if (!strchr("0123456789 +.-()", *c))
        return kc_ctx_fail(ctx, KC_EFIELD, "phone",
                           "Số điện thoại chỉ gồm chữ số, dấu cách và + . - ( )");
  return KC_OK;
}

/* Resolves the unit an official is to belong to, checking it exists and is in scope. */
static kc_err target_unit(kc_ctx *ctx, int64_t unit_id, const char **path)
{
  kc_err e = kc_unit_path(ctx, unit_id, path);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị không tồn tại");
  if (e)
    return e;
  if (!kc_scope_covers(ctx->actor, *path))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, "unit_id",
                       "Bạn không có quyền quản lý cán bộ của đơn vị này");
  return KC_OK;
}

/* Stores every word-suffix of the folded name and of the folded position ("nguyen van an",
 * "van an", "an"), so that a query is a prefix range of one of them (see kc_official_list). */
static kc_err write_terms(kc_ctx *ctx, int64_t id, const char *name, const char *position)
{
  kc_stmt *s;
  kc_err e;
  static const char qd[] = "DELETE FROM official_terms WHERE official_id = ?";
  static const char qi[] = "INSERT INTO official_terms (term, official_id) VALUES (?, ?) "
                           "ON CONFLICT DO NOTHING";
  e = kc_stmt_query(ctx->conn, qd, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_run(s);
  if (e)
    return e;
  const char *texts[2] = {name, position};
  for (int t = 0; t < 2; t++) {
    if (!texts[t])
      continue;
    const char *folded = kc_text_fold(ctx->arena, texts[t]);
    for (const char *p = folded; *p;) {
      e = kc_stmt_query(ctx->conn, qi, &s, KC_TXT(p), KC_I64(id));
      if (e)
        return e;
      e = kc_stmt_run(s);
      if (e)
        return e;
      const char *sp = strchr(p, ' ');
      if (!sp)
        break;
      p = sp + 1;
    }
  }
  return KC_OK;
}

static void bind_opt(kc_stmt *s, int i, const char *v)
{
  kc_stmt_bind_opt_text(s, i, v && *v ? v : NULL);
}

kc_err kc_official_create(kc_ctx *ctx, const kc_official_in *in0, json_t **out)
{
  kc_official_in in = *in0;
  kc_err e = may_write(ctx);
  if (!e)
    e = check_fields(ctx, &in, true);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  const char *path;
  e = target_unit(ctx, in.unit_id, &path);
  if (e)
    return kc_tx_end(ctx, e);
  kc_stmt *s;
  bool row;
  static const char q[] = "INSERT INTO officials (unit_id, unit_path, full_name, name_fold, "
                          "name_sort, position, position_since, email, phone, created_at, "
                          "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
  e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_tx_end(ctx, e);
  kc_stmt_bind_i64(s, 1, in.unit_id);
  kc_stmt_bind_text(s, 2, path, -1);
  kc_stmt_bind_text(s, 3, in.full_name, -1);
  kc_stmt_bind_text(s, 4, kc_text_fold(ctx->arena, in.full_name), -1);
  kc_stmt_bind_text(s, 5, kc_text_sortkey_person(ctx->arena, in.full_name), -1);
  bind_opt(s, 6, in.position);
  bind_opt(s, 7, in.position_since);
  bind_opt(s, 8, in.email);
  bind_opt(s, 9, in.phone);
  kc_stmt_bind_i64(s, 10, ctx->now);
  kc_stmt_bind_i64(s, 11, ctx->now);
  e = kc_stmt_step(s, &row);
  int64_t id = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  if (!e)
    e = write_terms(ctx, id, in.full_name, in.position);
  off_row r = {0};
  if (!e)
    e = load(ctx, id, &r);
  return kc_change_end(ctx, e, "create", "official", id, NULL, r.json, out);
}

static const char *pick(const char *in, json_t *old, const char *key)
{
  if (in)
    return *in ? in : NULL; /* "" clears an optional field */
  return json_string_value(json_object_get(old, key));
}

kc_err kc_official_update(kc_ctx *ctx, int64_t id, const kc_official_in *in0, json_t **out)
{
  kc_official_in in = *in0;
  kc_err e = may_write(ctx);
  if (!e)
    e = check_fields(ctx, &in, false);
  if (e)
    return e;
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  off_row r = {0}, after = {0};
  e = load(ctx, id, &r);
  if (!e && !kc_scope_covers(ctx->actor, r.unit_path))
    e = KC_ENOTFOUND;
  if (e == KC_ENOTFOUND)
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy cán bộ");
  int64_t version = r.json ? json_integer_value(json_object_get(r.json, "version")) : 0;
  if (!e && version != in.version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Hồ sơ cán bộ đã được người khác sửa (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    version, in.version);
  const char *path = r.unit_path;
  int64_t unit_id = r.json ? json_integer_value(json_object_get(r.json, "unit_id")) : 0;
  if (!e && in.unit_id && in.unit_id != unit_id) {
    e = target_unit(ctx, in.unit_id, &path);
    unit_id = in.unit_id;
  }
  if (!e && !kc_change_int(r.json, "unit_id", in.unit_id, 0) &&
      !kc_change_text(r.json, "full_name", in.full_name) &&
      !kc_change_text(r.json, "position", in.position) &&
      !kc_change_text(r.json, "position_since", in.position_since) &&
      !kc_change_text(r.json, "email", in.email) && !kc_change_text(r.json, "phone", in.phone)) {
    *out = r.json; /* nothing changes: no new version, no audit record */
    return kc_tx_end(ctx, KC_OK);
  }
  const char *name = in.full_name ? in.full_name : pick(NULL, r.json, "full_name");
  const char *position = pick(in.position, r.json, "position");
  kc_stmt *s;
  static const char q[] = "UPDATE officials SET unit_id = ?, unit_path = ?, full_name = ?, "
                          "name_fold = ?, name_sort = ?, position = ?, position_since = ?, "
                          "email = ?, phone = ?, version = version + 1, updated_at = ? "
                          "WHERE id = ? AND version = ?";
  if (!e)
    e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    kc_stmt_bind_i64(s, 1, unit_id);
    kc_stmt_bind_text(s, 2, path, -1);
    kc_stmt_bind_text(s, 3, name, -1);
    kc_stmt_bind_text(s, 4, kc_text_fold(ctx->arena, name), -1);
    kc_stmt_bind_text(s, 5, kc_text_sortkey_person(ctx->arena, name), -1);
    bind_opt(s, 6, position);
    bind_opt(s, 7, pick(in.position_since, r.json, "position_since"));
    bind_opt(s, 8, pick(in.email, r.json, "email"));
    bind_opt(s, 9, pick(in.phone, r.json, "phone"));
    kc_stmt_bind_i64(s, 10, ctx->now);
    kc_stmt_bind_i64(s, 11, id);
    kc_stmt_bind_i64(s, 12, in.version);
    e = kc_stmt_run(s);
  }
  if (!e)
    e = write_terms(ctx, id, name, position);
  if (!e)
    e = load(ctx, id, &after);
  e = kc_change_end(ctx, e, "update", "official", id, r.json, after.json, out);
  json_decref(r.json);
  return e;
}
