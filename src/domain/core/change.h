/* change.h: what an update changes. An update compares what it was given with the row it
 * loaded, and when nothing differs it writes nothing: no new version, no audit record, the
 * unchanged record as the answer (docs/internals/domain.md, "Writes"). */
#ifndef KC_DOMAIN_CHANGE_H
#define KC_DOMAIN_CHANGE_H
#include "base/mem.h"
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

#endif
