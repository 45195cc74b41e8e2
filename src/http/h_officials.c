/* h_officials.c: /api/v1/officials. */
#include "domain/org/official.h"
#include "http/handlers.h"
#include "http/list.h"

static const kc_qparam official_params[] = {
    KC_QP_STR(kc_official_filter, q, 0),
    KC_QP_PAGING(kc_official_filter),
    KC_QP_ID(kc_official_filter, unit_id),
};

void kc_h_officials_list(kc_req *r)
{
  kc_official_filter f = {0};
  KC_REQ_LIST(r, official_params, f, kc_official_list);
}

void kc_h_officials_get(kc_req *r)
{
  json_t *out = NULL;
  {
    kc_err rc = kc_official_get(&r->ctx, r->id, &out);
    kc_req_answer(r, rc, 200, out);
  }
}

static const kc_field official_fields[] = {
    KC_FIELD_INT(kc_official_in, unit_id, KC_F_REQ_CREATE | KC_F_NOT_NULL, 0, 0),
    KC_FIELD_STR(kc_official_in, full_name, KC_F_REQ_CREATE | KC_F_NOT_NULL, 200),
    KC_FIELD_STR(kc_official_in, position, 0, 200),
    KC_FIELD_DATE(kc_official_in, position_since, 0),
    KC_FIELD_STR(kc_official_in, email, 0, 254),
    KC_FIELD_STR(kc_official_in, phone, 0, 32),
    KC_FIELD_VERSION(kc_official_in),
};

void kc_h_officials_create(kc_req *r)
{
  json_t *out = NULL;
  kc_official_in in = {0};
  if (kc_req_fields(r, official_fields, KC_NFIELDS(official_fields), true, &in)) {
    kc_err e = kc_official_create(&r->ctx, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_officials_update(kc_req *r)
{
  json_t *out = NULL;
  kc_official_in in = {0};
  if (kc_req_fields(r, official_fields, KC_NFIELDS(official_fields), false, &in)) {
    kc_err e = kc_official_update(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
}
