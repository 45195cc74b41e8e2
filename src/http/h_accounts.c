/* h_accounts.c: /api/v1/accounts (admin) and /api/v1/audit (supervisor, admin). */
#include "domain/org/account.h"
#include "domain/org/audit.h"
#include "http/handlers.h"
#include "http/list.h"

static void answer(kc_req *r, kc_err e, int status, json_t *out)
{
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_json(r, status, out);
}

void kc_h_accounts_list(kc_req *r)
{
  kc_req_qpage_list(r, kc_account_list);
}

void kc_h_accounts_get(kc_req *r)
{
  json_t *out = NULL;
  {
    kc_err rc = kc_account_get(&r->ctx, r->id, &out);
    answer(r, rc, 200, out);
  }
}

static bool parse(kc_req *r, json_t *b, kc_account_in *in, bool create)
{
  in->disabled = -1;
  return kc_body_str(r, b, "username", create, &in->username) &&
         kc_body_str(r, b, "password", create, &in->password) &&
         kc_body_str(r, b, "role", create, &in->role) &&
         kc_body_int(r, b, "unit_id", create, &in->unit_id) &&
         kc_body_int(r, b, "official_id", false, &in->official_id) &&
         kc_body_bool(r, b, "disabled", &in->disabled) &&
         kc_body_int(r, b, "version", !create, &in->version);
}

void kc_h_accounts_create(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_account_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse(r, b, &in, true)) {
    kc_err rc = kc_account_create(&r->ctx, &in, &out);
    answer(r, rc, 201, out);
  }
  json_decref(b);
}

void kc_h_accounts_update(kc_req *r)
{
  json_t *b, *out = NULL;
  kc_account_in in = {0};
  if (!kc_body_object(r, &b))
    return;
  if (parse(r, b, &in, false)) {
    kc_err rc = kc_account_update(&r->ctx, r->id, &in, &out); /* refuses a username change */
    answer(r, rc, 200, out);
  }
  json_decref(b);
}

static const kc_qparam audit_params[] = {
    KC_QP_STR(kc_audit_filter, entity, 0),
    KC_QP_PAGING(kc_audit_filter),
    KC_QP_ID(kc_audit_filter, entity_id),
};

void kc_h_audit_list(kc_req *r)
{
  kc_audit_filter f = {0};
  KC_REQ_LIST(r, audit_params, f, kc_audit_list);
}
