/* dossier_flow.c: what happens to a dossier after it is received (see dossier.h): the
 * transition table, hand-offs between units, the stopped clock of a supplement request,
 * results, returns, refusals, withdrawals and apologies; the apology notices and the
 * recomputation of due days after a calendar change. */
#include "base/clock.h"
#include "domain/core/access.h"
#include "domain/core/text.h"
#include "domain/onestop/dossier_priv.h"
#include "domain/onestop/procedure.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef enum {
  A_ASSIGN,
  A_HANDOVER,
  A_SUPPLEMENT,
  A_SUPPLEMENT_RECEIVED,
  A_REFUSE,
  A_RESULT,
  A_RETURN,
  A_WITHDRAW,
  A_APOLOGY,
  A__COUNT
} action;

/* Who may act: the unit holding the dossier, the unit that received it (the desk), or
 * either. City-wide roles and the system may always act. */
enum { BY_HOLDER = 1, BY_DESK = 2 };

static const struct {
  const char *name, *label;
  const char *from[4]; /* statuses it may start from */
  int by;
} actions[A__COUNT] = {
    [A_ASSIGN] = {"assign", "phân công xử lý", {"received", "in_process"}, BY_HOLDER},
    [A_HANDOVER] = {"handover", "chuyển hồ sơ", {"received", "in_process"}, BY_HOLDER},
    [A_SUPPLEMENT] = {"supplement",
                      "yêu cầu bổ sung hồ sơ",
                      {"received", "in_process"},
                      BY_HOLDER | BY_DESK},
    [A_SUPPLEMENT_RECEIVED] = {"supplement_received",
                               "nhận hồ sơ bổ sung",
                               {"supplement_requested"},
                               BY_HOLDER | BY_DESK},
    [A_REFUSE] = {"refuse",
                  "từ chối giải quyết",
                  {"received", "in_process", "supplement_requested"},
                  BY_HOLDER | BY_DESK},
    [A_RESULT] = {"result", "ghi nhận có kết quả", {"received", "in_process"}, BY_HOLDER},
    [A_RETURN] = {"return", "trả kết quả", {"result_ready"}, BY_DESK},
    [A_WITHDRAW] = {"withdraw",
                    "ghi nhận rút hồ sơ",
                    {"received", "in_process", "supplement_requested"},
                    BY_HOLDER | BY_DESK},
    [A_APOLOGY] = {"apology",
                   "xin lỗi và hẹn lại",
                   {"received", "in_process"},
                   BY_HOLDER | BY_DESK},
};

static int action_parse(const char *s)
{
  for (int i = 0; s && i < A__COUNT; i++)
    if (!strcmp(s, actions[i].name))
      return i;
  return -1;
}

static bool from_allowed(action a, const char *status)
{
  for (int i = 0; i < 4 && actions[a].from[i]; i++)
    if (!strcmp(actions[a].from[i], status))
      return true;
  return false;
}

static kc_err may_act(kc_ctx *ctx, action a, const kc_dossier_row *d)
{
  assert((unsigned)a < A__COUNT);
  const kc_actor *ac = ctx->actor;
  /* Checked before the city-wide shortcut: a supervisor sees every dossier but moves none
   * (the check used to come after it, so supervisors could act). */
  if (!kc_actor_in(ac, KC_RS_DOSSIER_WORK))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL, "Tài khoản này không xử lý hồ sơ");
  if (!ac || kc_role_citywide(ac->role))
    return KC_OK;
  if ((actions[a].by & BY_HOLDER) && kc_scope_covers(ac, d->holder_path))
    return KC_OK;
  if ((actions[a].by & BY_DESK) && kc_scope_covers(ac, d->unit_path))
    return KC_OK;
  return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                     (actions[a].by & BY_HOLDER) && !(actions[a].by & BY_DESK)
                         ? "Chỉ đơn vị đang giữ hồ sơ được %s"
                     : (actions[a].by & BY_DESK) && !(actions[a].by & BY_HOLDER)
                         ? "Chỉ bộ phận đã tiếp nhận hồ sơ được %s"
                         : "Chỉ đơn vị đang giữ hồ sơ hoặc bộ phận tiếp nhận được %s",
                     actions[a].label);
}

/* A text member of the action: checked and normalised into *out. */
static kc_err text_in(kc_ctx *ctx, const char *given, const char *key, const char *label,
                      size_t max, bool required, const char **out)
{
  *out = given;
  return kc_text_field(ctx, key, label, out, max, required);
}

/* The step the dossier is in now. */
typedef struct open_step {
  int64_t id, seq, due_at, unit_id;
  bool found;
} open_step;

static kc_err load_open_step(kc_ctx *ctx, int64_t dossier_id, open_step *st)
{
  static const char q[] = "SELECT id, seq, COALESCE(due_at, 0), unit_id FROM dossier_steps WHERE "
                          "dossier_id = ? ORDER BY seq DESC LIMIT 1";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(dossier_id));
  if (e)
    return e;
  memset(st, 0, sizeof *st);
  e = kc_stmt_step(s, &row);
  if (!e && row) {
    st->id = kc_stmt_i64(s, 0);
    st->seq = kc_stmt_i64(s, 1);
    st->due_at = kc_stmt_i64(s, 2);
    st->unit_id = kc_stmt_i64(s, 3);
    st->found = true;
  }
  kc_stmt_reset(s);
  return e;
}

/* Early when it ends on a day before its due day, on time up to its due instant, else late. */
static const char *step_result(int64_t ended, int64_t due_at)
{
  if (!due_at)
    return NULL;
  if (kc_cal_day_of_instant(ended) < kc_cal_day_of_instant(due_at))
    return "early";
  return ended <= due_at ? "on_time" : "late";
}

static kc_err close_step(kc_ctx *ctx, const open_step *st, bool with_result, const char *note)
{
  static const char q[] = "UPDATE dossier_steps SET ended_at = ?, result = ?, note = COALESCE(?, "
                          "note) WHERE id = ? AND ended_at IS NULL";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e || !st->found)
    return e;
  kc_stmt_bind_vals(s, KC_I64(ctx->now),
                    KC_OPT_TXT(with_result ? step_result(ctx->now, st->due_at) : NULL),
                    KC_OPT_TXT(note && *note ? note : NULL), KC_I64(st->id));
  return kc_stmt_run(s);
}

static kc_err open_next_step(kc_ctx *ctx, int64_t dossier_id, int64_t seq, const char *name,
                             int64_t unit_id, int64_t official_id, int64_t due_at)
{
  static const char q[] =
      "INSERT INTO dossier_steps (dossier_id, seq, name, unit_id, official_id, given_by, "
      "started_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  kc_stmt *s;
  kc_err e =
      kc_stmt_query(ctx->conn, q, &s, KC_I64(dossier_id), KC_I64(seq), KC_TXT(name),
                    KC_I64(unit_id), KC_OPT_I64(official_id, 0),
                    KC_OPT_I64(kc_dossier__account(ctx), 0), KC_I64(ctx->now), KC_I64(due_at));
  if (e)
    return e;
  return kc_stmt_run(s);
}

/* The receiving side of a hand-off signs for it the first time it acts on the dossier. */
static kc_err sign_for_step(kc_ctx *ctx, const kc_dossier_row *d)
{
  if (!ctx->actor || !kc_scope_covers(ctx->actor, d->holder_path))
    return KC_OK;
  static const char q[] = "UPDATE dossier_steps SET received_by = ? WHERE dossier_id = ? AND "
                          "ended_at IS NULL AND received_by IS NULL";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->actor->account_id), KC_I64(d->id));
  if (e)
    return e;
  return kc_stmt_run(s);
}

/* An official of the unit's subtree. */
static kc_err check_official(kc_ctx *ctx, int64_t official_id, const char *unit_path,
                             const char *field)
{
  static const char q[] = "SELECT unit_path FROM officials WHERE id = ?";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(official_id));
  if (e)
    return e;
  bool ok = false;
  e = kc_stmt_step(s, &row);
  if (!e && row)
    ok = !strncmp(kc_stmt_text(s, 0), unit_path, strlen(unit_path));
  kc_stmt_reset(s);
  if (!e && !row)
    return kc_ctx_fail(ctx, KC_EFIELD, field, "Cán bộ không tồn tại");
  if (!e && !ok)
    return kc_ctx_fail(ctx, KC_EFIELD, field, "Cán bộ không thuộc đơn vị đang giữ hồ sơ");
  return e;
}

/* Writes the dossier's mutable columns back. Write-once columns (result, times) are set only
 * when given. */
typedef struct fin {
  const char *result, *resolved_day, *close_reason;
  int64_t resolved_at, returned_at, closed_at;
  int work_days; /* -1: unchanged */
} fin;

static kc_err save(kc_ctx *ctx, const kc_dossier_row *d, const fin *f)
{
  static const char q[] =
      "UPDATE dossiers SET status = ?, open = ?, holder_unit_id = ?, holder_path = ?, "
      "assignee_official_id = ?, clock_from = ?, days_left = ?, original_due_date = ?, "
      "due_date = ?, due_at = ?, apology_from = ?, reschedules = ?, apologies = ?, "
      "result = COALESCE(?, result), resolved_at = COALESCE(?, resolved_at), resolved_day = "
      "COALESCE(?, resolved_day), work_days = COALESCE(?, work_days), returned_at = COALESCE(?, "
      "returned_at), closed_at = COALESCE(?, closed_at), close_reason = COALESCE(?, "
      "close_reason), due_rule_code = ?, due_rule_version = ?, version = version + 1, "
      "updated_at = ? WHERE id = ? AND version = ?";
  kc_stmt *s;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  int i = 1;
  kc_stmt_bind_text(s, i++, d->status, -1);
  kc_stmt_bind_i64(s, i++, d->open);
  kc_stmt_bind_i64(s, i++, d->holder_unit_id);
  kc_stmt_bind_text(s, i++, d->holder_path, -1);
  kc_stmt_bind_opt_i64(s, i++, d->assignee, 0);
  kc_stmt_bind_i64(s, i++, d->clock_from);
  kc_stmt_bind_opt_i64(s, i++, d->days_left, -1);
  kc_stmt_bind_text(s, i++, d->original_due_date, -1);
  kc_stmt_bind_text(s, i++, d->due_date, -1);
  kc_stmt_bind_i64(s, i++, d->due_at);
  kc_stmt_bind_opt_text(s, i++, d->apology_from);
  kc_stmt_bind_i64(s, i++, d->reschedules);
  kc_stmt_bind_i64(s, i++, d->apologies);
  kc_stmt_bind_opt_text(s, i++, f->result);
  kc_stmt_bind_opt_i64(s, i++, f->resolved_at, 0);
  kc_stmt_bind_opt_text(s, i++, f->resolved_day);
  kc_stmt_bind_opt_i64(s, i++, f->work_days, -1);
  kc_stmt_bind_opt_i64(s, i++, f->returned_at, 0);
  kc_stmt_bind_opt_i64(s, i++, f->closed_at, 0);
  kc_stmt_bind_opt_text(s, i++, f->close_reason);
  kc_stmt_bind_opt_text(s, i++, d->due_rule.code);
  if (d->due_rule.code)
    kc_stmt_bind_i64(s, i++, d->due_rule.version);
  else
    kc_stmt_bind_null(s, i++);
  kc_stmt_bind_i64(s, i++, ctx->now);
  kc_stmt_bind_i64(s, i++, d->id);
  kc_stmt_bind_i64(s, i++, d->version);
  e = kc_stmt_run(s);
  if (e)
    return e;
  if (kc_stmt_changes(s) != 1)
    return kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                       "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại");
  return KC_OK;
}

static json_t *snapshot(const kc_dossier_row *d)
{
  return json_pack("{ss ss sI sI ss ss so si si}", "code", d->code, "status", d->status,
                   "holder_unit_id", (json_int_t)d->holder_unit_id, "assignee_official_id",
                   (json_int_t)d->assignee, "due_date", d->due_date, "original_due_date",
                   d->original_due_date, "apology_from",
                   d->apology_from ? json_string(d->apology_from) : json_null(), "reschedules",
                   d->reschedules, "apologies", d->apologies);
}

static const char *day_str(kc_ctx *ctx, kc_cal_day day)
{
  char b[16];
  return kc_arena_strdup(ctx->arena, kc_cal_format_date(day, b));
}

static kc_err parse_day(kc_ctx *ctx, const char *s, kc_cal_day *out)
{
  return kc_cal_parse_date(s, strlen(s), out) ? kc_ctx_code(ctx, KC_EINTERNAL) : KC_OK;
}

/* ---- the actions ---- */

typedef struct act_env {
  kc_ctx *ctx;
  const kc_cal_calendar *cal;
  const kc_onestop_rule *rule;
  kc_dossier_row *d;
  const kc_dossier_act_in *in;
  fin f;
  kc_dossier_delta delta;
  const char *event, *note;
  int64_t event_unit;
} act_env;

static kc_err do_assign(act_env *x)
{
  int64_t off = x->in->official_id;
  kc_err e = KC_OK;
  if (!off)
    e = kc_ctx_fail(x->ctx, KC_EFIELD, "official_id", "Thiếu cán bộ được phân công");
  if (!e)
    e = check_official(x->ctx, off, x->d->holder_path, "official_id");
  if (e)
    return e;
  static const char q[] = "UPDATE dossier_steps SET official_id = ? WHERE dossier_id = ? AND "
                          "ended_at IS NULL";
  kc_stmt *s;
  e = kc_stmt_query(x->ctx->conn, q, &s, KC_I64(off), KC_I64(x->d->id));
  if (!e) {
    e = kc_stmt_run(s);
  }
  x->d->assignee = off;
  x->d->status = "in_process";
  x->event = "assigned";
  return e;
}

static kc_err do_handover(act_env *x)
{
  kc_ctx *ctx = x->ctx;
  int64_t unit_id = x->in->unit_id, off = x->in->official_id;
  const char *name = NULL, *path = NULL;
  kc_err e = text_in(ctx, x->in->step_name, "step_name", "Tên bước", 500, false, &name);
  if (e)
    return e;
  open_step st;
  e = load_open_step(ctx, x->d->id, &st);
  if (e)
    return e;
  /* the procedure's next step gives the defaults: its name, unit and allowance */
  kc_procedure_row p;
  e = kc_procedure_load(ctx, x->d->procedure_id, &p);
  if (e)
    return e;
  json_t *next = json_array_get(p.steps, (size_t)st.seq);
  if (!name && next)
    name = kc_arena_strdup(ctx->arena, json_string_value(json_object_get(next, "name")));
  if (!unit_id && next)
    unit_id = json_integer_value(json_object_get(next, "unit_id"));
  int half = next ? (int)json_integer_value(json_object_get(next, "half_days")) : 0;
  json_decref(p.steps);
  if (!unit_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Thiếu đơn vị nhận hồ sơ");
  e = kc_unit_path(ctx, unit_id, &path);
  if (e == KC_ENOTFOUND)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị nhận hồ sơ không tồn tại");
  if (e)
    return e;
  if (unit_id == x->d->holder_unit_id)
    return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Hồ sơ đang ở chính đơn vị này");
  if (off && (e = check_official(ctx, off, path, "official_id")))
    return e;
  int64_t due_at = x->d->due_at;
  kc_cal_hours h = kc_cal_hours_default();
  if (half > 0 && kc_cal_add_half_days(x->cal, &h, ctx->now, half, &due_at))
    due_at = x->d->due_at;
  e = close_step(ctx, &st, true, x->note);
  if (!e)
    e = open_next_step(ctx, x->d->id, st.seq + 1, name ? name : "Xử lý hồ sơ", unit_id, off,
                       due_at);
  if (e)
    return e;
  x->d->holder_unit_id = unit_id;
  x->d->holder_path = path;
  x->d->assignee = off;
  x->d->status = "in_process";
  x->event = "handed_over";
  x->event_unit = unit_id;
  return KC_OK;
}

static kc_err items_in(kc_ctx *ctx, const kc_dossier_act_in *in, char **out)
{
  *out = NULL;
  if (in->nitems > KC_DOSSIER_MAX_ITEMS)
    return kc_ctx_fail(ctx, KC_EFIELD, "items", "Danh sách giấy tờ cần bổ sung (tối đa %d mục)",
                       KC_DOSSIER_MAX_ITEMS);
  json_t *norm = json_array();
  for (size_t i = 0; in->items && i < in->nitems; i++) {
    const char *s = in->items[i];
    const char *field = kc_arena_printf(ctx->arena, "items[%zu]", i);
    kc_err e = kc_text_field(ctx, field, "Giấy tờ cần bổ sung", &s, 1000, true);
    if (e) {
      json_decref(norm);
      return e;
    }
    json_array_append_new(norm, json_string(s));
  }
  *out = json_dumps(norm, JSON_COMPACT);
  json_decref(norm);
  return KC_OK;
}

static kc_err do_supplement(act_env *x)
{
  kc_ctx *ctx = x->ctx;
  const char *reason;
  char *items = NULL;
  kc_err e = text_in(ctx, x->in->reason, "reason", "Lý do yêu cầu bổ sung", 4000, true, &reason);
  if (!e)
    e = items_in(ctx, x->in, &items);
  if (e)
    return e;
  static const char q[] =
      "INSERT INTO dossier_supplements (dossier_id, seq, requested_at, requested_by, reason, "
      "items) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_supplements WHERE "
      "dossier_id = ?), ?, ?, ?, ?)";
  kc_stmt *s;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(x->d->id), KC_I64(x->d->id), KC_I64(ctx->now),
                    KC_OPT_I64(kc_dossier__account(ctx), 0), KC_TXT(reason), KC_TXT(items));
  if (!e) {
    e = kc_stmt_run(s);
  }
  free(items);
  /* The clock stops. Under a "resume" rule what is left of the limit is kept for later. */
  kc_cal_day due;
  if (!e)
    e = parse_day(ctx, x->d->due_date, &due);
  if (!e)
    x->d->days_left = x->rule->supplement_resume
                          ? kc_limit_left(x->cal, &x->d->limit, ctx->now, due, x->d->due_at)
                          : -1;
  x->d->status = "supplement_requested";
  x->event = "supplement_requested";
  x->note = reason;
  return e;
}

/* Sets a new due day from a running clock (receipt, papers' arrival, calendar change). */
static kc_err set_due(act_env *x, int left)
{
  kc_cal_day due;
  int64_t due_at;
  kc_limit_source rule;
  if (kc_limit_due(x->cal, &x->d->limit, x->d->clock_from, left, &due, &due_at, &rule))
    return kc_ctx_fail(x->ctx, KC_EFIELD, NULL, "Ngày hẹn mới nằm ngoài lịch làm việc");
  x->d->due_date = day_str(x->ctx, due);
  x->d->due_at = due_at;
  x->d->due_rule =
      (kc_limit_source){.code = kc_arena_strdup(x->ctx->arena, rule.code), .version = rule.version};
  x->d->apology_from = kc_dossier__apology_from(x->ctx, x->cal, x->rule, due, x->d->reschedules);
  return KC_OK;
}

static kc_err do_supplement_received(act_env *x)
{
  kc_ctx *ctx = x->ctx;
  static const char q[] = "UPDATE dossier_supplements SET received_at = ?, received_by = ? WHERE "
                          "dossier_id = ? AND received_at IS NULL";
  kc_stmt *s;
  kc_err e = kc_stmt_query(ctx->conn, q, &s, KC_I64(ctx->now),
                           KC_OPT_I64(kc_dossier__account(ctx), 0), KC_I64(x->d->id));
  if (e)
    return e;
  e = kc_stmt_run(s);
  if (e)
    return e;
  /* The clock runs again from the papers' arrival (after the cut-off or on a day off: from
   * the next working day): the whole limit ("restart") or what was left ("resume"). The due
   * day this gives is the lawful one, so lateness is measured against it. */
  x->d->clock_from = ctx->now;
  e = set_due(x, x->rule->supplement_resume ? x->d->days_left : -1);
  if (e)
    return e;
  x->d->original_due_date = x->d->due_date;
  x->d->days_left = -1;
  x->d->status = "in_process";
  x->event = "supplement_received";
  return KC_OK;
}

static kc_err do_close(act_env *x, const char *status, const char *label)
{
  kc_ctx *ctx = x->ctx;
  const char *reason;
  kc_err e = text_in(ctx, x->in->reason, "reason", label, 4000, true, &reason);
  open_step st;
  if (!e)
    e = load_open_step(ctx, x->d->id, &st);
  if (!e)
    e = close_step(ctx, &st, false, NULL);
  if (e)
    return e;
  x->d->status = status;
  x->d->open = false;
  x->d->apology_from = NULL;
  x->f.closed_at = ctx->now;
  x->f.close_reason = reason;
  x->event = status;
  x->note = reason;
  return KC_OK;
}

static kc_err do_result(act_env *x)
{
  kc_ctx *ctx = x->ctx;
  open_step st;
  kc_err e = load_open_step(ctx, x->d->id, &st);
  if (!e)
    e = close_step(ctx, &st, true, x->note);
  kc_cal_day odue, rday = kc_cal_day_of_instant(ctx->now);
  if (!e)
    e = parse_day(ctx, x->d->original_due_date, &odue);
  if (e)
    return e;
  /* against the lawful due day, not one an apology moved */
  int64_t odue_at = x->d->reschedules ? kc_cal_instant_at(odue, 17 * 60) : x->d->due_at;
  const char *res = kc_limit_result(&x->d->limit, ctx->now, odue, odue_at);
  int32_t wd = 0;
  if (kc_cal_count_workdays(x->cal, kc_cal_day_of_instant(x->d->received_at), rday, &wd))
    wd = 0;
  x->f.result = res;
  x->f.resolved_at = ctx->now;
  x->f.resolved_day = day_str(ctx, rday);
  x->f.work_days = wd < 0 ? 0 : wd;
  x->delta.early = !strcmp(res, "early");
  x->delta.on_time = !strcmp(res, "on_time");
  x->delta.late = !strcmp(res, "late");
  x->delta.late_unapologised = x->delta.late && x->d->apologies == 0;
  x->delta.work_days = x->f.work_days;
  /* the result goes back to the desk that received the dossier, to be handed to the applicant */
  if (x->d->holder_unit_id != x->d->unit_id) {
    e = open_next_step(ctx, x->d->id, st.seq + 1, "Trả kết quả", x->d->unit_id, 0, x->d->due_at);
    if (e)
      return e;
    x->d->holder_unit_id = x->d->unit_id;
    x->d->holder_path = x->d->unit_path;
  }
  x->d->status = "result_ready";
  x->d->open = false;
  x->d->apology_from = NULL;
  x->event = "result_ready";
  return KC_OK;
}

static kc_err do_return(act_env *x)
{
  open_step st;
  kc_err e = load_open_step(x->ctx, x->d->id, &st);
  if (!e)
    e = close_step(x->ctx, &st, false, x->note);
  x->d->status = "returned";
  x->f.returned_at = x->ctx->now;
  x->f.closed_at = x->ctx->now;
  x->delta.returned = 1;
  x->event = "returned";
  return e;
}

static kc_err do_apology(act_env *x)
{
  kc_ctx *ctx = x->ctx;
  const char *reason, *nd;
  kc_err e = text_in(ctx, x->in->reason, "reason", "Lý do chậm trễ", 4000, true, &reason);
  if (!e)
    e = text_in(ctx, x->in->new_due_date, "new_due_date", "Ngày hẹn mới", 10, true, &nd);
  if (e)
    return e;
  kc_cal_day nday;
  if (!kc_date_valid(nd) || kc_cal_parse_date(nd, strlen(nd), &nday))
    return kc_ctx_fail(ctx, KC_EFIELD, "new_due_date", "Ngày hẹn mới không hợp lệ (YYYY-MM-DD)");
  if (x->rule->max_reschedules > 0 && x->d->reschedules >= x->rule->max_reschedules)
    return kc_ctx_fail(ctx, KC_ECONFLICT, "new_due_date",
                       "Hồ sơ đã được hẹn lại ngày trả kết quả %d lần; theo %s chỉ được hẹn lại "
                       "%d lần",
                       x->d->reschedules, x->rule->name, x->rule->max_reschedules);
  if (strcmp(nd, x->d->due_date) <= 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "new_due_date",
                       "Ngày hẹn mới phải sau ngày hẹn hiện tại (%.2s/%.2s/%.4s)",
                       x->d->due_date + 8, x->d->due_date + 5, x->d->due_date);
  char today[16];
  kc_time_format_date(ctx->now, today, sizeof today);
  if (strcmp(nd, today) < 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "new_due_date", "Ngày hẹn mới đã qua");
  if (!kc_cal_is_workday(x->cal, nday))
    return kc_ctx_fail(ctx, KC_EFIELD, "new_due_date",
                       "Ngày %.2s/%.2s/%.4s là ngày nghỉ; hãy hẹn vào một ngày làm việc", nd + 8,
                       nd + 5, nd);
  static const char q[] =
      "INSERT INTO dossier_apologies (dossier_id, seq, issued_at, issued_by, reason, "
      "old_due_date, new_due_date) VALUES (?, ?, ?, ?, ?, ?, ?)";
  kc_stmt *s;
  e = kc_stmt_query(ctx->conn, q, &s, KC_I64(x->d->id), KC_I64(x->d->apologies + 1),
                    KC_I64(ctx->now), KC_OPT_I64(kc_dossier__account(ctx), 0), KC_TXT(reason),
                    KC_TXT(x->d->due_date), KC_TXT(nd));
  if (e)
    return e;
  e = kc_stmt_run(s);
  if (e)
    return e;
  x->d->reschedules++;
  x->d->apologies++;
  x->d->due_date = kc_arena_strdup(ctx->arena, nd);
  x->d->due_at = kc_cal_instant_at(nday, 17 * 60);
  x->d->apology_from = kc_dossier__apology_from(ctx, x->cal, x->rule, nday, x->d->reschedules);
  x->delta.apologies = 1;
  x->event = "apology";
  x->note =
      kc_arena_printf(ctx->arena, "%s (hẹn lại ngày %.2s/%.2s/%.4s)", reason, nd + 8, nd + 5, nd);
  return KC_OK;
}

kc_err kc_dossier_act(kc_ctx *ctx, kc_workcal_cache *cals, int64_t id, const char *name,
                      const kc_dossier_act_in *in, json_t **out)
{
  int a = action_parse(name);
  if (a < 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "action", "Thao tác không hợp lệ: %s", name ? name : "");
  kc_workcal *w = NULL;
  kc_err e = kc_workcal_acquire(ctx, cals, &w);
  if (e)
    return e;
  kc_dossier_row d;
  kc_onestop_rule rule;
  act_env x = {.ctx = ctx, .cal = kc_workcal_get(w), .rule = &rule, .d = &d, .in = in};
  x.f.work_days = -1;
  json_t *before = NULL, *after = NULL, *j = NULL;
  e = kc_tx_begin(ctx);
  if (e) {
    kc_workcal_release(cals, w);
    return e;
  }
  bool vis = false;
  e = kc_dossier__load(ctx, id, &d);
  if (!e)
    e = kc_dossier__visible(ctx, &d, &vis);
  if (e == KC_ENOTFOUND || (!e && !vis))
    e = kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy hồ sơ");
  if (!e && in->version != KC_DOSSIER_ANY_VERSION && in->version != d.version)
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                    "Hồ sơ đã được người khác cập nhật (phiên bản %" PRId64 ", bạn gửi %" PRId64
                    "); vui lòng tải lại",
                    d.version, in->version);
  if (!e && !from_allowed((action)a, d.status))
    e = kc_ctx_fail(ctx, KC_ECONFLICT, "status", "Không thể %s: hồ sơ %s đang ở trạng thái «%s»",
                    actions[a].label, d.code, kc_dossier_status_label(d.status));
  if (!e)
    e = may_act(ctx, (action)a, &d);
  if (!e)
    e = kc_onestop_rule_get(ctx, d.rule_id, &rule);
  if (!e)
    e = text_in(ctx, in->note, "note", "Ghi chú", 2000, false, &x.note);
  if (!e)
    e = sign_for_step(ctx, &d);
  if (!e) {
    before = snapshot(&d);
    x.event_unit = d.holder_unit_id;
    switch ((action)a) {
    case A_ASSIGN: e = do_assign(&x); break;
    case A_HANDOVER: e = do_handover(&x); break;
    case A_SUPPLEMENT: e = do_supplement(&x); break;
    case A_SUPPLEMENT_RECEIVED: e = do_supplement_received(&x); break;
    case A_REFUSE:
      e = do_close(&x, "refused", "Lý do từ chối");
      x.delta.refused = 1;
      break;
    case A_RESULT: e = do_result(&x); break;
    case A_RETURN: e = do_return(&x); break;
    case A_WITHDRAW:
      e = do_close(&x, "withdrawn", "Lý do rút hồ sơ");
      x.delta.withdrawn = 1;
      break;
    case A_APOLOGY: e = do_apology(&x); break;
    case A__COUNT: break;
    }
  }
  char today[16];
  kc_time_format_date(ctx->now, today, sizeof today);
  static const kc_dossier_delta zero = {0};
  if (!e)
    e = save(ctx, &d, &x.f);
  if (!e && memcmp(&x.delta, &zero, sizeof zero))
    e = kc_dossier__count(ctx, d.unit_id, d.procedure_id, today, &x.delta);
  if (!e)
    e = kc_dossier__event(ctx, d.id, x.event, x.event_unit, x.note);
  if (!e) {
    after = snapshot(&d);
    if (x.note)
      json_object_set_new(after, "note", json_string(x.note));
    e = kc_audit_write(ctx, actions[a].name, "dossier", d.id, before, after);
  }
  if (!e)
    e = kc_dossier_get(ctx, id, &j);
  json_decref(before);
  json_decref(after);
  e = kc_tx_end(ctx, e);
  kc_workcal_release(cals, w);
  if (e) {
    json_decref(j);
    return e;
  }
  *out = j;
  return KC_OK;
}

/* ---- notices and calendar changes ---- */

/* The heads and officers of the holding unit and the heads of the receiving unit. */
static const char q_units[] =
    "SELECT a.id, o.email, o.phone FROM accounts a LEFT JOIN officials o ON o.id = a.official_id "
    "WHERE a.disabled = 0 AND ((a.unit_id = ? AND a.role IN ('unit_head','officer','desk')) OR "
    "(a.unit_id = ? AND a.role IN ('unit_head','desk'))) AND ? >= 0 ORDER BY a.id";

kc_err kc_dossier_plan_notices(kc_ctx *ctx, const kc_prod_rules *rules, int *created)
{
  *created = 0;
  char today[16];
  kc_time_format_date(ctx->now, today, sizeof today);
  kc_err e = kc_tx_begin(ctx);
  if (e)
    return e;
  static const char q[] =
      "SELECT d.id, d.code, d.due_date, d.holder_unit_id, d.unit_id, p.name, d.applicant_name "
      "FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.open = 1 AND "
      "d.apology_from <= ? AND d.status <> 'supplement_requested' AND d.id > ? ORDER BY d.id";
  kc_stmt *s;
  bool row;
  typedef struct owed_row {
    int64_t id, holder, unit;
    char code[80], due[11], proc[400], name[210];
  } owed_row;
  kc_arena *saved = ctx->arena;
  kc_arena scratch;
  kc_arena_init(&scratch);
  /* Collected first (the notices go through the same connection), in batches to bound memory. */
  int64_t after_id = 0;
  for (;;) {
    owed_row batch[64];
    size_t n = 0;
    e = kc_stmt_query(ctx->conn, q, &s, KC_TXT(today), KC_I64(after_id));
    if (e)
      break;
    while (n < 64 && !(e = kc_stmt_step(s, &row)) && row) {
      owed_row *r = &batch[n++];
      r->id = kc_stmt_i64(s, 0);
      snprintf(r->code, sizeof r->code, "%s", kc_stmt_text(s, 1));
      snprintf(r->due, sizeof r->due, "%s", kc_stmt_text(s, 2));
      r->holder = kc_stmt_i64(s, 3);
      r->unit = kc_stmt_i64(s, 4);
      snprintf(r->proc, sizeof r->proc, "%s", kc_stmt_text(s, 5));
      snprintf(r->name, sizeof r->name, "%s", kc_stmt_text(s, 6));
    }
    kc_stmt_reset(s);
    if (e || n == 0)
      break;
    for (size_t i = 0; i < n && !e; i++) {
      owed_row *r = &batch[i];
      ctx->arena = &scratch;
      const char *key =
          kc_arena_printf(ctx->arena, "dossier:%" PRId64 ":apology:%s", r->id, r->due);
      const char *subject = kc_arena_printf(
          ctx->arena, "Hồ sơ %s sắp hoặc đã quá hạn: cần xin lỗi và hẹn lại", r->code);
      const char *body = kc_arena_printf(
          ctx->arena,
          "Hồ sơ %s (%s) của %s hẹn trả ngày %.2s/%.2s/%.4s có nguy cơ trễ hạn. Đơn vị "
          "cần gửi phiếu xin lỗi và hẹn lại ngày trả kết quả cho người "
          "nộp.\n%s/#/dossiers/%" PRId64,
          r->code, r->proc, r->name, r->due + 8, r->due + 5, r->due, rules->public_url, r->id);
      e = kc_notice_send(ctx, rules, q_units, r->holder, r->unit, 0, key, 0, r->id, "apology_owed",
                         subject, body, created);
      ctx->arena = saved;
      kc_arena_free(&scratch);
    }
    after_id = batch[n - 1].id;
    if (n < 64)
      break;
  }
  ctx->arena = saved;
  return kc_tx_end(ctx, e);
}

kc_err kc_dossier_recompute_due(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed)
{
  *changed = 0;
  static const char q[] = "SELECT id FROM dossiers WHERE open = 1 AND reschedules = 0 AND status "
                          "<> 'supplement_requested' ORDER BY id";
  kc_stmt *s;
  bool row;
  kc_err e = kc_stmt_prepare(ctx->conn, q, &s);
  if (e)
    return e;
  size_t n = 0, cap = 256;
  int64_t *ids = kc_xmalloc(cap * sizeof *ids);
  for (e = kc_stmt_step(s, &row); !e && row; e = kc_stmt_step(s, &row)) {
    if (n == cap)
      ids = kc_xrealloc(ids, (cap *= 2) * sizeof *ids);
    ids[n++] = kc_stmt_i64(s, 0);
  }
  kc_stmt_reset(s);
  kc_arena *saved = ctx->arena;
  kc_arena scratch;
  kc_arena_init(&scratch);
  for (size_t i = 0; i < n && !e; i++) {
    ctx->arena = &scratch;
    kc_dossier_row d;
    kc_onestop_rule rule;
    act_env x = {.ctx = ctx, .cal = cal, .rule = &rule, .d = &d};
    x.f.work_days = -1;
    if (!(e = kc_dossier__load(ctx, ids[i], &d)) &&
        !(e = kc_onestop_rule_get(ctx, d.rule_id, &rule))) {
      const char *old = d.due_date;
      json_t *before = snapshot(&d);
      e = set_due(&x, d.days_left);
      if (!e && strcmp(old, d.due_date)) {
        d.original_due_date = d.due_date;
        const char *note = kc_arena_printf(
            ctx->arena, "Lịch làm việc thay đổi: ngày hẹn từ %.2s/%.2s/%.4s thành %.2s/%.2s/%.4s",
            old + 8, old + 5, old, d.due_date + 8, d.due_date + 5, d.due_date);
        json_t *after = snapshot(&d);
        if (!(e = save(ctx, &d, &x.f)) &&
            !(e = kc_dossier__event(ctx, d.id, "due_recomputed", 0, note)))
          e = kc_audit_write(ctx, "recompute_due", "dossier", d.id, before, after);
        json_decref(after);
        if (!e)
          (*changed)++;
      }
      json_decref(before);
    }
    ctx->arena = saved;
    kc_arena_free(&scratch);
  }
  free(ids);
  return e;
}
