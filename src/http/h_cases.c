/* h_cases.c: /api/v1/case-kinds and /api/v1/cases (receiving, the list, one case with its
 * history, links and clocks, actions): parse → kc_case_* (domain/cases/case.h) → answer. */
#include "base/clock.h"
#include "domain/cases/case.h"
#include "http/handlers.h"
#include "http/list.h"
#include <string.h>

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

/* What a receipt sends: the case, with its receipt time as text. */
typedef struct {
  kc_case_in c;
  const char *received_at;
} create_in;

static const kc_field create_fields[] = {
    {.name = "kind",
     .type = KC_FT_STR,
     .flags = KC_F_REQ,
     .off = offsetof(create_in, c.kind),
     .max = 64},
    {.name = "title",
     .type = KC_FT_STR,
     .flags = KC_F_REQ,
     .off = offsetof(create_in, c.title),
     .max = 1000},
    {.name = "unit_id", .type = KC_FT_INT, .off = offsetof(create_in, c.unit_id)},
    {.name = "owner_unit_id", .type = KC_FT_INT, .off = offsetof(create_in, c.owner_unit_id)},
    {.name = "official_id", .type = KC_FT_INT, .off = offsetof(create_in, c.official_id)},
    {.name = "received_at", .type = KC_FT_STR, .off = offsetof(create_in, received_at), .max = 40},
    {.name = "note", .type = KC_FT_STR, .off = offsetof(create_in, c.note)},
    {.name = "document", .type = KC_FT_STR, .off = offsetof(create_in, c.document)},
};

void kc_h_cases_create(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  create_in in = {0};
  kc_case_link_in *links = NULL;
  json_t *fields = json_object_get(b, "fields");
  bool ok = kc_body_fields(r, b, create_fields, KC_NFIELDS(create_fields), true, &in) &&
            parse_links(r, b, &links, &in.c.nlinks);
  if (ok && fields && !json_is_null(fields) && !json_is_object(fields)) {
    kc_req_fail_msg(r, KC_EFIELD, "fields", "fields phải là một đối tượng JSON");
    ok = false;
  }
  if (ok && in.received_at && *in.received_at &&
      kc_time_parse_iso(in.received_at, &in.c.received_at) != KC_OK) {
    kc_req_fail_msg(r, KC_EFIELD, "received_at",
                    "Thời điểm tiếp nhận không hợp lệ (ISO 8601, ví dụ 2017-06-01T09:00)");
    ok = false;
  }
  if (ok) {
    in.c.fields = json_is_object(fields) ? fields : NULL;
    in.c.links = links;
    kc_err e = kc_case_create(&r->ctx, &in.c, &out);
    kc_req_answer(r, e, 201, out);
  }
  json_decref(b);
}

void kc_h_cases_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_case_get(&r->ctx, r->id, &out);
  kc_req_answer(r, e, 200, out);
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

static const kc_field act_fields[] = {
    KC_FIELD_STR(kc_case_act_in, action, KC_F_REQ, 64),
    KC_FIELD_VERSION(kc_case_act_in),
    KC_FIELD_STR(kc_case_act_in, note, 0, 0),
    KC_FIELD_STR(kc_case_act_in, document, 0, 0),
    KC_FIELD_INT(kc_case_act_in, attachment_id, 0, 0, 0),
    KC_FIELD_INT(kc_case_act_in, unit_id, 0, 0, 0),
    /* an explicit null: no official any more */
    {.name = "official_id",
     .type = KC_FT_INT,
     .off = offsetof(kc_case_act_in, official_id),
     .null_int = -1},
};

void kc_h_cases_act(kc_req *r)
{
  json_t *b, *out = NULL;
  if (!kc_body_object(r, &b))
    return;
  kc_case_act_in in = {0};
  kc_case_link_in *links = NULL;
  if (kc_body_fields(r, b, act_fields, KC_NFIELDS(act_fields), false, &in) &&
      parse_links(r, b, &links, &in.nlinks)) {
    in.links = links;
    kc_err e = kc_case_act(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
  json_decref(b);
}
