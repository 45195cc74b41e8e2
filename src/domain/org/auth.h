/* auth.h: logging in and out, sessions, API tokens, login throttling. Secrets (session
 * tokens, API tokens) are returned once to the caller and stored only as SHA-256 hashes. */
#ifndef KC_DOMAIN_AUTH_H
#define KC_DOMAIN_AUTH_H
#include "base/crypto.h"
#include "domain/core/ctx.h"
#include <jansson.h>

/* Throttling windows: more failures than these within KC_LOGIN_WINDOW seconds refuse
 * further attempts (even correct ones) with KC_ETHROTTLE until the window passes. */
#define KC_LOGIN_WINDOW (15 * 60)
#define KC_LOGIN_MAX_PER_USER 5
#define KC_LOGIN_MAX_PER_ADDR 20

typedef struct kc_login_out {
  char token[KC_TOKEN_CHARS]; /* the session secret for the cookie */
  char csrf[KC_TOKEN_CHARS];
  int64_t expires_at;
  json_t *account; /* as kc_account_me; caller owns */
} kc_login_out;

/* Checks the password and opens a session lasting `hours`. Wrong username or password →
 * KC_EAUTH with the same message either way; throttled → KC_ETHROTTLE with
 * ctx->retry_after set. Every attempt is recorded. */
kc_err kc_auth_login(kc_ctx *ctx, const char *username, const char *password, const char *addr,
                     int hours, kc_login_out *out) KC_WUR;

/* Resolves a session token to its actor (arena-allocated strings) and CSRF token.
 * KC_EAUTH when unknown, expired, revoked or the account is disabled. */
kc_err kc_auth_session(kc_ctx *ctx, const char *token, kc_actor *actor, const char **csrf) KC_WUR;
/* Resolves an API bearer token. KC_EAUTH when unknown, revoked or disabled. */
kc_err kc_auth_bearer(kc_ctx *ctx, const char *token, kc_actor *actor) KC_WUR;
/* Resolves a calendar-feed token to its account's actor, the feed's scope ("user" or "unit")
 * and the account's unit name. KC_EAUTH when unknown, revoked or disabled. */
kc_err kc_auth_ical(kc_ctx *ctx, const char *token, kc_actor *actor, const char **scope,
                    const char **unit_name) KC_WUR;
/* Revokes the actor's current session. */
kc_err kc_auth_logout(kc_ctx *ctx) KC_WUR;

/* API tokens of the acting account. */
kc_err kc_token_create(kc_ctx *ctx, const char *name, json_t **out) KC_WUR;
kc_err kc_token_list(kc_ctx *ctx, json_t **items, int64_t *total) KC_WUR;
kc_err kc_token_revoke(kc_ctx *ctx, int64_t id) KC_WUR;

#endif
