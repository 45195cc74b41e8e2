/* h_officials.c: /api/v1/officials. */
#include "domain/org/official.h"
#include "http/handlers.h"

void kc_h_officials_list(kc_req *r)
{
  kc_official_filter f = {0};
  bool bad = false;
  f.q = kc_req_query(r, "q", &bad);
  if (bad || !kc_req_paging(r, &f.limit, &f.offset) ||
      !kc_req_query_int(r, "unit_id", 0, INT64_MAX, 0, &f.unit_id))
    return;
  json_t *items;
  int64_t total = 0;
  kc_err e = kc_official_list(&r->ctx, &f, &items, &total);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, total);
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
