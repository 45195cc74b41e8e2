/* ical_token.h: revocable tokens behind the iCalendar feeds of deadlines. A token reads, as
 * its account, the open tasks of the account's unit subtree ("unit") or those assigned to the
 * account's official ("user"; the unit's when the account has no official). The secret is
 * shown once and stored hashed. */
#ifndef KC_DOMAIN_ICAL_TOKEN_H
#define KC_DOMAIN_ICAL_TOKEN_H
#include "domain/core/ctx.h"
#include <jansson.h>

kc_err kc_ical_token_create(kc_ctx *ctx, const char *scope, json_t **out) KC_WUR;
kc_err kc_ical_token_list(kc_ctx *ctx, json_t **items) KC_WUR;
kc_err kc_ical_token_revoke(kc_ctx *ctx, int64_t id) KC_WUR;
/* The tasks of a feed and its name (arena-owned). Not found for an unknown or revoked
 * token (KC_ENOTFOUND). */
kc_err kc_ical_feed(kc_ctx *ctx, const char *token, json_t **tasks, const char **name) KC_WUR;

#endif
