/* h_units.c: /api/v1/units. */
#include "domain/org/unit.h"
#include "http/handlers.h"
#include "http/list.h"

static void answer(kc_req *r, kc_err e, int status, json_t *out)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, status, out);
}

static const kc_qparam unit_params[] = {
    KC_QP_STR(kc_unit_filter, q, 0),
    KC_QP_STR(kc_unit_filter, kind, 0),
    KC_QP_PAGING(kc_unit_filter),
    KC_QP_ID(kc_unit_filter, parent_id),
};

void kc_h_units_list(kc_req *r)
{
  kc_unit_filter f = {0};
  KC_REQ_LIST(r, unit_params, f, kc_unit_list);
}

void kc_h_units_tree(kc_req *r)
{
  json_t *roots;
  kc_err e = kc_unit_tree(&r->ctx, &roots);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, 200, json_pack("{so}", "items", roots));
}

void kc_h_units_get(kc_req *r)
{
  json_t *out = NULL;
  kc_err e = kc_unit_get(&r->ctx, r->id, &out);
  answer(r, e, 200, out);
}

static bool parse(kc_req *r, json_t *b, kc_unit_in *in, bool create)
{
  return kc_body_not_null(r, b, "code") && kc_body_not_null(r, b, "name") &&
         kc_body_not_null(r, b, "kind") && kc_body_str(r, b, "code", create, &in->code) &&
         kc_body_str(r, b, "name", create, &in->name) &&
         kc_body_str(r, b, "kind", create, &in->kind) &&
         kc_body_int(r, b, "parent_id", false, &in->parent_id) &&
         kc_body_int(r, b, "version", !create, &in->version);
}

void kc_h_units_create(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_unit_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse(r, b, &in, true)) {
    kc_err rc = kc_unit_create(&r->ctx, &in, &out);
    answer(r, rc, 201, out);
  }
  json_decref(b);
}

void kc_h_units_update(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_unit_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse(r, b, &in, false)) {
    kc_err rc = kc_unit_update(&r->ctx, r->id, &in, &out);
    answer(r, rc, 200, out);
  }
  json_decref(b);
}

void kc_h_units_move(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_unit_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (kc_body_int(r, b, "parent_id", true, &in.parent_id) &&
      kc_body_int(r, b, "version", true, &in.version)) {
    kc_err rc = kc_unit_move(&r->ctx, r->id, &in, &out);
    answer(r, rc, 200, out);
  }
  json_decref(b);
}
