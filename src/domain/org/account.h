/* account.h: login accounts, their roles and the unit whose subtree they act in. Records are
 * JSON {id, username, role, unit_id, unit_name, official_id, disabled, version, created_at};
 * password hashes never leave this module. Admin only, except where noted. */
#ifndef KC_DOMAIN_ACCOUNT_H
#define KC_DOMAIN_ACCOUNT_H
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_account_in {
  const char *username, *password, *role; /* NULL: unchanged (update); a username never
                                           * changes (audit records name it) */
  int64_t unit_id, official_id;           /* 0: unchanged / none */
  int disabled;                           /* -1: unchanged, 0 or 1 */
  int64_t version;
} kc_account_in;

kc_err kc_account_list(kc_ctx *ctx, const char *q, int64_t limit, int64_t offset, json_t **items,
                       int64_t *total) KC_WUR;
kc_err kc_account_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;
kc_err kc_account_create(kc_ctx *ctx, const kc_account_in *in, json_t **out) KC_WUR;
kc_err kc_account_update(kc_ctx *ctx, int64_t id, const kc_account_in *in, json_t **out) KC_WUR;
/* The caller's own account with unit name and official's name (any role). */
kc_err kc_account_me(kc_ctx *ctx, json_t **out) KC_WUR;

#endif
