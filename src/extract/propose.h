/* propose.h: the directive reader against the server's own registry: reads a text, resolves
 * names against the units and unit groups in the database, and answers the proposal the
 * review screen shows (docs/api.md, "Directive reader"). Uses the domain; never HTTP. */
#ifndef KC_EXTRACT_PROPOSE_H
#define KC_EXTRACT_PROPOSE_H
#include "domain/core/ctx.h"
#include <jansson.h>

/* Proposes the tasks of `text` (len bytes). Leaders, supervisors, admins and unit heads
 * only. *out (yours) is {text, issued_on, number, title, tasks:[…]}; offsets are bytes of
 * the normalised text. Bad input (not UTF-8, control characters) → KC_EFIELD on "text". */
kc_err kc_extract_propose(kc_ctx *ctx, const char *text, size_t len, json_t **out) KC_WUR;

#endif
