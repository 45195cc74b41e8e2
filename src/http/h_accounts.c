/* h_accounts.c: /api/v1/accounts (admin) and /api/v1/audit (supervisor, admin). */
#include "domain/org/account.h"
#include "domain/org/audit.h"
#include "http/handlers.h"

void kc_h_accounts_list(kc_req *r)
{
  int64_t limit, offset, total = 0;
  bool bad = false;
  const char *q = kc_req_query(r, "q", &bad);
  if (bad || !kc_req_paging(r, &limit, &offset))
    return;
  json_t *items;
  kc_err e = kc_account_list(&r->ctx, q, limit, offset, &items, &total);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, total);
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

void kc_h_audit_list(kc_req *r)
{
  kc_audit_filter f = {0};
  bool bad = false;
  f.entity = kc_req_query(r, "entity", &bad);
  if (bad || !kc_req_paging(r, &f.limit, &f.offset) ||
      !kc_req_query_int(r, "entity_id", 0, INT64_MAX, 0, &f.entity_id))
    return;
  json_t *items;
  int64_t total = 0;
  kc_err e = kc_audit_list(&r->ctx, &f, &items, &total);
  if (e)
    kc_req_fail(r, e);
  else
    kc_req_list(r, items, total);
}
