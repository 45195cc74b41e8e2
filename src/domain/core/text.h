/* text.h: the checks and derived forms every stored text goes through: valid UTF-8, no
 * control characters, NFC, a length cap in bytes, and the folded and collation forms used by
 * search and sorting. Wraps base/vntext for the domain layer. */
#ifndef KC_DOMAIN_TEXT_H
#define KC_DOMAIN_TEXT_H
#include "domain/core/ctx.h"
#include <stdbool.h>

/* Validates and normalises a user-supplied text field in place of *val (replaced by an
 * arena copy in NFC, trimmed of surrounding spaces). NULL or "" with required → error.
 * Errors are recorded in ctx with `label` (Vietnamese name of the field) and `field`. */
kc_err kc_text_field(kc_ctx *ctx, const char *field, const char *label, const char **val,
                     size_t max_bytes, bool required) KC_WUR;
/* Folded search form (lower-case ASCII, no diacritics, đ→d), arena-owned. */
char *kc_text_fold(kc_arena *ar, const char *s);
/* Vietnamese collation key (printable ASCII, memcmp order), arena-owned. */
char *kc_text_sortkey(kc_arena *ar, const char *s);
/* Collation key for a person's name: given name first. */
char *kc_text_sortkey_person(kc_arena *ar, const char *s);

#endif
