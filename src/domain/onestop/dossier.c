/* dossier.c: receiving dossiers, reading them, lists and the public status (see dossier.h). */
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/lclock.h"
#include "domain/core/list.h"
#include "domain/core/text.h"
#include "domain/onestop/dossier_priv.h"
#include "domain/onestop/procedure.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *status, *label;
} status_labels[] = {
    {"received", "Mới tiếp nhận"},
    {"in_process", "Đang giải quyết"},
    {"supplement_requested", "Chờ bổ sung hồ sơ"},
    {"result_ready", "Đã có kết quả, chờ trả"},
    {"returned", "Đã trả kết quả"},
    {"refused", "Từ chối giải quyết"},
    {"withdrawn", "Công dân rút hồ sơ"},
};

const char *kc_dossier_status_label(const char *status)
{
  for (size_t i = 0; status && i < sizeof status_labels / sizeof *status_labels; i++)
    if (!strcmp(status, status_labels[i].status))
      return status_labels[i].label;
  return "";
}

const char *kc_dossier_result_label(const char *result)
{
  if (!result)
    return "";
  return !strcmp(result, "early")     ? "Trước hạn"
         : !strcmp(result, "on_time") ? "Đúng hạn"
         : !strcmp(result, "late")    ? "Quá hạn"
                                      : "";
}

/* ---- shared helpers ---- */

#define ROW_COLS                                                                                   \
  "id, procedure_id, rule_id, unit_id, holder_unit_id, COALESCE(assignee_official_id, 0), "        \
  "version, code, unit_path, holder_path, status, due_date, original_due_date, apology_from, "     \
  "received_day, applicant_name, limit_amount, limit_kind, cutoff_minute, clock_from, due_at, "    \
  "received_at, days_left, reschedules, apologies, open, due_rule_code, due_rule_version"

kc_err kc_dossier__load(kc_ctx *ctx, int64_t id, kc_dossier_row *d)
{
  static const char q[] = "SELECT " ROW_COLS " FROM dossiers WHERE id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return e;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    kc_arena *a = ctx->arena;
    d->id = kc_stmt_i64(s, 0);
    d->procedure_id = kc_stmt_i64(s, 1);
    d->rule_id = kc_stmt_i64(s, 2);
    d->unit_id = kc_stmt_i64(s, 3);
    d->holder_unit_id = kc_stmt_i64(s, 4);
    d->assignee = kc_stmt_i64(s, 5);
    d->version = kc_stmt_i64(s, 6);
    d->code = kc_arena_strdup(a, kc_stmt_text(s, 7));
    d->unit_path = kc_arena_strdup(a, kc_stmt_text(s, 8));
    d->holder_path = kc_arena_strdup(a, kc_stmt_text(s, 9));
    d->status = kc_arena_strdup(a, kc_stmt_text(s, 10));
    d->due_date = kc_arena_strdup(a, kc_stmt_text(s, 11));
    d->original_due_date = kc_arena_strdup(a, kc_stmt_text(s, 12));
    d->apology_from = kc_stmt_is_null(s, 13) ? NULL : kc_arena_strdup(a, kc_stmt_text(s, 13));
    d->received_day = kc_arena_strdup(a, kc_stmt_text(s, 14));
    d->applicant_name = kc_arena_strdup(a, kc_stmt_text(s, 15));
    d->limit.amount = (int)kc_stmt_i64(s, 16);
    d->limit.kind = (kc_limit_kind)kc_limit_kind_parse(kc_stmt_text(s, 17));
    d->limit.cutoff_minute = kc_stmt_is_null(s, 18) ? -1 : (int)kc_stmt_i64(s, 18);
    d->clock_from = kc_stmt_i64(s, 19);
    d->due_at = kc_stmt_i64(s, 20);
    d->received_at = kc_stmt_i64(s, 21);
    d->days_left = kc_stmt_is_null(s, 22) ? -1 : (int)kc_stmt_i64(s, 22);
    d->reschedules = (int)kc_stmt_i64(s, 23);
    d->apologies = (int)kc_stmt_i64(s, 24);
    d->open = kc_stmt_i64(s, 25) != 0;
    d->due_rule.code = kc_stmt_is_null(s, 26) ? NULL : kc_arena_strdup(a, kc_stmt_text(s, 26));
    d->due_rule.version = (int)kc_stmt_i64(s, 27);
  }
  kc_stmt_reset(s);
  return e ? e : row ? KC_OK : KC_ENOTFOUND;
}

kc_err kc_dossier__visible(kc_ctx *ctx, const kc_dossier_row *d, bool *yes)
{
  const kc_actor *a = ctx->actor;
  *yes = true;
  if (!a || kc_role_citywide(a->role))
    return KC_OK;
  if (a->role == KC_ROLE_PUBLIC) {
    *yes = false;
    return KC_OK;
  }
  if (kc_scope_covers(a, d->unit_path) || kc_scope_covers(a, d->holder_path))
    return KC_OK;
  /* a unit that handled a step keeps seeing the dossier it worked on */
  static const char q[] = "SELECT u.path FROM dossier_steps st JOIN units u ON u.id = st.unit_id "
                          "WHERE st.dossier_id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(d->id));
  if (e)
    return e;
  *yes = false;
  while (!*yes && !(e = kc_stmt_step(s, &row)) && row)
    *yes = kc_scope_covers(a, kc_stmt_text(s, 0));
  kc_stmt_reset(s);
  return e;
}

kc_err kc_dossier__count(kc_ctx *ctx, int64_t unit_id, int64_t procedure_id, const char *day,
                         const kc_dossier_delta *d)
{
#define DELTA_COLS                                                                                 \
  "received, early, on_time, late, work_days, returned, refused, withdrawn, apologies, "           \
  "late_unapologised"
#define DELTA_SET(t)                                                                               \
  "received = " t ".received + excluded.received, early = " t ".early + excluded.early, "          \
  "on_time = " t ".on_time + excluded.on_time, late = " t ".late + excluded.late, work_days = " t  \
  ".work_days + excluded.work_days, returned = " t ".returned + excluded.returned, refused = " t   \
  ".refused + excluded.refused, withdrawn = " t ".withdrawn + excluded.withdrawn, apologies = " t  \
  ".apologies + excluded.apologies, late_unapologised = " t                                        \
  ".late_unapologised + excluded.late_unapologised"
  static const char qu[] = "INSERT INTO dossier_unit_days (unit_id, day, " DELTA_COLS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id, "
                           "day) DO UPDATE SET " DELTA_SET("dossier_unit_days");
  static const char qp[] = "INSERT INTO dossier_procedure_days (procedure_id, day, " DELTA_COLS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                           "(procedure_id, day) DO UPDATE SET " DELTA_SET("dossier_procedure_days");
  const int v[] = {d->received, d->early,   d->on_time,   d->late,      d->work_days,
                   d->returned, d->refused, d->withdrawn, d->apologies, d->late_unapologised};
  kc_err e = KC_OK;
  for (int pass = 0; pass < 2 && !e; pass++) {
    kc_stmt *s;
    e = kc_stmt_prepare(ctx->conn, pass ? qp : qu, &s);
    if (e)
      break;
    kc_stmt_bind_i64(s, 1, pass ? procedure_id : unit_id);
    kc_stmt_bind_text(s, 2, day, -1);
    for (int i = 0; i < 10; i++)
      kc_stmt_bind_i64(s, 3 + i, v[i]);
    e = kc_stmt_run(s);
  }
  return e;
}

kc_err kc_dossier__event(kc_ctx *ctx, int64_t dossier_id, const char *kind, int64_t unit_id,
                         const char *note)
{
  static const char q[] = "INSERT INTO dossier_events (dossier_id, at, kind, account_id, unit_id, "
                          "note) VALUES (?, ?, ?, ?, ?, ?)";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(dossier_id), KC_I64(ctx->now), KC_TXT(kind),
                           KC_OPT_I64(kc_dossier__account(ctx), 0), KC_OPT_I64(unit_id, 0),
                           KC_OPT_TXT(note && *note ? note : NULL));
  if (e)
    return e;
  return kc_stmt_run(s);
}

const char *kc_dossier__apology_from(kc_ctx *ctx, const kc_cal_calendar *cal,
                                     const kc_onestop_rule *rule, kc_cal_day due, int reschedules)
{
  if (rule->max_reschedules > 0 && reschedules >= rule->max_reschedules)
    return NULL;
  /* owed `lead` working days before the due day; a regime without a lead time owes it from
   * the first day the dossier is late */
  kc_cal_day d;
  int n = rule->apology_lead_days > 0 ? -rule->apology_lead_days : 1;
  if (kc_cal_add_workdays(cal, due, n, &d))
    return NULL;
  char buf[16];
  return kc_arena_strdup(ctx->arena, kc_cal_format_date(d, buf));
}

/* ---- receiving ---- */

typedef struct applicant {
  const char *name, *id_number, *phone, *email, *address;
} applicant;

static bool chars_in(const char *s, const char *set)
{
  for (; s && *s; s++)
    if (!strchr(set, *s))
      return false;
  return true;
}

static kc_err check_applicant(kc_ctx *ctx, const kc_dossier_in *in, applicant *ap)
{
  if (!in->has_applicant)
    return kc_ctx_fail(ctx, KC_EFIELD, "applicant", "Thiếu thông tin người nộp hồ sơ");
  ap->name = in->applicant.name;
  ap->id_number = in->applicant.id_number;
  ap->phone = in->applicant.phone;
  ap->email = in->applicant.email;
  ap->address = in->applicant.address;
  kc_err e = kc_text_field(ctx, "applicant.name", "Họ tên người nộp", &ap->name, 200, true);
  if (!e)
    e = kc_text_field(ctx, "applicant.id_number", "Số giấy tờ tùy thân", &ap->id_number, 20, false);
  if (!e)
    e = kc_text_field(ctx, "applicant.phone", "Số điện thoại", &ap->phone, 20, false);
  if (!e)
    e = kc_text_field(ctx, "applicant.email", "Thư điện tử", &ap->email, 200, false);
  if (!e)
    e = kc_text_field(ctx, "applicant.address", "Địa chỉ", &ap->address, 500, false);
  if (e)
    return e;
  if (ap->id_number && !chars_in(ap->id_number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return kc_ctx_fail(ctx, KC_EFIELD, "applicant.id_number",
                       "Số giấy tờ tùy thân chỉ gồm chữ số và chữ in hoa (CCCD, CMND, hộ chiếu)");
  if (ap->phone && !chars_in(ap->phone, "0123456789+ .-"))
    return kc_ctx_fail(ctx, KC_EFIELD, "applicant.phone", "Số điện thoại không hợp lệ");
  if (ap->email && (!strchr(ap->email, '@') || strchr(ap->email, ' ')))
    return kc_ctx_fail(ctx, KC_EFIELD, "applicant.email", "Địa chỉ thư điện tử không hợp lệ");
  return KC_OK;
}

/* The checklist as received: the given list, or the procedure's with every paper received. */
static kc_err check_components(kc_ctx *ctx, const kc_dossier_in *in, const char *proc_components,
                               char **out)
{
  *out = NULL;
  if (!in->components) {
    json_t *p = json_loads(proc_components, 0, NULL);
    size_t i;
    json_t *c;
    json_array_foreach(p, i, c) json_object_set_new(c, "received", json_true());
    *out = json_dumps(p ? p : json_array(), JSON_COMPACT);
    json_decref(p);
    return KC_OK;
  }
  if (in->ncomponents > KC_DOSSIER_MAX_ITEMS)
    return kc_ctx_fail(ctx, KC_EFIELD, "components",
                       "Danh mục giấy tờ phải là danh sách (tối đa %d mục)", KC_DOSSIER_MAX_ITEMS);
  json_t *norm = json_array();
  kc_err e = KC_OK;
  for (size_t i = 0; i < in->ncomponents; i++) {
    const kc_dossier_component_in *c = &in->components[i];
    const char *field = kc_arena_printf(ctx->arena, "components[%zu]", i);
    const char *name = c->name;
    e = kc_text_field(ctx, field, "Tên giấy tờ", &name, 1000, true);
    if (e)
      break;
    if ((c->has_originals && (c->originals < 0 || c->originals > 100)) || c->copies < 0 ||
        c->copies > 100 || c->received < -1 || c->received > 1) {
      e = kc_ctx_fail(ctx, KC_EFIELD, field, "Giấy tờ thứ %zu không hợp lệ", i + 1);
      break;
    }
    json_array_append_new(norm,
                          json_pack("{ss sI sI sb}", "name", name, "originals",
                                    (json_int_t)(c->has_originals ? c->originals : 1), "copies",
                                    (json_int_t)c->copies, "received", c->received != 0));
  }
  if (!e)
    *out = json_dumps(norm, JSON_COMPACT);
  json_decref(norm);
  return e;
}

/* The receiving unit: as given; else the procedure's own unit when the actor may act for it;
 * else, for district and commune procedures, the actor's district or commune. */
static kc_err pick_unit(kc_ctx *ctx, int64_t id, const kc_procedure_row *p, int64_t *unit_id,
                        const char **path, const char **code)
{
  const kc_actor *a = ctx->actor;
  if (!id) {
    if (!a || kc_scope_covers(a, p->unit_path)) {
      id = p->unit_id;
    } else if (strcmp(p->level, "city")) {
      /* walk the actor's path up to the unit of the procedure's level */
      static const char q[] = "SELECT id FROM units WHERE ? LIKE path || '%' AND kind = ? "
                              "ORDER BY depth DESC LIMIT 1";
      kc_stmt *s;
      bool row = false;
      kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(a->unit_path), KC_TXT(p->level));
      if (e)
        return e;
      e = kc_stmt_step(s, &row);
      if (!e && row)
        id = kc_stmt_i64(s, 0);
      kc_stmt_reset(s);
      if (e)
        return e;
    }
    if (!id)
      return kc_ctx_fail(ctx, KC_EFORBIDDEN, "unit_id",
                         "Thủ tục này do %s thực hiện; bạn không tiếp nhận hồ sơ cho đơn vị đó",
                         !strcmp(p->level, "city") ? "cơ quan cấp thành phố" : "đơn vị khác");
  }
  static const char qu[] = "SELECT path, code, kind FROM units WHERE id = ?";
  kc_stmt *s;
  bool row = false;
  kc_err e = kc_stmt_query(ctx->conn, qu, &s, KC_I64(id));
  if (e)
    return e;
  const char *kind = NULL;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    *path = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 0));
    *code = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 1));
    kind = kc_arena_strdup(ctx->arena, kc_stmt_text(s, 2));
  }
  kc_stmt_reset(s);
  if (e)
    return e;
  if (!row)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị tiếp nhận không tồn tại");
  if (a && !kc_role_citywide(a->role) && !kc_scope_covers(a, *path))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, "unit_id",
                       "Bạn chỉ tiếp nhận hồ sơ cho đơn vị mình hoặc cấp dưới");
  /* a district or commune procedure is received by its own unit or by a unit of that level */
  if (id != p->unit_id && strcmp(p->level, "city") && strcmp(kind, p->level))
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Thủ tục cấp %s phải do UBND cấp %s tiếp nhận",
                       !strcmp(p->level, "district") ? "huyện" : "xã",
                       !strcmp(p->level, "district") ? "huyện" : "xã");
  if (id != p->unit_id && !strcmp(p->level, "city"))
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id",
                       "Thủ tục cấp thành phố do đơn vị thực hiện "
                       "của thủ tục tiếp nhận");
  *unit_id = id;
  return KC_OK;
}

static kc_err next_code(kc_ctx *ctx, int64_t unit_id, const char *unit_code, const char *day,
                        const char **code)
{
  static const char q[] = "INSERT INTO dossier_seq (unit_id, day, last) VALUES (?, ?, 1) ON "
                          "CONFLICT (unit_id, day) DO UPDATE SET last = dossier_seq.last + 1 "
                          "RETURNING last";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(unit_id), KC_TXT(day));
  if (e)
    return e;
  int64_t n = 0;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    n = kc_stmt_i64(s, 0);
  kc_stmt_reset(s);
  /* "HN-D01-170301-0007": unit, yymmdd, the day's sequence (more digits past 9999) */
  *code = kc_arena_printf(ctx->arena, "%s-%.2s%.2s%.2s-%04" PRId64, unit_code, day + 2, day + 5,
                          day + 8, n);
  return e;
}

/* The first step: the procedure's first step, at its unit or the receiving one. */
static kc_err first_step(kc_ctx *ctx, const kc_cal_calendar *cal, int64_t dossier_id,
                         const kc_procedure_row *p, int64_t unit_id, int64_t received_at,
                         int64_t due_at)
{
  json_t *st = json_array_get(p->steps, 0);
  const char *name = st ? json_string_value(json_object_get(st, "name")) : "Tiếp nhận hồ sơ";
  int half = st ? (int)json_integer_value(json_object_get(st, "half_days")) : 0;
  int64_t step_due = due_at;
  kc_cal_hours h = kc_cal_hours_default();
  if (half > 0 && kc_cal_add_half_days(cal, &h, received_at, half, &step_due))
    step_due = due_at;
  static const char q[] =
      "INSERT INTO dossier_steps (dossier_id, seq, name, unit_id, given_by, received_by, "
      "started_at, due_at) VALUES (?, 1, ?, ?, NULL, ?, ?, ?)";
  kc_stmt *s;
  kc_err e =
      kc_stmt_query(ctx->conn, q, &s, KC_I64(dossier_id), KC_TXT(name ? name : "Tiếp nhận hồ sơ"),
                    KC_I64(unit_id), KC_OPT_I64(kc_dossier__account(ctx), 0), KC_I64(received_at),
                    KC_I64(step_due));
  if (e)
    return e;
  return kc_stmt_run(s);
}

static kc_err insert_dossier(kc_ctx *ctx, const kc_dossier_row *d, const applicant *ap,
                             const char *channel, const char *components, int64_t *id)
{
  static const char q[] =
      "INSERT INTO dossiers (code, procedure_id, rule_id, unit_id, unit_path, holder_unit_id, "
      "holder_path, channel, applicant_name, applicant_fold, applicant_id_number, "
      "applicant_phone, applicant_email, applicant_address, components, limit_amount, "
      "limit_kind, cutoff_minute, received_at, received_day, received_by, clock_from, "
      "original_due_date, due_date, due_at, apology_from, status, open, created_at, updated_at, "
      "due_rule_code, due_rule_version) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "'received', 1, ?, ?, ?, ?) RETURNING id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  int i = 1;
  kc_stmt_bind_text(s, i++, d->code, -1);
  kc_stmt_bind_i64(s, i++, d->procedure_id);
  kc_stmt_bind_i64(s, i++, d->rule_id);
  kc_stmt_bind_i64(s, i++, d->unit_id);
  kc_stmt_bind_text(s, i++, d->unit_path, -1);
  kc_stmt_bind_i64(s, i++, d->unit_id);
  kc_stmt_bind_text(s, i++, d->unit_path, -1);
  kc_stmt_bind_text(s, i++, channel, -1);
  kc_stmt_bind_text(s, i++, ap->name, -1);
  kc_stmt_bind_text(s, i++, kc_text_fold(ctx->arena, ap->name), -1);
  kc_stmt_bind_opt_text(s, i++, ap->id_number);
  kc_stmt_bind_opt_text(s, i++, ap->phone);
  kc_stmt_bind_opt_text(s, i++, ap->email);
  kc_stmt_bind_opt_text(s, i++, ap->address);
  kc_stmt_bind_text(s, i++, components, -1);
  kc_stmt_bind_i64(s, i++, d->limit.amount);
  kc_stmt_bind_text(s, i++, kc_limit_kind_name(d->limit.kind), -1);
  kc_stmt_bind_opt_i64(s, i++, d->limit.cutoff_minute, -1);
  kc_stmt_bind_i64(s, i++, d->received_at);
  kc_stmt_bind_text(s, i++, d->received_day, -1);
  kc_stmt_bind_opt_i64(s, i++, kc_dossier__account(ctx), 0);
  kc_stmt_bind_i64(s, i++, d->clock_from);
  kc_stmt_bind_text(s, i++, d->due_date, -1);
  kc_stmt_bind_text(s, i++, d->due_date, -1);
  kc_stmt_bind_i64(s, i++, d->due_at);
  kc_stmt_bind_opt_text(s, i++, d->apology_from);
  kc_stmt_bind_i64(s, i++, ctx->now);
  kc_stmt_bind_i64(s, i++, ctx->now);
  kc_stmt_bind_opt_text(s, i++, d->due_rule.code);
  if (d->due_rule.code)
    kc_stmt_bind_i64(s, i++, d->due_rule.version);
  else
    kc_stmt_bind_null(s, i++);
  assert(i - 1 == kc_stmt_params(s));
  e = kc_stmt_step(s, &row);
  *id = !e && row ? kc_stmt_i64(s, 0) : 0;
  kc_stmt_reset(s);
  return e;
}

static const char *const channels[] = {"in_person", "post", "online"};

kc_err kc_dossier_receive(kc_ctx *ctx, kc_workcal_cache *cals, const kc_dossier_in *in,
                          json_t **out)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_DOSSIER_WORK))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Chỉ cán bộ một cửa, cán bộ, trưởng đơn vị hoặc quản trị viên được tiếp "
                       "nhận hồ sơ");
  applicant ap = {0};
  kc_err e = check_applicant(ctx, in, &ap);
  if (e)
    return e;
  const char *channel = in->channel && *in->channel ? in->channel : "in_person";
  bool known = false;
  for (size_t i = 0; i < 3; i++)
    known |= !strcmp(channel, channels[i]);
  if (!known)
    return kc_ctx_fail(ctx, KC_EFIELD, "channel",
                       "Hình thức nộp phải là in_person (trực tiếp), post (bưu chính) hoặc "
                       "online (trực tuyến)");
  const char *note = in->note;
  e = kc_text_field(ctx, "note", "Ghi chú", &note, 2000, false);
  if (e)
    return e;
  kc_dossier_row d = {0};
  d.received_at = ctx->now;
  if (in->received_at && *in->received_at) {
    if (kc_time_parse_iso(in->received_at, &d.received_at))
      return kc_ctx_fail(ctx, KC_EFIELD, "received_at",
                         "Thời điểm tiếp nhận không hợp lệ (ISO 8601, ví dụ 2017-03-01T09:15)");
    if (d.received_at > ctx->now + 300)
      return kc_ctx_fail(ctx, KC_EFIELD, "received_at", "Thời điểm tiếp nhận ở tương lai");
  }
  kc_procedure_row p = {0};
  e = kc_procedure_load(ctx, in->procedure_id, &p);
  if (e)
    return e;
  char *components = NULL;
  kc_workcal *w = NULL;
  const char *unit_code = NULL;
  if (!p.published)
    e = kc_ctx_fail(ctx, KC_EFIELD, "procedure_id", "Thủ tục %s chưa được công bố", p.code);
  if (!e)
    e = pick_unit(ctx, in->unit_id, &p, &d.unit_id, &d.unit_path, &unit_code);
  if (!e)
    e = check_components(ctx, in, p.components, &components);
  char day[16];
  kc_time_format_date(d.received_at, day, sizeof day);
  d.received_day = day;
  kc_onestop_rule rule;
  if (!e)
    e = kc_onestop_rule_at(ctx, day, &rule);
  if (!e)
    e = kc_workcal_acquire(ctx, cals, &w);
  const kc_cal_calendar *cal = w ? kc_workcal_get(w) : NULL;
  kc_cal_day due = 0;
  d.procedure_id = p.id;
  d.rule_id = !e ? rule.id : 0;
  d.limit = p.limit;
  d.clock_from = d.received_at;
  if (!e && kc_limit_due(cal, &p.limit, d.received_at, -1, &due, &d.due_at, &d.due_rule))
    e = kc_ctx_fail(ctx, KC_EFIELD, "received_at",
                    "Không tính được ngày hẹn trả: ngày nằm ngoài lịch làm việc");
  char due_s[16];
  if (!e) {
    d.due_date = kc_cal_format_date(due, due_s);
    d.apology_from = kc_dossier__apology_from(ctx, cal, &rule, due, 0);
  }
  int64_t id = 0;
  json_t *j = NULL;
  if (!e)
    e = kc_tx_begin(ctx);
  if (!e) {
    kc_dossier_delta delta = {.received = 1};
    if (!(e = next_code(ctx, d.unit_id, unit_code, day, &d.code)) &&
        !(e = insert_dossier(ctx, &d, &ap, channel, components, &id)) &&
        !(e = first_step(ctx, cal, id, &p, d.unit_id, d.received_at, d.due_at)) &&
        !(e = kc_dossier__event(ctx, id, "received", d.unit_id, note)) &&
        !(e = kc_dossier__count(ctx, d.unit_id, p.id, day, &delta)))
      e = kc_dossier_get(ctx, id, &j);
    if (!e) {
      json_t *rec = json_pack("{ss sI sI ss ss ss}", "code", d.code, "procedure_id",
                              (json_int_t)p.id, "unit_id", (json_int_t)d.unit_id, "rule", rule.code,
                              "due_date", d.due_date, "channel", channel);
      e = kc_audit_write(ctx, "receive", "dossier", id, NULL, rec);
      json_decref(rec);
    }
    e = kc_tx_end(ctx, e);
    if (e) {
      json_decref(j);
      j = NULL;
    }
  }
  kc_workcal_release(cals, w);
  json_decref(p.steps);
  free(components);
  if (e)
    return kc_ctx_code(ctx, e);
  *out = j;
  return KC_OK;
}

/* ---- reading ---- */

static json_t *opt_text(kc_stmt *s, int col)
{
  return kc_stmt_is_null(s, col) ? json_null() : json_string(kc_stmt_text(s, col));
}

static json_t *opt_time(kc_stmt *s, int col)
{
  if (kc_stmt_is_null(s, col))
    return json_null();
  char b[32];
  kc_time_format_iso(kc_stmt_i64(s, col), b, sizeof b);
  return json_string(b);
}

static json_t *opt_id(kc_stmt *s, int col)
{
  return kc_stmt_is_null(s, col) ? json_null() : json_integer(kc_stmt_i64(s, col));
}

/* A person's name from an account: the official's name, else the username. */
#define ACCOUNT_NAME(a)                                                                            \
  "COALESCE((SELECT o.full_name FROM officials o WHERE o.id = " a ".official_id), " a ".username)"

static bool owed(const char *apology_from, bool open, const char *status, const char *today)
{
  return open && apology_from && strcmp(status, "supplement_requested") &&
         strcmp(apology_from, today) <= 0;
}

static kc_err attach_list(kc_ctx *ctx, const char *sql, int64_t id, const char *key, json_t *o,
                          json_t *(*row)(kc_stmt *))
{
  kc_stmt *s;
  bool r;
  kc_err e = kc_stmt_query(ctx->conn, sql, &s, KC_I64(id));
  if (e)
    return e;
  json_t *arr = json_array();
  for (e = kc_stmt_step(s, &r); !e && r; e = kc_stmt_step(s, &r))
    json_array_append_new(arr, row(s));
  kc_stmt_reset(s);
  json_object_set_new(o, key, arr);
  return e;
}

static json_t *step_json(kc_stmt *s)
{
  return json_pack(
      "{sI ss sI ss so so so so so so so so so so}", "seq", (json_int_t)kc_stmt_i64(s, 0), "name",
      kc_stmt_text(s, 1), "unit_id", (json_int_t)kc_stmt_i64(s, 2), "unit_name", kc_stmt_text(s, 3),
      "official_id", opt_id(s, 4), "official_name", opt_text(s, 5), "given_by_name", opt_text(s, 6),
      "received_by_name", opt_text(s, 7), "started_at", opt_time(s, 8), "due_at", opt_time(s, 9),
      "ended_at", opt_time(s, 10), "result", opt_text(s, 11), "result_label",
      json_string(kc_dossier_result_label(kc_stmt_is_null(s, 11) ? NULL : kc_stmt_text(s, 11))),
      "note", opt_text(s, 12));
}

static json_t *supplement_json(kc_stmt *s)
{
  json_t *items = json_loads(kc_stmt_text(s, 3), 0, NULL);
  return json_pack("{sI so ss so so so}", "seq", (json_int_t)kc_stmt_i64(s, 0), "requested_at",
                   opt_time(s, 1), "reason", kc_stmt_text(s, 2), "items",
                   items ? items : json_array(), "received_at", opt_time(s, 4), "requested_by_name",
                   opt_text(s, 5));
}

static json_t *apology_json(kc_stmt *s)
{
  return json_pack("{sI so ss ss so so}", "seq", (json_int_t)kc_stmt_i64(s, 0), "issued_at",
                   opt_time(s, 1), "reason", kc_stmt_text(s, 2), "old_due_date", kc_stmt_text(s, 3),
                   "new_due_date", opt_text(s, 4), "issued_by_name", opt_text(s, 5));
}

static json_t *event_json(kc_stmt *s)
{
  return json_pack("{so ss so so so}", "at", opt_time(s, 0), "kind", kc_stmt_text(s, 1), "by_name",
                   opt_text(s, 2), "unit_name", opt_text(s, 3), "note", opt_text(s, 4));
}

#define FULL_COLS                                                                                  \
  "d.id, d.code, d.procedure_id, p.code, p.name, p.field, p.level, d.limit_amount, "               \
  "d.limit_kind, d.rule_id, r.code, r.name, r.basis, r.forms, d.unit_id, u.code, u.name, "         \
  "pu.name, d.holder_unit_id, hu.name, d.assignee_official_id, ao.full_name, d.channel, "          \
  "d.applicant_name, d.applicant_id_number, d.applicant_phone, d.applicant_email, "                \
  "d.applicant_address, d.components, d.received_at, "                                             \
  "(SELECT " ACCOUNT_NAME("ra") " FROM accounts ra WHERE ra.id = d.received_by), "                 \
                                "d.original_due_date, d.due_date, d.due_at, d.apology_from, "      \
                                "d.status, d.open, d.reschedules, "                                \
                                "d.apologies, d.result, d.resolved_at, d.returned_at, "            \
                                "d.closed_at, d.close_reason, d.version, "                         \
                                "d.created_at, d.updated_at, d.cutoff_minute, r.max_reschedules, " \
                                "d.work_days, d.received_day"

/* The rule that gave the due date, with its legal source: {"code", "version", "source"}, or
 * null for a dossier received before the record was kept. */
static json_t *due_rule_json(const kc_limit_source *r)
{
  if (!r->code)
    return json_null();
  const kc_lc_rules *rs = kc_lc_rules_global();
  const kc_lc_rule *rule = rs ? kc_lc_rules_version(rs, r->code, r->version) : NULL;
  return json_pack("{ss si ss?}", "code", r->code, "version", r->version, "source",
                   rule ? rule->source : "Quy tắc có sẵn của phần mềm");
}

kc_err kc_dossier_get(kc_ctx *ctx, int64_t id, json_t **out)
{
  kc_dossier_row row;
  kc_err e = kc_dossier__load(ctx, id, &row);
  bool vis = false;
  if (!e && (e = kc_dossier__visible(ctx, &row, &vis)))
    return kc_ctx_code(ctx, e);
  if (e == KC_ENOTFOUND || (!e && !vis))
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy hồ sơ");
  if (e)
    return kc_ctx_code(ctx, e);
  static const char q[] =
      "SELECT " FULL_COLS " FROM dossiers d JOIN procedures p ON p.id = d.procedure_id "
      "JOIN onestop_rules r ON r.id = d.rule_id JOIN units u ON u.id = d.unit_id "
      "LEFT JOIN units pu ON pu.id = u.parent_id JOIN units hu ON hu.id = d.holder_unit_id "
      "LEFT JOIN officials ao ON ao.id = d.assignee_official_id WHERE d.id = ?";
  kc_stmt *s;
  bool r;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(id));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *o = NULL;
  e = kc_stmt_step(s, &r);
  if (!e && r) {
    char today[16];
    kc_time_format_date(ctx->now, today, sizeof today);
    const char *status = kc_stmt_text(s, 35);
    bool open = kc_stmt_i64(s, 36) != 0;
    const char *due = kc_stmt_text(s, 32);
    const char *af = kc_stmt_is_null(s, 34) ? NULL : kc_stmt_text(s, 34);
    json_t *forms = json_loads(kc_stmt_text(s, 13), 0, NULL);
    json_t *comps = json_loads(kc_stmt_text(s, 28), 0, NULL);
    const char *kind = kc_stmt_text(s, 8);
    o = json_pack(
        "{sI ss sI s{sI ss ss ss ss s{sI ss}} s{sI ss ss ss so}}", "id",
        (json_int_t)kc_stmt_i64(s, 0), "code", kc_stmt_text(s, 1), "procedure_id",
        (json_int_t)kc_stmt_i64(s, 2), "procedure", "id", (json_int_t)kc_stmt_i64(s, 2), "code",
        kc_stmt_text(s, 3), "name", kc_stmt_text(s, 4), "field", kc_stmt_text(s, 5), "level",
        kc_stmt_text(s, 6), "limit", "amount", (json_int_t)kc_stmt_i64(s, 7), "kind", kind, "rule",
        "id", (json_int_t)kc_stmt_i64(s, 9), "code", kc_stmt_text(s, 10), "name",
        kc_stmt_text(s, 11), "basis", kc_stmt_text(s, 12), "forms", forms ? forms : json_object());
    json_object_set_new(o, "unit_id", json_integer(kc_stmt_i64(s, 14)));
    json_object_set_new(o, "unit",
                        json_pack("{sI ss ss so}", "id", (json_int_t)kc_stmt_i64(s, 14), "code",
                                  kc_stmt_text(s, 15), "name", kc_stmt_text(s, 16), "parent_name",
                                  opt_text(s, 17)));
    json_object_set_new(o, "holder_unit_id", json_integer(kc_stmt_i64(s, 18)));
    json_object_set_new(o, "holder_unit_name", json_string(kc_stmt_text(s, 19)));
    json_object_set_new(o, "assignee_official_id", opt_id(s, 20));
    json_object_set_new(o, "assignee_name", opt_text(s, 21));
    json_object_set_new(o, "channel", json_string(kc_stmt_text(s, 22)));
    json_object_set_new(o, "applicant",
                        json_pack("{ss so so so so}", "name", kc_stmt_text(s, 23), "id_number",
                                  opt_text(s, 24), "phone", opt_text(s, 25), "email",
                                  opt_text(s, 26), "address", opt_text(s, 27)));
    json_object_set_new(o, "components", comps ? comps : json_array());
    json_object_set_new(o, "received_at", opt_time(s, 29));
    json_object_set_new(o, "received_day", json_string(kc_stmt_text(s, 50)));
    json_object_set_new(o, "received_by_name", opt_text(s, 30));
    json_object_set_new(o, "original_due_date", json_string(kc_stmt_text(s, 31)));
    json_object_set_new(o, "due_date", json_string(due));
    json_object_set_new(o, "due_at", opt_time(s, 33));
    json_object_set_new(o, "due_rule", due_rule_json(&row.due_rule));
    json_object_set_new(o, "cutoff_hour",
                        kc_stmt_is_null(s, 47) ? json_null()
                                               : json_integer(kc_stmt_i64(s, 47) / 60));
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "status_label", json_string(kc_dossier_status_label(status)));
    json_object_set_new(o, "open", json_boolean(open));
    json_object_set_new(o, "overdue", json_boolean(open && strcmp(due, today) < 0));
    json_object_set_new(o, "apology_owed", json_boolean(owed(af, open, status, today)));
    json_object_set_new(o, "apology_from", af ? json_string(af) : json_null());
    json_object_set_new(o, "reschedules", json_integer(kc_stmt_i64(s, 37)));
    json_object_set_new(o, "max_reschedules", json_integer(kc_stmt_i64(s, 48)));
    json_object_set_new(o, "apology_count", json_integer(kc_stmt_i64(s, 38)));
    json_object_set_new(o, "result", opt_text(s, 39));
    json_object_set_new(
        o, "result_label",
        json_string(kc_dossier_result_label(kc_stmt_is_null(s, 39) ? NULL : kc_stmt_text(s, 39))));
    json_object_set_new(o, "resolved_at", opt_time(s, 40));
    json_object_set_new(o, "work_days", opt_id(s, 49));
    json_object_set_new(o, "returned_at", opt_time(s, 41));
    json_object_set_new(o, "closed_at", opt_time(s, 42));
    json_object_set_new(o, "close_reason", opt_text(s, 43));
    json_object_set_new(o, "version", json_integer(kc_stmt_i64(s, 44)));
  }
  kc_stmt_reset(s);
  if (!e && !o)
    e = KC_ENOTFOUND;
  static const char qs[] =
      "SELECT st.seq, st.name, st.unit_id, u.name, st.official_id, o.full_name, "
      "(SELECT " ACCOUNT_NAME("g") " FROM accounts g WHERE g.id = st.given_by), "
                                   "(SELECT " ACCOUNT_NAME(
                                       "rb") " FROM accounts rb WHERE rb.id = st.received_by), "
                                             "st.started_at, st.due_at, st.ended_at, st.result, "
                                             "st.note FROM dossier_steps st "
                                             "JOIN units u ON u.id = st.unit_id LEFT JOIN "
                                             "officials o ON o.id = st.official_id "
                                             "WHERE st.dossier_id = ? ORDER BY st.seq";
  static const char qsu[] =
      "SELECT seq, requested_at, reason, items, received_at, "
      "(SELECT " ACCOUNT_NAME("a") " FROM accounts a WHERE a.id = requested_by) "
                                   "FROM dossier_supplements WHERE dossier_id = ? ORDER BY seq";
  static const char qa[] =
      "SELECT seq, issued_at, reason, old_due_date, new_due_date, "
      "(SELECT " ACCOUNT_NAME("a") " FROM accounts a WHERE a.id = issued_by) "
                                   "FROM dossier_apologies WHERE dossier_id = ? ORDER BY seq";
  static const char qe[] =
      "SELECT ev.at, ev.kind, "
      "(SELECT " ACCOUNT_NAME(
          "a") " FROM accounts a WHERE a.id = "
               "ev.account_id), u.name, ev.note FROM dossier_events ev LEFT JOIN "
               "units u ON u.id = ev.unit_id WHERE ev.dossier_id = ? ORDER BY ev.id";
  if (!e && !(e = attach_list(ctx, qs, id, "steps", o, step_json)) &&
      !(e = attach_list(ctx, qsu, id, "supplements", o, supplement_json)) &&
      !(e = attach_list(ctx, qa, id, "apologies", o, apology_json)))
    e = attach_list(ctx, qe, id, "events", o, event_json);
  if (e) {
    json_decref(o);
    return kc_ctx_code(ctx, e);
  }
  *out = o;
  return KC_OK;
}

/* ---- lists ---- */

#define LIST_COLS                                                                                  \
  "d.id, d.code, d.procedure_id, p.name, d.unit_id, u.name, d.holder_unit_id, hu.name, "           \
  "d.applicant_name, d.channel, d.received_at, d.due_date, d.status, d.open, d.apology_from, "     \
  "d.result, d.version, d.assignee_official_id, d.original_due_date"
#define LIST_FROM                                                                                  \
  " FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN units u ON u.id = "            \
  "d.unit_id JOIN units hu ON hu.id = d.holder_unit_id"

static json_t *list_json(kc_stmt *s, const char *today)
{
  const char *status = kc_stmt_text(s, 12);
  bool open = kc_stmt_i64(s, 13) != 0;
  const char *due = kc_stmt_text(s, 11);
  const char *af = kc_stmt_is_null(s, 14) ? NULL : kc_stmt_text(s, 14);
  json_t *o = json_pack(
      "{sI ss sI ss sI ss sI ss ss ss so ss ss ss sb sb sb so sI so ss}", "id",
      (json_int_t)kc_stmt_i64(s, 0), "code", kc_stmt_text(s, 1), "procedure_id",
      (json_int_t)kc_stmt_i64(s, 2), "procedure_name", kc_stmt_text(s, 3), "unit_id",
      (json_int_t)kc_stmt_i64(s, 4), "unit_name", kc_stmt_text(s, 5), "holder_unit_id",
      (json_int_t)kc_stmt_i64(s, 6), "holder_unit_name", kc_stmt_text(s, 7), "applicant_name",
      kc_stmt_text(s, 8), "channel", kc_stmt_text(s, 9), "received_at", opt_time(s, 10), "due_date",
      due, "status", status, "status_label", kc_dossier_status_label(status), "open", open,
      "overdue", open && strcmp(due, today) < 0, "apology_owed", owed(af, open, status, today),
      "result", opt_text(s, 15), "version", (json_int_t)kc_stmt_i64(s, 16), "assignee_official_id",
      opt_id(s, 17), "original_due_date", kc_stmt_text(s, 18));
  return o;
}

static const char *const list_statuses[] = {"received",     "in_process",   "supplement_requested",
                                            "result_ready", "returned",     "refused",
                                            "withdrawn",    "open",         "overdue",
                                            "due_today",    "apology_owed", "done"};

/* The statuses after the stored ones (list_statuses[7..]) are conditions of their own. */
enum {
  DF_SCOPE,
  DF_STATUS,
  DF_OPEN,
  DF_OVERDUE,
  DF_DUE_TODAY,
  DF_APOLOGY,
  DF_DONE,
  DF_UNIT,
  DF_HOLDER,
  DF_PROCEDURE,
  DF_MINE,
  DF_FROM,
  DF_TO,
  DF_Q,
  DF_N
};
static const kc_list_filter dossier_filters[DF_N] = {
    [DF_SCOPE] = KC_LF(" AND ((d.unit_path >= ? AND d.unit_path < ?) OR (d.holder_path >= ? AND "
                       "d.holder_path < ?))"),
    [DF_STATUS] = KC_LF(" AND d.status = ?"),
    [DF_OPEN] = KC_LF(" AND d.open = 1"),
    [DF_OVERDUE] = KC_LF(" AND d.open = 1 AND d.due_date < ?"),
    [DF_DUE_TODAY] = KC_LF(" AND d.open = 1 AND d.due_date = ?"),
    [DF_APOLOGY] = KC_LF(" AND d.open = 1 AND d.apology_from <= ? AND d.status <> "
                         "'supplement_requested'"),
    [DF_DONE] = KC_LF(" AND d.open = 0"),
    [DF_UNIT] = KC_LF(" AND d.unit_path >= ? AND d.unit_path < ?"),
    [DF_HOLDER] = KC_LF(" AND d.holder_path >= ? AND d.holder_path < ?"),
    [DF_PROCEDURE] = KC_LF_ID(kc_dossier_filter, procedure_id, " AND d.procedure_id = ?"),
    [DF_MINE] = KC_LF(" AND d.assignee_official_id = ?"),
    [DF_FROM] = KC_LF_TEXT(kc_dossier_filter, received_from, " AND d.received_day >= ?"),
    [DF_TO] = KC_LF_TEXT(kc_dossier_filter, received_to, " AND d.received_day <= ?"),
    [DF_Q] = KC_LF(" AND (d.code LIKE ? OR d.applicant_fold LIKE ?)"),
};
/* Newest received first; lists of open dossiers (open, overdue, apology owed) by due date. */
#define DOSSIER_LIST(ord)                                                                          \
  KC_LIST(" FROM dossiers d WHERE 1 = 1", "SELECT " LIST_COLS LIST_FROM " WHERE 1 = 1",            \
          dossier_filters, ord)
static kc_list dossiers_recent = DOSSIER_LIST(" ORDER BY d.received_at DESC, d.id DESC");
static kc_list dossiers_due = DOSSIER_LIST(" ORDER BY d.due_date, d.id");

static json_t *list_row(kc_ctx *ctx, kc_stmt *s, void *arg)
{
  (void)ctx;
  return list_json(s, arg);
}

kc_err kc_dossier_list(kc_ctx *ctx, const kc_dossier_filter *f, json_t **items, int64_t *total)
{
  const kc_actor *a = ctx->actor;
  if (!kc_actor_in(a, KC_RS_STAFF))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Tài khoản công dân tra cứu hồ sơ bằng mã hồ sơ trên trang công khai");
  int st = -1;
  for (int i = 0; f->status && i < (int)(sizeof list_statuses / sizeof *list_statuses); i++)
    if (!strcmp(f->status, list_statuses[i]))
      st = i;
  if (f->status && st < 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "status", "Trạng thái lọc không hợp lệ: %s", f->status);
  if (f->q && strlen(f->q) > 200)
    return kc_ctx_fail(ctx, KC_EFIELD, "q", "Từ khóa tìm kiếm quá dài");
  if ((f->received_from && !kc_date_valid(f->received_from)) ||
      (f->received_to && !kc_date_valid(f->received_to)))
    return kc_ctx_fail(ctx, KC_EFIELD,
                       f->received_from && !kc_date_valid(f->received_from) ? "received_from"
                                                                            : "received_to",
                       "Ngày lọc không hợp lệ (YYYY-MM-DD)");
  kc_arena *ar = ctx->arena;
  char *today = kc_arena_alloc(ar, 16);
  kc_time_format_date(ctx->now, today, 16);
  bool by_due = st == 7 || st == 8 || st == 10;
  kc_list_query q;
  kc_list_query_init(&q, by_due ? &dossiers_due : &dossiers_recent, f->limit, f->offset);
  if (a && !kc_role_citywide(a->role)) {
    const char *lo, *hi;
    kc_path_range(ar, a->unit_path, &lo, &hi);
    kc_list_where(&q, DF_SCOPE, KC_TXT(lo), KC_TXT(hi), KC_TXT(lo), KC_TXT(hi));
  }
  if (st >= 0 && st <= 6)
    kc_list_where(&q, DF_STATUS, KC_TXT(list_statuses[st]));
  else if (st == 7)
    kc_list_flag(&q, DF_OPEN);
  else if (st == 8 || st == 9 || st == 10)
    kc_list_where(&q, DF_OVERDUE + (st - 8), KC_TXT(today));
  else if (st == 11)
    kc_list_flag(&q, DF_DONE);
  for (int k = 0; k < 2; k++) {
    int64_t uid = k ? f->holder_unit_id : f->unit_id;
    if (!uid)
      continue;
    const char *path, *lo, *hi;
    kc_err e = kc_unit_path(ctx, uid, &path);
    if (e == KC_ENOTFOUND)
      return kc_ctx_fail(ctx, KC_EFIELD, k ? "holder_unit_id" : "unit_id", "Đơn vị không tồn tại");
    if (e)
      return kc_ctx_code(ctx, e);
    kc_path_range(ar, path, &lo, &hi);
    kc_list_where(&q, k ? DF_HOLDER : DF_UNIT, KC_TXT(lo), KC_TXT(hi));
  }
  kc_list_from(&q, f);
  if (f->mine)
    kc_list_where(&q, DF_MINE, KC_I64(a && a->official_id ? a->official_id : -1));
  if (f->q && *f->q)
    kc_list_where(&q, DF_Q, KC_TXT(kc_arena_printf(ar, "%s%%", f->q)),
                  KC_TXT(kc_arena_printf(ar, "%%%s%%", kc_text_fold(ar, f->q))));
  kc_err e = kc_list_json(ctx, &q, list_row, today, items, total);
  return e ? kc_ctx_code(ctx, e) : KC_OK;
}

/* ---- the public status page ---- */

/* "Nguyễn Văn An" → "Nguyễn V. A.": the family name and the initials of the rest. */
static const char *mask_name(kc_arena *ar, const char *name)
{
  size_t n = strlen(name);
  char *out = kc_arena_alloc(ar, n + 8), *w = out;
  const char *p = name;
  while (*p == ' ')
    p++;
  const char *sp = strchr(p, ' ');
  if (!sp)
    sp = p + strlen(p);
  memcpy(w, p, (size_t)(sp - p));
  w += sp - p;
  for (p = sp; *p;) {
    while (*p == ' ')
      p++;
    if (!*p)
      break;
    /* one UTF-8 character: the initial with its diacritics */
    size_t len = 1;
    while ((p[len] & 0xC0) == 0x80)
      len++;
    *w++ = ' ';
    memcpy(w, p, len);
    w += len;
    *w++ = '.';
    while (*p && *p != ' ')
      p++;
  }
  *w = 0;
  return out;
}

kc_err kc_dossier_public(kc_ctx *ctx, const char *code, json_t **out)
{
  if (!code || !*code || strlen(code) > 64)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy hồ sơ có mã này");
  static const char q[] =
      "SELECT d.id, d.code, p.code, p.name, u.name, d.applicant_name, d.received_at, "
      "d.due_date, d.status, d.result, d.resolved_at, d.returned_at, d.original_due_date, "
      "d.open, hu.name FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN units u "
      "ON u.id = d.unit_id JOIN units hu ON hu.id = d.holder_unit_id WHERE d.code = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(code));
  if (e)
    return kc_ctx_code(ctx, e);
  json_t *o = NULL;
  int64_t id = 0;
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    char today[16];
    kc_time_format_date(ctx->now, today, sizeof today);
    id = kc_stmt_i64(s, 0);
    const char *status = kc_stmt_text(s, 8);
    const char *due = kc_stmt_text(s, 7);
    bool open = kc_stmt_i64(s, 13) != 0;
    o = json_pack(
        "{ss s{ss ss} ss ss so ss ss ss ss so ss so so sb ss}", "code", kc_stmt_text(s, 1),
        "procedure", "code", kc_stmt_text(s, 2), "name", kc_stmt_text(s, 3), "unit_name",
        kc_stmt_text(s, 4), "applicant_masked", mask_name(ctx->arena, kc_stmt_text(s, 5)),
        "received_at", opt_time(s, 6), "due_date", due, "original_due_date", kc_stmt_text(s, 12),
        "status", status, "status_label", kc_dossier_status_label(status), "result", opt_text(s, 9),
        "result_label", kc_dossier_result_label(kc_stmt_is_null(s, 9) ? NULL : kc_stmt_text(s, 9)),
        "resolved_at", opt_time(s, 10), "returned_at", opt_time(s, 11), "overdue",
        open && strcmp(due, today) < 0, "holder_unit_name", kc_stmt_text(s, 14));
  }
  kc_stmt_reset(s);
  if (!e && !o)
    return kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy hồ sơ có mã %s", code);
  /* the steps: which unit had it and how each ended; no names of people, no notes */
  static const char qs[] = "SELECT st.seq, st.name, u.name, st.started_at, st.ended_at, "
                           "st.result FROM dossier_steps st JOIN units u ON u.id = st.unit_id "
                           "WHERE st.dossier_id = ? ORDER BY st.seq";
  json_t *steps = json_array();
  if (!e)
    e = kc_stmt_query(ctx->conn, qs, &s, KC_I64(id));
  if (!e) {
    for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row))
      json_array_append_new(
          steps,
          json_pack("{sI ss ss so so so ss}", "seq", (json_int_t)kc_stmt_i64(s, 0), "name",
                    kc_stmt_text(s, 1), "unit_name", kc_stmt_text(s, 2), "started_at",
                    opt_time(s, 3), "ended_at", opt_time(s, 4), "result", opt_text(s, 5),
                    "result_label",
                    kc_dossier_result_label(kc_stmt_is_null(s, 5) ? NULL : kc_stmt_text(s, 5))));
    kc_stmt_reset(s);
  }
  json_object_set_new(o, "steps", steps);
  if (e) {
    json_decref(o);
    return kc_ctx_code(ctx, e);
  }
  *out = o;
  return KC_OK;
}
