/* onestop_rule.c: the one-stop shop's dated rule versions (see onestop.h). */
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/text.h"
#include "domain/onestop/onestop.h"
#include "domain/org/audit.h"
#include <stdio.h>
#include <string.h>

#define RULE_COLS                                                                                  \
  "id, code, name, basis, effective_from, forms, apology_lead_days, max_reschedules, "             \
  "supplement_clock, notes"

static void row_rule(kc_ctx *ctx, kc_stmt *s, kc_onestop_rule *r)
{
  r->id = kc_stmt_i64(s, 0);
  r->code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
  r->name = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 2));
  r->basis = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 3));
  r->effective_from = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 4));
  r->forms = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 5));
  r->apology_lead_days = (int)kc_stmt_i64(s, 6);
  r->max_reschedules = (int)kc_stmt_i64(s, 7);
  r->supplement_resume = !strcmp(kc_stmt_text(s, 8), "resume");
}

static kc_err one(kc_ctx *ctx, const char *sql, const char *day, int64_t id, kc_onestop_rule *out)
{
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, sql, &s);
  if (e)
    return kc_ctx_code(ctx, e);
  if (day)
    kc_stmt_bind_text(s, 1, day, -1);
  else
    kc_stmt_bind_i64(s, 1, id);
  e = kc_stmt_step(s, &row);
  if (!e && row)
    row_rule(ctx, s, out);
  kc_stmt_reset(s);
  if (e)
    return kc_ctx_code(ctx, e);
  if (!row)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL,
                       day ? "Chưa có quy định về cơ chế một cửa có hiệu lực vào ngày %s "
                             "(quản trị viên cần nạp data/onestop/rules.json)"
                           : "Không tìm thấy quy định về cơ chế một cửa%s",
                       day ? day : "");
  return KC_OK;
}

kc_err kc_onestop_rule_at(kc_ctx *ctx, const char *day, kc_onestop_rule *out)
{
  static const char q[] = "SELECT " RULE_COLS " FROM onestop_rules WHERE effective_from <= ? "
                          "ORDER BY effective_from DESC LIMIT 1";
  return one(ctx, q, day, 0, out);
}

kc_err kc_onestop_rule_get(kc_ctx *ctx, int64_t id, kc_onestop_rule *out)
{
  static const char q[] = "SELECT " RULE_COLS " FROM onestop_rules WHERE id = ?";
  return one(ctx, q, NULL, id, out);
}

kc_err kc_onestop_rules_list(kc_ctx *ctx, json_t **items)
{
  if (!kc_actor_in(ctx->actor, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản công dân không xem được mục này");
  static const char q[] = "SELECT " RULE_COLS " FROM onestop_rules ORDER BY effective_from";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    kc_onestop_rule r;
    row_rule(ctx, s, &r);
    json_t *forms = json_loads(r.forms, 0, NULL);
    json_array_append_new(
        arr,
        json_pack("{sI ss ss ss ss sI sI ss so ss}", "id", (json_int_t)r.id, "code", r.code, "name",
                  r.name, "basis", r.basis, "effective_from", r.effective_from, "apology_lead_days",
                  (json_int_t)r.apology_lead_days, "max_reschedules", (json_int_t)r.max_reschedules,
                  "supplement_clock", r.supplement_resume ? "resume" : "restart", "forms",
                  forms ? forms : json_object(), "notes", kc_stmt_text(s, 9)));
  }
  kc_stmt_reset(s);
  if (e) {
    json_decref(arr);
    return kc_ctx_code(ctx, e);
  }
  *items = arr;
  return KC_OK;
}

/* Checks one version from the file; messages name the version and the member. */
static kc_err check_version(kc_ctx *ctx, size_t i, json_t *v)
{
  const char *code = json_string_value(json_object_get(v, "code"));
  const char *eff = json_string_value(json_object_get(v, "effective_from"));
  const char *clock = json_string_value(json_object_get(v, "supplement_clock"));
  json_t *lead = json_object_get(v, "apology_lead_days");
  json_t *maxr = json_object_get(v, "max_reschedules");
  const char *bad = NULL;
  if (!code || !*code)
    bad = "code";
  else if (!json_string_value(json_object_get(v, "name")))
    bad = "name";
  else if (!eff || !kc_date_valid(eff))
    bad = "effective_from";
  else if (!json_string_value(json_object_get(v, "basis")))
    bad = "basis";
  else if (!json_is_integer(lead) || json_integer_value(lead) < 0 || json_integer_value(lead) > 30)
    bad = "apology_lead_days";
  else if (!json_is_null(maxr) && maxr && (!json_is_integer(maxr) || json_integer_value(maxr) < 0))
    bad = "max_reschedules";
  else if (!clock || (strcmp(clock, "restart") && strcmp(clock, "resume")))
    bad = "supplement_clock";
  else if (!json_is_object(json_object_get(v, "forms")))
    bad = "forms";
  if (bad)
    return kc_ctx_fail(ctx, KC_EFIELD, bad, "rules.json, phiên bản thứ %zu: trường %s không hợp lệ",
                       i + 1, bad);
  return KC_OK;
}

kc_err kc_onestop_rules_seed(kc_ctx *ctx, const char *dir, int *loaded)
{
  *loaded = 0;
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, "SELECT COUNT(*) FROM onestop_rules", &s);
  int64_t n = 0;
  if (!e)
    e = kc_stmt_step(s, &row);
  if (!e && row)
    n = kc_stmt_i64(s, 0);
  if (!e)
    kc_stmt_reset(s);
  if (e || n)
    return e ? kc_ctx_code(ctx, e) : KC_OK;
  const char *path = kc_arena_printf(ctx->arena, "%s/rules.json", dir);
  json_error_t jerr;
  FILE *f = fopen(path, "r");
  if (!f)
    return KC_OK;
  json_t *arr = json_loadf(f, 0, &jerr);
  fclose(f);
  if (!json_is_array(arr)) {
    json_decref(arr);
    return kc_ctx_fail(ctx, KC_EFIELD, NULL, "%s: không đọc được (dòng %d: %s)", path, jerr.line,
                       jerr.text);
  }
  e = kc_tx_begin(ctx);
  if (e) {
    json_decref(arr);
    return e;
  }
  static const char qi[] =
      "INSERT INTO onestop_rules (code, name, effective_from, basis, apology_lead_days, "
      "max_reschedules, supplement_clock, forms, notes, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v)
  {
    e = check_version(ctx, i, v);
    if (!e)
      e = kc_stmt_prepare(ctx->conn, qi, &s);
    if (e)
      break;
    char *forms = json_dumps(json_object_get(v, "forms"), JSON_COMPACT | JSON_SORT_KEYS);
    const char *notes = json_string_value(json_object_get(v, "notes"));
    kc_stmt_bind_vals(s, KC_TXT(json_string_value(json_object_get(v, "code"))),
                      KC_TXT(json_string_value(json_object_get(v, "name"))),
                      KC_TXT(json_string_value(json_object_get(v, "effective_from"))),
                      KC_TXT(json_string_value(json_object_get(v, "basis"))),
                      KC_I64(json_integer_value(json_object_get(v, "apology_lead_days"))),
                      KC_I64(json_integer_value(json_object_get(v, "max_reschedules"))),
                      KC_TXT(json_string_value(json_object_get(v, "supplement_clock"))),
                      KC_TXT(forms), KC_TXT(notes ? notes : ""), KC_I64(ctx->now),
                      KC_I64(ctx->now));
    free(forms);
    e = kc_stmt_run(s);
    if (e) {
      if (e == KC_ECONFLICT)
        e = kc_ctx_fail(ctx, KC_ECONFLICT, "code",
                        "rules.json: hai phiên bản trùng mã hoặc trùng ngày hiệu lực");
      break;
    }
  }
  json_t *rec = json_pack("{ss sI}", "from", path, "versions", (json_int_t)json_array_size(arr));
  if (!e)
    e = kc_audit_write(ctx, "seed", "onestop_rules", 0, NULL, rec);
  json_decref(rec);
  int total = (int)json_array_size(arr);
  json_decref(arr);
  e = kc_tx_end(ctx, e);
  if (e)
    return e;
  *loaded = total;
  return KC_OK;
}
