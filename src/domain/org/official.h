/* official.h: officials (cán bộ, công chức, viên chức) of the units. Records are JSON objects
 * {id, unit_id, unit_name, full_name, position, position_since, email, phone, version,
 * created_at, updated_at}; the caller owns each json_t it receives. */
#ifndef KC_DOMAIN_OFFICIAL_H
#define KC_DOMAIN_OFFICIAL_H
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_official_in {
  int64_t unit_id;                                                   /* 0: unchanged (update) */
  const char *full_name, *position, *position_since, *email, *phone; /* NULL: unchanged/none */
  int64_t version;
} kc_official_in;

typedef struct kc_official_filter {
  const char *q;   /* words matched by prefix, ignoring case and diacritics */
  int64_t unit_id; /* 0: all in scope; else that unit's subtree */
  int64_t limit, offset;
} kc_official_filter;

/* Officials in the actor's scope; sorted by given name in Vietnamese order. */
kc_err kc_official_list(kc_ctx *ctx, const kc_official_filter *f, json_t **items,
                        int64_t *total) KC_WUR;
/* One official in scope; KC_ENOTFOUND otherwise (ids outside scope do not leak). */
kc_err kc_official_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;
/* unit_head (own subtree) and admin. Nothing is written on error. */
kc_err kc_official_create(kc_ctx *ctx, const kc_official_in *in, json_t **out) KC_WUR;
kc_err kc_official_update(kc_ctx *ctx, int64_t id, const kc_official_in *in, json_t **out) KC_WUR;

#endif
