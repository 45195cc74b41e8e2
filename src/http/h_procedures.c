/* h_procedures.c: /api/v1/procedures (the catalog, its import and export), the public
 * catalog under /api/v1/public/procedures, and /api/v1/onestop/rules. */
#include "domain/onestop/onestop.h"
#include "domain/onestop/procedure.h"
#include "http/handlers.h"
#include "http/list.h"
#include "report/procedure_csv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kc_qparam procedure_params[] = {
    KC_QP_STR(kc_procedure_filter, q, KC_QP_EMPTY_NULL),
    KC_QP_STR(kc_procedure_filter, field, KC_QP_EMPTY_NULL),
    KC_QP_STR(kc_procedure_filter, level, KC_QP_EMPTY_NULL),
    KC_QP_ID(kc_procedure_filter, unit_id),
    KC_QP_PAGING(kc_procedure_filter),
};

static void list(kc_req *r, bool public_only)
{
  kc_procedure_filter f = {.public_only = public_only};
  KC_REQ_LIST(r, procedure_params, f, kc_procedure_list);
}

void kc_h_procedures_list(kc_req *r)
{
  list(r, false);
}

void kc_h_public_procedures_list(kc_req *r)
{
  list(r, true);
}

static void fields(kc_req *r, bool public_only)
{
  json_t *items;
  kc_err e = kc_procedure_fields(&r->ctx, public_only, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

void kc_h_procedures_fields(kc_req *r)
{
  fields(r, false);
}

void kc_h_public_procedures_fields(kc_req *r)
{
  fields(r, true);
}

void kc_h_procedures_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_procedure_get(&r->ctx, r->id, false, &out);
  kc_req_answer(r, e, 200, out);
}

void kc_h_public_procedures_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_procedure_get(&r->ctx, r->id, true, &out);
  kc_req_answer(r, e, 200, out);
}

void kc_h_procedures_create(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_procedure_in in;
  kc_err e = kc_procedure_in_from_json(&r->ctx, b, true, &in);
  json_decref(b);
  if (!e)
    e = kc_procedure_create(&r->ctx, &in, &out);
  kc_req_answer(r, e, 201, out);
}

void kc_h_procedures_update(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_procedure_in in;
  kc_err e = kc_procedure_in_from_json(&r->ctx, b, false, &in);
  json_decref(b);
  if (!e)
    e = kc_procedure_update(&r->ctx, r->id, &in, &out);
  kc_req_answer(r, e, 200, out);
}

/* A JSON array of records, or the CSV the export writes (Content-Type text/csv). */
void kc_h_procedures_import(kc_req *r)
{
  const char *ct = kc_req_header(r, "Content-Type");
  json_t *arr = NULL;
  if (ct && !strncmp(ct, "text/csv", 8)) {
    char err[300];
    if (kc_procedures_from_csv(r->body ? r->body : "", r->body_len, &arr, err, sizeof err)) {
      kc_req_fail_msg(r, KC_EFIELD, NULL, kc_arena_strdup(&r->arena, err));
      return;
    }
  } else {
    json_error_t jerr;
    arr = json_loadb(r->body ? r->body : "", r->body_len, 0, &jerr);
    if (!json_is_array(arr)) {
      json_decref(arr);
      kc_req_fail_msg(r, KC_EBADREQ, NULL,
                      "Dữ liệu nhập phải là một mảng JSON các thủ tục hoặc tệp CSV (text/csv)");
      return;
    }
  }
  int created = 0, updated = 0;
  kc_err e = kc_procedure_import(&r->ctx, arr, &created, &updated);
  json_decref(arr);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, 200, json_pack("{si si}", "created", created, "updated", updated));
}

void kc_h_procedures_export(kc_req *r)
{
  bool bad = false;
  const char *fmt = kc_req_query(r, "format", &bad);
  if (bad)
    return;
  if (!fmt || !*fmt)
    fmt = "json";
  if (strcmp(fmt, "json") && strcmp(fmt, "csv")) {
    kc_req_fail_msg(r, KC_EFIELD, "format", "Định dạng xuất phải là json hoặc csv");
    return;
  }
  json_t *arr;
  kc_err e = kc_procedure_export(&r->ctx, &arr);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  if (!strcmp(fmt, "json")) {
    kc_req_json(r, 200, arr);
  } else {
    char *data = NULL;
    size_t len = 0;
    if (kc_procedures_to_csv(arr, &data, &len)) {
      json_decref(arr);
      kc_req_fail_msg(r, KC_EINTERNAL, NULL, "Không tạo được tệp CSV");
      return;
    }
    json_decref(arr);
    r->status = 200;
    r->resp = kc_arena_strndup(&r->arena, data, len);
    r->resp_len = len;
    r->content_type = "text/csv; charset=utf-8";
    free(data);
  }
  kc_req_add_header(r, "Content-Disposition",
                    kc_arena_printf(&r->arena, "attachment; filename=\"thu-tuc.%s\"", fmt));
}

void kc_h_onestop_rules(kc_req *r)
{
  json_t *items;
  kc_err e = kc_onestop_rules_list(&r->ctx, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

/* ---- form files of the components ---- */

/* POST /procedures/:id/form?component=N&filename=F: the body is the file. */
void kc_h_procedures_form_set(kc_req *r)
{
  bool bad = false;
  int64_t index;
  const char *name = kc_req_query(r, "filename", &bad);
  if (bad || !kc_req_query_int(r, "component", 1, 1000, 0, &index))
    return;
  if (!index) {
    kc_req_fail_msg(r, KC_EFIELD, "component", "Thiếu số thứ tự giấy tờ (component, từ 1)");
    return;
  }
  json_t *out = NULL;
  kc_err e = kc_procedure_set_form(&r->ctx, r->cfg->files_dir, r->id, index - 1, name,
                                   kc_req_header(r, "Content-Type"), r->body, r->body_len, &out);
  kc_req_answer(r, e, 200, out);
}

static void form_get(kc_req *r, bool public_only)
{
  int64_t index;
  if (!kc_req_query_int(r, "component", 1, 1000, 1, &index))
    return;
  json_t *f = NULL;
  const char *path = NULL;
  kc_err e =
      kc_procedure_form(&r->ctx, r->cfg->files_dir, r->id, index - 1, public_only, &f, &path);
  if (e) {
    kc_req_fail(r, e);
    return;
  }
  const char *fallback =
      kc_arena_printf(&r->arena, "mau-%lld-%lld", (long long)r->id, (long long)index);
  kc_req_send_file(r, path, json_string_value(json_object_get(f, "filename")), fallback,
                   json_string_value(json_object_get(f, "content_type")));
  json_decref(f);
}

void kc_h_procedures_form_get(kc_req *r)
{
  form_get(r, false);
}

void kc_h_public_procedures_form_get(kc_req *r)
{
  form_get(r, true);
}
