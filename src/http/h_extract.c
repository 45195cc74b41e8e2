/* h_extract.c: the directive reader's two steps: propose tasks from a text, then create the
 * directive and the confirmed tasks in one transaction. */
#include "domain/tasks/directive.h"
#include "domain/tasks/task.h"
#include "extract/input.h"
#include "extract/propose.h"
#include "http/handlers.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *text;
} text_in;

static const kc_field text_fields[] = {KC_FIELD_STR(text_in, text, KC_F_REQ, 0)};

void kc_h_directives_extract(kc_req *r)
{
  const char *type = kc_req_header(r, "Content-Type");
  if (type && strncmp(type, "application/json", 16)) {
    /* a document as uploaded (.docx, PDF or plain text), recognised by its first bytes */
    char *plain = NULL, err[256];
    size_t plen = 0;
    if (!r->body_len) {
      kc_req_fail_msg(r, KC_EFIELD, "file", "Thiếu tệp văn bản");
    } else if (kc_extract_input_text(r->body, r->body_len, &plain, &plen, err, sizeof err)) {
      kc_req_fail_msg(r, KC_EFIELD, "file", kc_arena_strdup(&r->arena, err));
    } else {
      json_t *out = NULL;
      kc_err e = kc_extract_propose(&r->ctx, plain, plen, &out);
      if (e)
        kc_req_fail(r, e);
      else
        kc_req_json(r, 200, out);
    }
    free(plain);
    return;
  }
  text_in in = {0};
  if (kc_req_fields(r, text_fields, KC_NFIELDS(text_fields), true, &in)) {
    json_t *out = NULL;
    kc_err e = kc_extract_propose(&r->ctx, in.text, strlen(in.text), &out);
    kc_req_answer(r, e, 200, out);
  }
}

/* A task of the confirm step, named "tasks[i].member" in an answer. */
#define CONFIRM_TEXT(m)                                                                            \
  {                                                                                                \
    .name = #m, .type = KC_FT_STR, .flags = KC_F_NULL_ABSENT, .off = offsetof(kc_task_in, m)       \
  }
#define CONFIRM_ID(m)                                                                              \
  {                                                                                                \
    .name = #m, .type = KC_FT_INT, .flags = KC_F_NULL_ABSENT, .off = offsetof(kc_task_in, m),      \
    .min = 1, .max = INT64_MAX                                                                     \
  }
static const kc_field confirm_task_fields[] = {
    CONFIRM_ID(lead_unit_id),
    CONFIRM_ID(group_id),
    CONFIRM_TEXT(title),
    CONFIRM_TEXT(due_date),
    CONFIRM_TEXT(recurrence),
    CONFIRM_TEXT(section),
    CONFIRM_TEXT(content),
    {.name = "support_unit_ids",
     .type = KC_FT_INT_ARRAY,
     .flags = KC_F_NULL_ABSENT,
     .off = offsetof(kc_task_in, support_unit_ids),
     .max = KC_TASK_MAX_SUPPORT,
     .count_off = offsetof(kc_task_in, n_support),
     .msg = "Đơn vị phối hợp phải là mảng số nguyên dương (tối đa 64)"},
};

void kc_h_directives_confirm(kc_req *r)
{
  json_t *b;
  if (!kc_body_object(r, &b))
    return;
  json_t *d = json_object_get(b, "directive"), *ts = json_object_get(b, "tasks");
  if (!json_is_object(d) || !json_is_array(ts)) {
    kc_req_fail_msg(r, KC_EFIELD, json_is_object(d) ? "tasks" : "directive",
                    "Cần 'directive' (đối tượng) và 'tasks' (mảng)");
    json_decref(b);
    return;
  }
  kc_directive_in in = {0};
  bool ok = kc_body_fields(r, d, kc_h_directive_fields, kc_h_directive_nfields, true, &in);
  size_t n = json_array_size(ts);
  kc_task_in *tasks = kc_arena_zalloc(&r->arena, (n ? n : 1) * sizeof *tasks);
  for (size_t i = 0; ok && i < n; i++) {
    json_t *t = json_array_get(ts, i);
    if (!json_is_object(t)) {
      kc_req_fail_msg(r, KC_EFIELD, kc_arena_printf(&r->arena, "tasks[%zu]", i),
                      "Mỗi nhiệm vụ phải là một đối tượng JSON");
      ok = false;
      break;
    }
    ok = kc_body_fields_in(r, t, confirm_task_fields, KC_NFIELDS(confirm_task_fields), true,
                           &tasks[i], kc_arena_printf(&r->arena, "tasks[%zu].", i));
  }
  if (ok) {
    json_t *out = NULL;
    kc_err e = kc_directive_create_with_tasks(&r->ctx, &in, tasks, n, &out);
    if (e)
      kc_req_fail(r, e);
    else
      kc_req_json(r, 201, out);
  }
  json_decref(b);
}
