/* h_accounts.c: /api/v1/accounts (admin) and /api/v1/audit (supervisor, admin). */
#include "domain/org/account.h"
#include "domain/org/audit.h"
#include "http/handlers.h"
#include "http/list.h"

void kc_h_accounts_list(kc_req *r)
{
  kc_req_qpage_list(r, kc_account_list);
}

void kc_h_accounts_get(kc_req *r)
{
  json_t *out = NULL;
  {
    kc_err rc = kc_account_get(&r->ctx, r->id, &out);
    kc_req_answer(r, rc, 200, out);
  }
}

static const kc_field account_fields[] = {
    KC_FIELD_STR(kc_account_in, username, KC_F_REQ_CREATE, 64),
    KC_FIELD_STR(kc_account_in, password, KC_F_REQ_CREATE | KC_F_RAW, 200),
    KC_FIELD_STR(kc_account_in, role, KC_F_REQ_CREATE, 32),
    KC_FIELD_INT(kc_account_in, unit_id, KC_F_REQ_CREATE, 0, 0),
    KC_FIELD_INT(kc_account_in, official_id, 0, 0, 0),
    KC_FIELD_BOOL(kc_account_in, disabled, 0),
    KC_FIELD_VERSION(kc_account_in),
};

void kc_h_accounts_create(kc_req *r)
{
  json_t *out = NULL;
  kc_account_in in = {.disabled = -1};
  if (kc_req_fields(r, account_fields, KC_NFIELDS(account_fields), true, &in)) {
    kc_err e = kc_account_create(&r->ctx, &in, &out);
    kc_req_answer(r, e, 201, out);
  }
}

void kc_h_accounts_update(kc_req *r)
{
  json_t *out = NULL;
  kc_account_in in = {.disabled = -1};
  /* the domain refuses a username change */
  if (kc_req_fields(r, account_fields, KC_NFIELDS(account_fields), false, &in)) {
    kc_err e = kc_account_update(&r->ctx, r->id, &in, &out);
    kc_req_answer(r, e, 200, out);
  }
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
