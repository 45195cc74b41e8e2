/* change.h: what an update changes. An update compares what it was given with the row it
 * loaded, and when nothing differs it writes nothing: no new version, no audit record, the
 * unchanged record as the answer (docs/internals/domain.md, "Writes"). */
#ifndef KC_DOMAIN_CHANGE_H
#define KC_DOMAIN_CHANGE_H
#include "base/mem.h"
#include "domain/core/ctx.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the text `given` would change row[key]: NULL (absent: unchanged) never does; ""
 * equals a stored null or "" (that is how a cleared optional text is kept). This function
 * can't fail. */
bool kc_change_text(const json_t *row, const char *key, const char *given);
/* True when the integer `given` would change row[key] (an integer, a boolean as 0/1, or null
 * as 0); `given == keep` means absent, which never changes it. This function can't fail. */
bool kc_change_int(const json_t *row, const char *key, int64_t given, int64_t keep);

/* True when the ids `given` (any order, repeats allowed) are not the set of the JSON array of
 * integers `stored`: a list of members or support units given again. Scratch space comes
 * from ar. This function can't fail. */
bool kc_change_ids(kc_arena *ar, const json_t *stored, const int64_t *given, size_t n);
/* True when two forms of a record differ in more than their version and update time: for
 * an update that can only tell once it has written (the procedure catalog's nested lists).
 * This function can't fail. */
bool kc_change_record(const json_t *before, const json_t *after);

/* The end of a change made inside kc_tx_begin: when e is KC_OK, its audit record (`before`
 * → `after`, neither consumed) is written; the transaction then ends (commit, or rollback on
 * any error, e included); on success `after` becomes *out, otherwise it is freed. Returns
 * the change's outcome. */
kc_err kc_change_end(kc_ctx *ctx, kc_err e, const char *action, const char *entity,
                     int64_t entity_id, json_t *before, json_t *after, json_t **out) KC_WUR;

#endif
