/* h_tasks.c: /api/v1/directives, /api/v1/tasks and their actions, /api/v1/unit-groups,
 * /api/v1/stats/tasks. */
#include "domain/core/notice.h"
#include "domain/tasks/directive.h"
#include "domain/tasks/task.h"
#include "http/handlers.h"
#include "http/list.h"
#include <string.h>

/* ---- directives ---- */

const kc_field kc_h_directive_fields[] = {
    KC_FIELD_STR(kc_directive_in, number, KC_F_REQ_CREATE | KC_F_NOT_NULL, 64),
    KC_FIELD_STR(kc_directive_in, kind, KC_F_REQ_CREATE, 32),
    KC_FIELD_DATE(kc_directive_in, issued_on, KC_F_REQ_CREATE),
    KC_FIELD_INT(kc_directive_in, issuer_unit_id, KC_F_REQ_CREATE, 0, 0),
    KC_FIELD_STR(kc_directive_in, signer, 0, 200),
    KC_FIELD_STR(kc_directive_in, title, KC_F_REQ_CREATE | KC_F_NOT_NULL, 1000),
    KC_FIELD_STR(kc_directive_in, text, 0, 0),
    KC_FIELD_VERSION(kc_directive_in),
};
const size_t kc_h_directive_nfields = KC_NFIELDS(kc_h_directive_fields);

void kc_h_directives_list(kc_req *r)
{
  kc_req_qpage_list(r, kc_directive_list);
}

void kc_h_directives_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_directive_get(&r->ctx, r->id, &out);
  kc_req_answer(r, e, 200, out);
}

void kc_h_directives_create(kc_req *r)
{
  json_t *out = NULL;
  kc_directive_in in = {0};
  if (kc_req_fields(r, kc_h_directive_fields, kc_h_directive_nfields, true, &in)) {
    kc_err e = kc_directive_create(&r->ctx, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_directives_update(kc_req *r)
{
  json_t *out = NULL;
  kc_directive_in in = {0};
  if (kc_req_fields(r, kc_h_directive_fields, kc_h_directive_nfields, false, &in)) {
    kc_err e = kc_directive_update(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
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
  kc_req_answer(r, e, 200, out);
}

static const kc_field task_fields[] = {
    KC_FIELD_INT(kc_task_in, directive_id, 0, 0, 0),
    KC_FIELD_INT(kc_task_in, lead_unit_id, 0, 0, 0),
    KC_FIELD_INT(kc_task_in, group_id, 0, 0, 0),
    KC_FIELD_INT(kc_task_in, parent_id, 0, 0, 0),
    KC_FIELD_INT(kc_task_in, assignee_official_id, 0, 0, 0),
    KC_FIELD_IDS(kc_task_in, support_unit_ids, n_support, 0, KC_TASK_MAX_SUPPORT),
    KC_FIELD_STR(kc_task_in, title, KC_F_REQ_CREATE | KC_F_NOT_NULL, 1000),
    KC_FIELD_STR(kc_task_in, content, 0, 20000),
    KC_FIELD_DATE(kc_task_in, due_date, 0),
    KC_FIELD_STR(kc_task_in, recurrence, 0, 32),
    KC_FIELD_STR(kc_task_in, section, 0, 32),
    KC_FIELD_VERSION(kc_task_in),
};

void kc_h_tasks_create(kc_req *r)
{
  json_t *out = NULL;
  kc_task_in in = {0};
  if (kc_req_fields(r, task_fields, KC_NFIELDS(task_fields), true, &in)) {
    kc_err e = kc_task_create(&r->ctx, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_tasks_update(kc_req *r)
{
  json_t *out = NULL;
  kc_task_in in = {0};
  if (kc_req_fields(r, task_fields, KC_NFIELDS(task_fields), false, &in)) {
    kc_err e = kc_task_update(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
}

/* The bodies of the task actions. */
typedef struct {
  int64_t percent, version;
  const char *note, *completed_on, *evidence, *reason, *new_due_date;
} action_in;

static const kc_field progress_fields[] = {
    KC_FIELD_INT(action_in, percent, KC_F_REQ, 0, 100),
    KC_FIELD_STR(action_in, note, KC_F_REQ, 5000),
};

void kc_h_tasks_progress_add(kc_req *r)
{
  json_t *out = NULL;
  action_in in = {0};
  if (kc_req_fields(r, progress_fields, KC_NFIELDS(progress_fields), true, &in)) {
    kc_err e = kc_task_progress(&r->ctx, r->id, (int)in.percent, in.note, &out);
    kc_req_answer(r, e, 201, out);
  }
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

static const kc_field complete_fields[] = {
    KC_FIELD_DATE(action_in, completed_on, KC_F_REQ),
    KC_FIELD_STR(action_in, evidence, KC_F_REQ, 2000),
    KC_FIELD_INT(action_in, version, 0, 0, 0),
};

void kc_h_tasks_complete(kc_req *r)
{
  json_t *out = NULL;
  action_in in = {0};
  if (kc_req_fields(r, complete_fields, KC_NFIELDS(complete_fields), true, &in)) {
    kc_err e = kc_task_complete(&r->ctx, r->id, in.completed_on, in.evidence, in.version, &out);
    kc_req_answer(r, e, 200, out);
  }
}

static const kc_field reason_fields[] = {
    KC_FIELD_STR(action_in, reason, KC_F_REQ, 2000),
    KC_FIELD_INT(action_in, version, 0, 0, 0),
};

static void reason_action(kc_req *r,
                          kc_err (*fn)(kc_ctx *, int64_t, const char *, int64_t, json_t **))
{
  json_t *out = NULL;
  action_in in = {0};
  if (kc_req_fields(r, reason_fields, KC_NFIELDS(reason_fields), true, &in)) {
    kc_err e = fn(&r->ctx, r->id, in.reason, in.version, &out);
    kc_req_answer(r, e, 200, out);
  }
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

static const kc_field extension_fields[] = {
    KC_FIELD_DATE(action_in, new_due_date, KC_F_REQ),
    KC_FIELD_STR(action_in, reason, KC_F_REQ, 2000),
};

void kc_h_tasks_extensions_create(kc_req *r)
{
  json_t *out = NULL;
  action_in in = {0};
  if (kc_req_fields(r, extension_fields, KC_NFIELDS(extension_fields), true, &in)) {
    kc_err e = kc_task_extension_request(&r->ctx, r->id, in.new_due_date, in.reason, &out);
    kc_req_answer(r, e, 201, out);
  }
}

static const kc_field decide_fields[] = {KC_FIELD_STR(action_in, note, 0, 2000)};

static void decide(kc_req *r, bool approve)
{
  json_t *out = NULL;
  action_in in = {0};
  if (kc_req_fields_opt(r, decide_fields, KC_NFIELDS(decide_fields), true, &in)) {
    kc_err e = kc_task_extension_decide(&r->ctx, r->id, approve, in.note, &out);
    kc_req_answer(r, e, 200, out);
  }
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

typedef struct {
  const char *code, *name;
  const int64_t *unit_ids; /* NULL: unchanged (update) */
  size_t n;
  int64_t version;
} group_in;

static const kc_field group_fields[] = {
    KC_FIELD_STR(group_in, code, KC_F_REQ_CREATE, 64),
    KC_FIELD_STR(group_in, name, KC_F_REQ_CREATE | KC_F_NOT_NULL, 300),
    KC_FIELD_IDS(group_in, unit_ids, n, 0, 2000),
    KC_FIELD_VERSION(group_in),
};

void kc_h_unit_groups_create(kc_req *r)
{
  json_t *out = NULL;
  group_in in = {0};
  if (kc_req_fields(r, group_fields, KC_NFIELDS(group_fields), true, &in)) {
    kc_err e = kc_unit_group_create(&r->ctx, in.code, in.name, in.unit_ids, in.n, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_unit_groups_update(kc_req *r)
{
  json_t *out = NULL;
  group_in in = {0};
  if (kc_req_fields(r, group_fields, KC_NFIELDS(group_fields), false, &in)) {
    kc_err e = kc_unit_group_update(&r->ctx, r->id, in.version, in.name, in.unit_ids, in.n,
                                    in.unit_ids != NULL, &out);
    kc_req_answer(r, e, 200, out);
  }
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
  kc_req_answer(r, e, 200, out);
}

void kc_h_inbox_read(kc_req *r)
{
  kc_err e = kc_notice_mark_read(&r->ctx, r->id);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_empty(r, 204);
}
