/* h_units.c: /api/v1/units. */
#include "domain/org/unit.h"
#include "http/handlers.h"
#include "http/list.h"

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
  kc_req_answer(r, e, 200, out);
}

static const kc_field unit_fields[] = {
    KC_FIELD_STR(kc_unit_in, code, KC_F_REQ_CREATE | KC_F_NOT_NULL, 64),
    KC_FIELD_STR(kc_unit_in, name, KC_F_REQ_CREATE | KC_F_NOT_NULL, 300),
    KC_FIELD_ENUM(kc_unit_in, kind, KC_F_REQ_CREATE | KC_F_NOT_NULL, kc_unit_kinds),
    KC_FIELD_INT(kc_unit_in, parent_id, 0, 0, 0),
    KC_FIELD_VERSION(kc_unit_in),
};

static const kc_field move_fields[] = {
    KC_FIELD_INT(kc_unit_in, parent_id, KC_F_REQ, 0, 0),
    KC_FIELD_INT(kc_unit_in, version, KC_F_REQ, 0, 0),
};

void kc_h_units_create(kc_req *r)
{
  json_t *out = NULL;
  kc_unit_in in = {0};
  if (kc_req_fields(r, unit_fields, KC_NFIELDS(unit_fields), true, &in)) {
    kc_err e = kc_unit_create(&r->ctx, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_units_update(kc_req *r)
{
  json_t *out = NULL;
  kc_unit_in in = {0};
  if (kc_req_fields(r, unit_fields, KC_NFIELDS(unit_fields), false, &in)) {
    kc_err e = kc_unit_update(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
}

void kc_h_units_move(kc_req *r)
{
  json_t *out = NULL;
  kc_unit_in in = {0};
  if (kc_req_fields(r, move_fields, KC_NFIELDS(move_fields), false, &in)) {
    kc_err e = kc_unit_move(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
}
