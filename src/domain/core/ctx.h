/* ctx.h: what every domain function receives: the store connection, the clock, the acting
 * account and an arena, and where it leaves the user-facing message when it fails. */
#ifndef KC_DOMAIN_CTX_H
#define KC_DOMAIN_CTX_H
#include "base/config.h"
#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
  KC_ROLE_PUBLIC,
  KC_ROLE_OFFICER,
  KC_ROLE_DESK,
  KC_ROLE_UNIT_HEAD,
  KC_ROLE_SUPERVISOR,
  KC_ROLE_LEADER,
  KC_ROLE_ADMIN,
  KC_ROLE__COUNT
} kc_role;

/* "officer" → KC_ROLE_OFFICER; -1 when unknown. */
int kc_role_parse(const char *s);
const char *kc_role_name(kc_role r);
/* The Vietnamese name of a role, as the web shows it ("Trưởng đơn vị"). */
const char *kc_role_label(kc_role r);
/* Roles whose scope is the whole city rather than their unit's subtree. */
bool kc_role_citywide(kc_role r);

/* The account a request acts as. unit_path is its unit's materialised path ("/1/24/"). */
typedef struct kc_actor {
  int64_t account_id;
  const char *username;
  kc_role role;
  int64_t unit_id;
  const char *unit_path;
  int64_t official_id; /* 0 when none */
  int64_t session_id;  /* 0 for API tokens and the system */
} kc_actor;

struct kc_workcal_cache;

typedef struct kc_ctx {
  kc_conn *conn;
  kc_arena *arena;
  int64_t now;
  const kc_actor *actor; /* NULL: the system itself (init, migrations, scheduler) */
  /* For what records derive from settings and the working-day calendar (a task's due_soon):
   * the process's configuration (NULL: built-in defaults) and calendar cache (NULL: a
   * calendar is built for each use, a few milliseconds: fine for tests, not for servers). */
  const kc_config *cfg;
  struct kc_workcal_cache *workcal;
  /* Set by kc_ctx_fail: a Vietnamese message for the user and the offending field. */
  kc_err err;
  const char *err_message;
  const char *err_field;
  int retry_after; /* seconds, for KC_ETHROTTLE */
  int tx_depth;    /* > 0 inside kc_tx_outer: inner writes join the outer transaction */
} kc_ctx;

/* Records a failure with a Vietnamese message (printf format) and optional field name;
 * returns code so callers can `return kc_ctx_fail(...)`. Strings are copied to the arena. */
kc_err kc_ctx_fail(kc_ctx *ctx, kc_err code, const char *field, const char *fmt, ...)
    KC_PRINTF(4, 5);
/* Records a failure with the code's default message, unless one is already recorded for
 * the same code. Returns code. */
kc_err kc_ctx_code(kc_ctx *ctx, kc_err code);

/* True when the actor's scope covers a unit with the given path. */
bool kc_scope_covers(const kc_actor *a, const char *unit_path);
/* The [lo, hi) range of paths inside the subtree whose root has path `path`. */
void kc_path_range(kc_arena *ar, const char *path, const char **lo, const char **hi);

/* Runs a write: begins an IMMEDIATE transaction; kc_tx_end commits when rc is KC_OK and
 * rolls back otherwise, returning the final code. */
kc_err kc_tx_begin(kc_ctx *ctx) KC_WUR;
kc_err kc_tx_end(kc_ctx *ctx, kc_err rc) KC_WUR;
/* Rolls back the transaction kc_tx_begin started, for a change that turned out, once
 * written, to change nothing; KC_OK. Not inside an outer transaction (it cannot be undone
 * in part). This function can't fail. */
kc_err kc_tx_discard(kc_ctx *ctx);
/* Groups several domain writes into one transaction: between kc_tx_outer_begin and
 * kc_tx_outer_end, kc_tx_begin/kc_tx_end join it instead of committing, and one failure
 * rolls everything back. An outer transaction begun inside another joins it too. */
kc_err kc_tx_outer_begin(kc_ctx *ctx) KC_WUR;
kc_err kc_tx_outer_end(kc_ctx *ctx, kc_err rc) KC_WUR;

#endif
