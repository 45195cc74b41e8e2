/* h_tasks.c: /api/v1/directives, /api/v1/tasks and their actions, /api/v1/unit-groups,
 * /api/v1/stats/tasks. */
#include "domain/core/notice.h"
#include "domain/tasks/directive.h"
#include "domain/tasks/task.h"
#include "http/handlers.h"
#include "http/list.h"
#include <string.h>

static void answer(kc_req *r, kc_err e, int status, json_t *out)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, status, out);
}

/* ---- directives ---- */

static bool parse_directive(kc_req *r, json_t *b, kc_directive_in *in, bool create)
{
  return kc_body_not_null(r, b, "number") && kc_body_not_null(r, b, "title") &&
         kc_body_str(r, b, "number", create, &in->number) &&
         kc_body_str(r, b, "kind", create, &in->kind) &&
         kc_body_str(r, b, "issued_on", create, &in->issued_on) &&
         kc_body_int(r, b, "issuer_unit_id", create, &in->issuer_unit_id) &&
         kc_body_str(r, b, "signer", false, &in->signer) &&
         kc_body_str(r, b, "title", create, &in->title) &&
         kc_body_str(r, b, "text", false, &in->text) &&
         kc_body_int(r, b, "version", !create, &in->version);
}

void kc_h_directives_list(kc_req *r)
{
  kc_req_qpage_list(r, kc_directive_list);
}

void kc_h_directives_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_directive_get(&r->ctx, r->id, &out);
  answer(r, e, 200, out);
}

void kc_h_directives_create(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_directive_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse_directive(r, b, &in, true)) {
    kc_err e = kc_directive_create(&r->ctx, &in, &out);
    answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_directives_update(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_directive_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse_directive(r, b, &in, false)) {
    kc_err e = kc_directive_update(&r->ctx, r->id, &in, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

/* ---- tasks ---- */

static const kc_qparam task_params[] = {
    KC_QP_STR(kc_task_filter, status, KC_QP_EMPTY_NULL),
    KC_QP_STR(kc_task_filter, q, 0),
    KC_QP_STR(kc_task_filter, due_from, 0),
    KC_QP_STR(kc_task_filter, due_to, 0),
    KC_QP_PAGING(kc_task_filter),
    KC_QP_ID(kc_task_filter, directive_id),
    KC_QP_ID(kc_task_filter, lead_unit_id),
    KC_QP_ID(kc_task_filter, parent_id),
    KC_QP_ID(kc_task_filter, owner_unit_id),
    KC_QP_BOOL(kc_task_filter, top_level),
    KC_QP_BOOL(kc_task_filter, mine),
};

void kc_h_tasks_list(kc_req *r)
{
  kc_task_filter f = {0};
  if (!KC_REQ_PARAMS(r, task_params, &f))
    return;
  /* Rows go from the statement straight into the answer's text, without a json_t tree. */
  kc_jsonw w;
  kc_jsonw_init(&w, KC_TASK_JSON_RESERVE(f.limit), KC_RESP_MAX_JSON);
  kc_jsonw_object_begin(&w);
  kc_jsonw_key(&w, "items");
  int64_t total = 0;
  kc_err e = kc_task_list_write(&r->ctx, &f, &w, &total);
  if (e) {
    kc_jsonw_free(&w);
    kc_req_fail(r, e);
    return;
  }
  kc_jsonw_member_int(&w, "total_count", total);
  kc_jsonw_object_end(&w);
  kc_req_jsonw(r, 200, &w);
}

void kc_h_tasks_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_task_get(&r->ctx, r->id, &out);
  answer(r, e, 200, out);
}

static bool parse_task(kc_req *r, json_t *b, kc_task_in *in, bool create)
{
  int64_t *sup = NULL;
  size_t n = 0;
  bool ok = kc_body_not_null(r, b, "title") &&
            kc_body_int(r, b, "directive_id", false, &in->directive_id) &&
            kc_body_int(r, b, "lead_unit_id", false, &in->lead_unit_id) &&
            kc_body_int(r, b, "group_id", false, &in->group_id) &&
            kc_body_int(r, b, "parent_id", false, &in->parent_id) &&
            kc_body_int(r, b, "assignee_official_id", false, &in->assignee_official_id) &&
            kc_body_int_array(r, b, "support_unit_ids", KC_TASK_MAX_SUPPORT, &sup, &n) &&
            kc_body_str(r, b, "title", create, &in->title) &&
            kc_body_str(r, b, "content", false, &in->content) &&
            kc_body_str(r, b, "due_date", false, &in->due_date) &&
            kc_body_str(r, b, "recurrence", false, &in->recurrence) &&
            kc_body_str(r, b, "section", false, &in->section) &&
            kc_body_int(r, b, "version", !create, &in->version);
  if (ok && sup) {
    in->support_unit_ids = sup;
    in->n_support = n;
  } else if (ok && json_is_array(json_object_get(b, "support_unit_ids"))) {
    static const int64_t none[1];
    in->support_unit_ids = none; /* an empty array clears the support units */
  }
  return ok;
}

void kc_h_tasks_create(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_task_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse_task(r, b, &in, true)) {
    kc_err e = kc_task_create(&r->ctx, &in, &out);
    answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_tasks_update(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_task_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse_task(r, b, &in, false)) {
    kc_err e = kc_task_update(&r->ctx, r->id, &in, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

void kc_h_tasks_progress_add(kc_req *r)
{
  json_t *b, *out = NULL;
  int64_t percent = -1;
  const char *note;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_int(r, b, "percent", true, &percent) && kc_body_str(r, b, "note", true, &note)) {
    kc_err e = kc_task_progress(&r->ctx, r->id, percent > 100 ? 101 : (int)percent, note, &out);
    answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_tasks_progress_list(kc_req *r)
{
  json_t *items = NULL;
  kc_err e = kc_task_progress_list(&r->ctx, r->id, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

void kc_h_tasks_complete(kc_req *r)
{
  json_t *b, *out = NULL;
  const char *on, *evidence;
  int64_t version = 0;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_str(r, b, "completed_on", true, &on) &&
      kc_body_str(r, b, "evidence", true, &evidence) &&
      kc_body_int(r, b, "version", false, &version)) {
    kc_err e = kc_task_complete(&r->ctx, r->id, on, evidence, version, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

static void reason_action(kc_req *r,
                          kc_err (*fn)(kc_ctx *, int64_t, const char *, int64_t, json_t **))
{
  json_t *b, *out = NULL;
  const char *reason;
  int64_t version = 0;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_str(r, b, "reason", true, &reason) && kc_body_int(r, b, "version", false, &version)) {
    kc_err e = fn(&r->ctx, r->id, reason, version, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

void kc_h_tasks_reopen(kc_req *r)
{
  reason_action(r, kc_task_reopen);
}

void kc_h_tasks_cancel(kc_req *r)
{
  reason_action(r, kc_task_cancel);
}

void kc_h_tasks_extensions_list(kc_req *r)
{
  json_t *items = NULL;
  kc_err e = kc_task_extension_list(&r->ctx, r->id, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

void kc_h_tasks_extensions_create(kc_req *r)
{
  json_t *b, *out = NULL;
  const char *due, *reason;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_str(r, b, "new_due_date", true, &due) && kc_body_str(r, b, "reason", true, &reason)) {
    kc_err e = kc_task_extension_request(&r->ctx, r->id, due, reason, &out);
    answer(r, e, 201, out);
  }
  json_decref(b);
}

static void decide(kc_req *r, bool approve)
{
  json_t *b = NULL, *out = NULL;
  const char *note = NULL;
  if (r->body_len && !kc_body_object(r, &b))
    return;
  if (!b || kc_body_str(r, b, "note", false, &note)) {
    kc_err e = kc_task_extension_decide(&r->ctx, r->id, approve, note, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

void kc_h_extensions_approve(kc_req *r)
{
  decide(r, true);
}

void kc_h_extensions_refuse(kc_req *r)
{
  decide(r, false);
}

void kc_h_tasks_due_history(kc_req *r)
{
  json_t *items = NULL;
  kc_err e = kc_task_due_history(&r->ctx, r->id, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

/* ---- unit groups, statistics ---- */

void kc_h_unit_groups_list(kc_req *r)
{
  json_t *items = NULL;
  int64_t total = 0;
  kc_err e = kc_unit_group_list(&r->ctx, &items, &total);
  kc_req_list_answer(r, e, items, total);
}

void kc_h_unit_groups_create(kc_req *r)
{
  json_t *b, *out = NULL;
  const char *code, *name;
  int64_t *ids;
  size_t n;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_str(r, b, "code", true, &code) && kc_body_str(r, b, "name", true, &name) &&
      kc_body_int_array(r, b, "unit_ids", 2000, &ids, &n)) {
    kc_err e = kc_unit_group_create(&r->ctx, code, name, ids, n, &out);
    answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_unit_groups_update(kc_req *r)
{
  json_t *b, *out = NULL;
  const char *name;
  int64_t *ids, version;
  size_t n;
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_not_null(r, b, "name") && kc_body_str(r, b, "name", false, &name) &&
      kc_body_int_array(r, b, "unit_ids", 2000, &ids, &n) &&
      kc_body_int(r, b, "version", true, &version)) {
    kc_err e = kc_unit_group_update(&r->ctx, r->id, version, name, ids, n,
                                    json_is_array(json_object_get(b, "unit_ids")), &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}

void kc_h_stats_tasks(kc_req *r)
{
  json_t *out = NULL;
  if (kc_h_stats_tasks_query(r, NULL, NULL, &out))
    kc_req_json(r, 200, out);
}

typedef struct stats_q {
  const char *from, *to;
  int64_t directive_id;
} stats_q;
static const kc_qparam stats_params[] = {KC_QP_STR(stats_q, from, 0), KC_QP_STR(stats_q, to, 0),
                                         KC_QP_ID(stats_q, directive_id)};

bool kc_h_stats_tasks_query(kc_req *r, const char **from, const char **to, json_t **out)
{
  stats_q f;
  if (!KC_REQ_PARAMS(r, stats_params, &f))
    return false;
  kc_err e = kc_task_stats(&r->ctx, f.from, f.to, f.directive_id, out);
  if (e) {
    kc_req_fail(r, e);
    return false;
  }
  if (from)
    *from = f.from;
  if (to)
    *to = f.to;
  return true;
}

/* ---- prodding history and inbox ---- */

void kc_h_tasks_notices(kc_req *r)
{
  json_t *items = NULL;
  kc_err e = kc_notice_for_task(&r->ctx, r->id, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

typedef struct inbox_q {
  int64_t limit, offset;
  bool unread;
} inbox_q;
static const kc_qparam inbox_params[] = {KC_QP_PAGING(inbox_q), KC_QP_BOOL(inbox_q, unread)};

void kc_h_inbox(kc_req *r)
{
  inbox_q f;
  if (!KC_REQ_PARAMS(r, inbox_params, &f))
    return;
  json_t *out = NULL;
  kc_err e = kc_notice_inbox(&r->ctx, f.unread, f.limit, f.offset, &out);
  answer(r, e, 200, out);
}

void kc_h_inbox_read(kc_req *r)
{
  kc_err e = kc_notice_mark_read(&r->ctx, r->id);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}
