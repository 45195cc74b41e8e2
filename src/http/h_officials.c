/* h_officials.c: /api/v1/officials. */
#include "domain/org/official.h"
#include "http/handlers.h"
#include "http/list.h"

static void answer(kc_req *r, kc_err e, int status, json_t *out)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, status, out);
}

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
    answer(r, rc, 200, out);
  }
}

static bool parse(kc_req *r, json_t *b, kc_official_in *in, bool create)
{
  return kc_body_not_null(r, b, "unit_id") && kc_body_not_null(r, b, "full_name") &&
         kc_body_int(r, b, "unit_id", create, &in->unit_id) &&
         kc_body_str(r, b, "full_name", create, &in->full_name) &&
         kc_body_str(r, b, "position", false, &in->position) &&
         kc_body_str(r, b, "position_since", false, &in->position_since) &&
         kc_body_str(r, b, "email", false, &in->email) &&
         kc_body_str(r, b, "phone", false, &in->phone) &&
         kc_body_int(r, b, "version", !create, &in->version);
}

void kc_h_officials_create(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_official_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse(r, b, &in, true)) {
    kc_err rc = kc_official_create(&r->ctx, &in, &out);
    answer(r, rc, 201, out);
  }
  json_decref(b);
}

void kc_h_officials_update(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_official_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse(r, b, &in, false)) {
    kc_err rc = kc_official_update(&r->ctx, r->id, &in, &out);
    answer(r, rc, 200, out);
  }
  json_decref(b);
}
