/* unit.h: the unit tree (city, departments, districts, communes, public service units,
 * divisions). Records are returned as JSON objects: {id, code, name, kind, parent_id, version,
 * created_at, updated_at}; the caller owns every json_t it receives. */
#ifndef KC_DOMAIN_UNIT_H
#define KC_DOMAIN_UNIT_H
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_unit_in {
  const char *code, *name, *kind; /* NULL: unchanged (updates) */
  int64_t parent_id;              /* 0: none (create: a root; only admin, only one city) */
  int64_t version;                /* updates and moves */
} kc_unit_in;

typedef struct kc_unit_filter {
  const char *q;    /* accent-insensitive search on name and code; NULL: all */
  const char *kind; /* NULL: any */
  int64_t parent_id;
  int64_t limit, offset;
} kc_unit_filter;

/* The number of units (no scope: for tools such as `kycuong init`). */
kc_err kc_unit_count(kc_conn *c, int64_t *n) KC_WUR;

/* The unit kinds, NULL-terminated. */
extern const char *const kc_unit_kinds[];
/* True for a known unit kind ("district"). */
bool kc_unit_kind_valid(const char *kind);

/* Reads one unit the actor may see; KC_ENOTFOUND otherwise. */
kc_err kc_unit_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;
/* Looks up a unit's materialised path (no scope check; for other domain modules).
 * *path is arena-owned. KC_ENOTFOUND when absent. */
kc_err kc_unit_path(kc_ctx *ctx, int64_t id, const char **path) KC_WUR;
/* Units the actor may see, filtered, ordered by kind then Vietnamese name. */
kc_err kc_unit_list(kc_ctx *ctx, const kc_unit_filter *f, json_t **items, int64_t *total) KC_WUR;
/* The visible units as a forest: each item has "children". */
kc_err kc_unit_tree(kc_ctx *ctx, json_t **roots) KC_WUR;
/* Admin only. On error nothing is written. */
kc_err kc_unit_create(kc_ctx *ctx, const kc_unit_in *in, json_t **out) KC_WUR;
kc_err kc_unit_update(kc_ctx *ctx, int64_t id, const kc_unit_in *in, json_t **out) KC_WUR;
/* Moves a unit (and its subtree) under in->parent_id. Refuses a move into its own subtree. */
kc_err kc_unit_move(kc_ctx *ctx, int64_t id, const kc_unit_in *in, json_t **out) KC_WUR;

#endif
