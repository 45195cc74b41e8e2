/* secret.h: the secrets an account issues for itself (API tokens, calendar-feed tokens): a
 * random token shown once and stored only as its SHA-256, with a label, listed without the
 * token, revoked by its owner. One kind per table; each kind declares its SQL and names. */
#ifndef KC_DOMAIN_SECRET_H
#define KC_DOMAIN_SECRET_H
#include "base/crypto.h"
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_secret_kind {
  const char *entity;    /* the audit log's entity: "api_token", "ical_token" */
  const char *label_key; /* the label's JSON member and column: "name", "scope" */
  /* INSERT (token_hash, account_id, <label>, created_at) … RETURNING id */
  const char *q_insert;
  /* SELECT id, <label>, created_at, revoked_at … WHERE account_id = ? ORDER BY id */
  const char *q_list;
  /* UPDATE … SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL */
  const char *q_revoke;
  const char *not_found; /* the Vietnamese message of a revoke that finds nothing */
} kc_secret_kind;

/* Issues a secret labelled `label` for the acting account, audited, in its own transaction.
 * token receives the secret (shown once); *rec the record {id, <label_key>} (the caller's). */
kc_err kc_secret_issue(kc_ctx *ctx, const kc_secret_kind *k, const char *label,
                       char token[KC_TOKEN_CHARS], json_t **rec) KC_WUR;
/* The acting account's secrets of kind k: [{id, <label_key>, created_at, revoked}]. */
kc_err kc_secret_list(kc_ctx *ctx, const kc_secret_kind *k, json_t **items) KC_WUR;
/* Revokes one of the acting account's secrets (KC_ENOTFOUND with k->not_found otherwise). */
kc_err kc_secret_revoke(kc_ctx *ctx, const kc_secret_kind *k, int64_t id) KC_WUR;

#endif
