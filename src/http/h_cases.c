/* h_cases.c: /api/v1/case-kinds and /api/v1/cases (receiving, the list, one case with its
 * history, links and clocks, actions): parse → kc_case_* (domain/cases/case.h) → answer. */
#include "base/clock.h"
#include "domain/cases/case.h"
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

void kc_h_case_kinds_list(kc_req *r)
{
  json_t *items = NULL;
  kc_err e = kc_case_kinds_list(&r->ctx, &items);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, (int64_t)json_array_size(items));
}

/* links: [{kind, id, note?}] into an arena array. */
static bool parse_links(kc_req *r, json_t *b, kc_case_link_in **out, size_t *n)
{
  json_t *v = json_object_get(b, "links");
  *out = NULL;
  *n = 0;
  if (!v || json_is_null(v))
    return true;
  if (!json_is_array(v) || json_array_size(v) > KC_CASE_MAX_LINKS) {
    kc_req_fail_msg(r, KC_EFIELD, "links",
                    kc_arena_printf(&r->arena, "links phải là mảng tối đa %d liên kết {kind, id}",
                                    KC_CASE_MAX_LINKS));
    return false;
  }
  kc_case_link_in *l = kc_arena_zalloc(&r->arena, (json_array_size(v) + 1) * sizeof *l);
  size_t i;
  json_t *x;
  json_array_foreach(v, i, x)
  {
    json_t *id = json_object_get(x, "id"), *note = json_object_get(x, "note");
    if (!json_is_object(x) || !json_is_string(json_object_get(x, "kind")) || !json_is_integer(id) ||
        (note && !json_is_null(note) && !json_is_string(note))) {
      kc_req_fail_msg(
          r, KC_EFIELD, "links",
          kc_arena_printf(&r->arena, "Liên kết thứ %zu phải có dạng {kind, id, note}", i + 1));
      return false;
    }
    l[i].kind = json_string_value(json_object_get(x, "kind"));
    l[i].id = json_integer_value(id);
    l[i].note = json_string_value(note);
  }
  *out = l;
  *n = json_array_size(v);
  return true;
}

void kc_h_cases_create(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_case_in in = {0};
  kc_case_link_in *links = NULL;
  const char *received = NULL;
  json_t *fields = json_object_get(b, "fields");
  bool ok =
      kc_body_str(r, b, "kind", true, &in.kind) && kc_body_str(r, b, "title", true, &in.title) &&
      kc_body_int(r, b, "unit_id", false, &in.unit_id) &&
      kc_body_int(r, b, "owner_unit_id", false, &in.owner_unit_id) &&
      kc_body_int(r, b, "official_id", false, &in.official_id) &&
      kc_body_str(r, b, "received_at", false, &received) &&
      kc_body_str(r, b, "note", false, &in.note) &&
      kc_body_str(r, b, "document", false, &in.document) && parse_links(r, b, &links, &in.nlinks);
  if (ok && fields && !json_is_null(fields) && !json_is_object(fields)) {
    kc_req_fail_msg(r, KC_EFIELD, "fields", "fields phải là một đối tượng JSON");
    ok = false;
  }
  if (ok && received && kc_time_parse_iso(received, &in.received_at) != KC_OK) {
    kc_req_fail_msg(r, KC_EFIELD, "received_at",
                    "Thời điểm tiếp nhận không hợp lệ (ISO 8601, ví dụ 2017-06-01T09:00)");
    ok = false;
  }
  if (ok) {
    in.fields = json_is_object(fields) ? fields : NULL;
    in.links = links;
    kc_err e = kc_case_create(&r->ctx, &in, &out);
    answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_cases_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_case_get(&r->ctx, r->id, &out);
  answer(r, e, 200, out);
}

static const kc_qparam case_params[] = {
    KC_QP_STR(kc_case_filter, kind, KC_QP_EMPTY_NULL),
    KC_QP_STR(kc_case_filter, state, KC_QP_EMPTY_NULL),
    KC_QP_STR(kc_case_filter, q, KC_QP_EMPTY_NULL),
    KC_QP_ID(kc_case_filter, unit_id),
    KC_QP_ID(kc_case_filter, official_id),
    KC_QP_TRI(kc_case_filter, overdue),
    KC_QP_BOOL(kc_case_filter, due_soon),
    KC_QP_BOOL(kc_case_filter, open),
    KC_QP_BOOL(kc_case_filter, mine),
    KC_QP_PAGING(kc_case_filter),
};

void kc_h_cases_list(kc_req *r)
{
  kc_case_filter f = {0};
  KC_REQ_LIST(r, case_params, f, kc_case_list);
}

void kc_h_cases_act(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_case_act_in in = {0};
  kc_case_link_in *links = NULL;
  json_t *official = json_object_get(b, "official_id");
  bool ok = kc_body_str(r, b, "action", true, &in.action) &&
            kc_body_int(r, b, "version", true, &in.version) &&
            kc_body_str(r, b, "note", false, &in.note) &&
            kc_body_str(r, b, "document", false, &in.document) &&
            kc_body_int(r, b, "attachment_id", false, &in.attachment_id) &&
            kc_body_int(r, b, "unit_id", false, &in.unit_id) &&
            kc_body_int(r, b, "official_id", false, &in.official_id) &&
            parse_links(r, b, &links, &in.nlinks);
  if (ok) {
    if (official && json_is_null(official)) /* an explicit null: no official any more */
      in.official_id = -1;
    in.links = links;
    kc_err e = kc_case_act(&r->ctx, r->id, &in, &out);
    answer(r, e, 200, out);
  }
  json_decref(b);
}
