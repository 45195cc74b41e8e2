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

/* Reads one member of tasks[i], answering 400 with the member named "tasks[i].key". */
static bool task_str(kc_req *r, json_t *t, size_t i, const char *key, const char **out)
{
  json_t *v = json_object_get(t, key);
  *out = NULL;
  if (!v || json_is_null(v))
    return true;
  if (json_is_string(v)) {
    *out = kc_arena_strdup(&r->arena, json_string_value(v));
    return true;
  }
  const char *f = kc_arena_printf(&r->arena, "tasks[%zu].%s", i, key);
  kc_req_fail_msg(r, KC_EFIELD, f, kc_arena_printf(&r->arena, "Trường %s phải là chuỗi ký tự", f));
  return false;
}

static bool task_int(kc_req *r, json_t *t, size_t i, const char *key, int64_t *out)
{
  json_t *v = json_object_get(t, key);
  *out = 0;
  if (!v || json_is_null(v))
    return true;
  if (json_is_integer(v) && json_integer_value(v) > 0) {
    *out = json_integer_value(v);
    return true;
  }
  const char *f = kc_arena_printf(&r->arena, "tasks[%zu].%s", i, key);
  kc_req_fail_msg(r, KC_EFIELD, f,
                  kc_arena_printf(&r->arena, "Trường %s phải là số nguyên dương", f));
  return false;
}

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
    kc_task_in *x = &tasks[i];
    ok = task_int(r, t, i, "lead_unit_id", &x->lead_unit_id) &&
         task_int(r, t, i, "group_id", &x->group_id) && task_str(r, t, i, "title", &x->title) &&
         task_str(r, t, i, "due_date", &x->due_date) &&
         task_str(r, t, i, "recurrence", &x->recurrence) &&
         task_str(r, t, i, "section", &x->section) && task_str(r, t, i, "content", &x->content);
    json_t *sup = json_object_get(t, "support_unit_ids");
    if (ok && json_is_array(sup)) {
      size_t m = json_array_size(sup);
      int64_t *ids = kc_arena_zalloc(&r->arena, (m ? m : 1) * sizeof *ids);
      for (size_t k = 0; ok && k < m; k++) {
        json_t *v = json_array_get(sup, k);
        ok = json_is_integer(v) && json_integer_value(v) > 0 && m <= KC_TASK_MAX_SUPPORT;
        if (ok)
          ids[k] = json_integer_value(v);
        else
          kc_req_fail_msg(r, KC_EFIELD,
                          kc_arena_printf(&r->arena, "tasks[%zu].support_unit_ids", i),
                          "Đơn vị phối hợp phải là mảng số nguyên dương (tối đa 64)");
      }
      x->support_unit_ids = ids;
      x->n_support = m;
    }
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
