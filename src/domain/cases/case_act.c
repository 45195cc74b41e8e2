/* case_act.c: actions on a case: the refusals (scope, unknown action, role, stale version,
 * state), then in one transaction the next state, the transition's clocks, the assignment,
 * the links, the event with its note and document, the version and the audit record. */
#include "domain/cases/case_priv.h"
#include "domain/core/text.h"
#include "domain/org/audit.h"
#include "domain/org/unit.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX 20000
#define DOCUMENT_MAX 1000

/* The refusals that need no write, in the order a user can act on them. */
static kc_err refuse(kc_ctx *ctx, const kc_case_row *r, const kc_case_act_in *in,
                     const kc_case_transition **out)
{
  const kc_case_kind *k = r->kind;
  if (!k)
    return kc_ctx_fail(ctx, KC_EINTERNAL, NULL, "Loại hồ sơ %s không còn được khai báo",
                       r->kind_code);
  bool known = false;
  const kc_case_transition *t = kc_case__transition(k, r->state, in->action, &known);
  if (!known)
    return kc_ctx_fail(ctx, KC_EFIELD, "action", "Loại hồ sơ «%s» không có thao tác %s", k->name,
                       in->action ? in->action : "");
  /* the role against any transition of this action: a wrong role is refused as such even
   * when the state would not allow the action either */
  bool role = false;
  for (size_t i = 0; i < k->ntransitions && !role; i++)
    role = !strcmp(k->transitions[i].action, in->action) &&
           kc_case__role_ok(ctx, k->transitions[i].roles);
  if (!role)
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Vai trò của bạn không được thực hiện thao tác này");
  if (in->version != r->version)
    return kc_ctx_fail(ctx, KC_ECONFLICT, "version",
                       "Hồ sơ đã được người khác cập nhật (phiên bản %" PRId64 ", bạn gửi %" PRId64
                       "); vui lòng tải lại",
                       r->version, in->version);
  const kc_case_state *st = kc_case__state(k, r->state);
  if (!t)
    return kc_ctx_fail(ctx, KC_ECONFLICT, "state",
                       "Không thể thực hiện thao tác %s khi hồ sơ đang ở trạng thái «%s»",
                       in->action, st ? st->name : r->state);
  if (!kc_case__role_ok(ctx, t->roles))
    return kc_ctx_fail(ctx, KC_EFORBIDDEN, NULL,
                       "Vai trò của bạn không được thực hiện thao tác này ở trạng thái «%s»",
                       st ? st->name : r->state);
  *out = t;
  return KC_OK;
}

/* Checks and applies a new assignment; records it in `done`. */
static kc_err reassign(kc_ctx *ctx, const kc_case_row *r, const kc_case_act_in *in, json_t *done)
{
  int64_t unit = in->unit_id ? in->unit_id : r->unit_id;
  int64_t official = in->official_id > 0   ? in->official_id
                     : in->official_id < 0 ? 0
                     : unit != r->unit_id  ? 0 /* a new unit: its head assigns anew */
                                           : r->official_id;
  if (unit == r->unit_id && official == r->official_id)
    return KC_OK;
  const char *path = r->unit_path;
  kc_err e = KC_OK;
  if (unit != r->unit_id) {
    e = kc_unit_path(ctx, unit, &path);
    if (e == KC_ENOTFOUND)
      return kc_ctx_fail(ctx, KC_EFIELD, "unit_id", "Đơn vị không tồn tại");
    if (e)
      return e;
    /* to a unit in the actor's subtree, or (city-wide roles) anywhere */
    if (!kc_scope_covers(ctx->actor, path))
      return kc_ctx_fail(ctx, KC_EFORBIDDEN, "unit_id", "Đơn vị nằm ngoài phạm vi của bạn");
  }
  if (official)
    e = kc_case__official_in_unit(ctx, official, unit, "official_id");
  static const char q[] = "UPDATE cases SET unit_id = ?, unit_path = ?, official_id = ? WHERE id "
                          "= ?";
  kc_stmt *s;
  if (!e)
    e = kc_stmt_prepare(ctx->conn, q, &s);
  if (!e) {
    kc_stmt_bind_i64(s, 1, unit);
    kc_stmt_bind_text(s, 2, path, -1);
    if (official)
      kc_stmt_bind_i64(s, 3, official);
    else
      kc_stmt_bind_null(s, 3);
    kc_stmt_bind_i64(s, 4, r->id);
    e = kc_stmt_run(s);
  }
  if (!e)
    json_object_set_new(done, "assigned",
                        json_pack("{sI so}", "unit_id", (json_int_t)unit, "official_id",
                                  official ? json_integer(official) : json_null()));
  return e;
}

kc_err kc_case_act(kc_ctx *ctx, int64_t id, const kc_case_act_in *in, json_t **out)
{
  if (!in->action || !*in->action)
    return kc_ctx_fail(ctx, KC_EFIELD, "action", "Thiếu thao tác (action)");
  if (in->version <= 0)
    return kc_ctx_fail(ctx, KC_EFIELD, "version", "Thiếu phiên bản (version) của hồ sơ");
  const char *note = in->note, *document = in->document;
  kc_err e = kc_text_field(ctx, "note", "Ghi chú", &note, NOTE_MAX, false);
  if (!e && document)
    e = kc_text_field(ctx, "document", "Văn bản", &document, DOCUMENT_MAX, false);
  if (e)
    return e;
  kc_case_cal cal = {0};
  e = kc_tx_begin(ctx);
  if (e)
    return e;
  kc_case_row r = {0};
  e = kc_case__load(ctx, id, &r);
  if (e == KC_ENOTFOUND || (!e && !kc_case__visible(ctx, &r)))
    return kc_tx_end(ctx, kc_ctx_fail(ctx, KC_ENOTFOUND, NULL, "Không tìm thấy hồ sơ vụ việc"));
  const kc_case_transition *t = NULL;
  if (!e)
    e = refuse(ctx, &r, in, &t);
  if (!e && t->note_required && (!note || !*note))
    e = kc_ctx_fail(ctx, KC_EFIELD, "note", "Thao tác «%s» cần ghi chú (lý do, nội dung)", t->name);
  if (!e && !t->assign && (in->unit_id || in->official_id))
    e = kc_ctx_fail(ctx, KC_EFIELD, in->unit_id ? "unit_id" : "official_id",
                    "Thao tác «%s» không thay đổi việc phân công", t->name);
  if (!e)
    e = kc_case__links_check(ctx, in->links, in->nlinks, "links");
  json_t *before = NULL, *after = NULL, *done = json_object();
  if (!e)
    e = kc_case__record(ctx, id, false, &before);
  if (!e)
    e = kc_case__cal_acquire(ctx, &cal);
  if (!e && t->assign)
    e = reassign(ctx, &r, in, done);
  const char *to = t && t->to ? t->to : r.state;
  const kc_case_state *next = t ? kc_case__state(r.kind, to) : NULL;
  int64_t event_id = 0;
  if (!e)
    e = kc_case__event(ctx, id, in->action, r.state, to, note, document, in->attachment_id, NULL,
                       &event_id);
  if (!e) {
    kc_case_clock_ops ops = {.start = t->start,
                             .pause = t->pause,
                             .resume = t->resume,
                             .end = t->end,
                             .extend = t->extend,
                             .extend_count = t->extend_count,
                             .final = next && next->final,
                             .at = ctx->now};
    e = kc_case__clocks_apply(ctx, cal.cal, r.kind, id, &ops, event_id, done);
  }
  kc_stmt *s;
  if (!e && json_object_size(done)) {
    static const char qd[] = "UPDATE case_events SET data = ? WHERE id = ?";
    char *dj = json_dumps(done, JSON_SORT_KEYS | JSON_COMPACT);
    e = kc_stmt_query(ctx->conn, qd, &s, KC_TXT(dj), KC_I64(event_id));
    if (!e) {
      e = kc_stmt_run(s);
    }
    free(dj);
  }
  if (!e)
    e = kc_case__links_add(ctx, id, in->links, in->nlinks, "links");
  static const char qu[] = "UPDATE cases SET state = ?, closed_at = ?, version = version + 1, "
                           "updated_at = ? WHERE id = ? AND version = ?";
  if (!e)
    e = kc_stmt_prepare(ctx->conn, qu, &s);
  if (!e) {
    kc_stmt_bind_text(s, 1, to, -1);
    if (next && next->final)
      kc_stmt_bind_i64(s, 2, ctx->now);
    else
      kc_stmt_bind_null(s, 2);
    kc_stmt_bind_i64(s, 3, ctx->now);
    kc_stmt_bind_i64(s, 4, id);
    kc_stmt_bind_i64(s, 5, r.version);
    e = kc_stmt_run(s);
    /* the row was read in this write transaction: nobody changed it since */
    if (!e && kc_stmt_changes(s) != 1)
      e = kc_ctx_fail(ctx, KC_ECONFLICT, "version", "Hồ sơ vừa được người khác cập nhật");
  }
  if (!e)
    e = kc_case__record(ctx, id, false, &after);
  if (!e)
    e = kc_audit_write(ctx, in->action, "case", id, before, after);
  json_decref(before);
  json_decref(after);
  json_decref(done);
  kc_case__cal_release(&cal);
  e = kc_tx_end(ctx, e);
  if (e)
    return kc_ctx_code(ctx, e);
  return kc_case_get(ctx, id, out);
}
