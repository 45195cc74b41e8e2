/* home.h: "Việc của tôi", what is due for the acting account, with counts: the tasks of its
 * unit (or of the city for city-wide roles), the one-stop dossiers in its scope, the cases
 * its unit handles (or every case for city-wide roles), the unread reminders of its inbox. Each
 * section names the web page (a hash route with its filters) whose list shows exactly the items
 * counted, so a count and the list it opens agree.
 *
 * A new capability (plans, reports to submit) adds its section by adding one builder
 * to the table in home.c; nothing else changes. */
#ifndef KC_DOMAIN_HOME_H
#define KC_DOMAIN_HOME_H
#include "domain/core/ctx.h"
#include <jansson.h>

/* The home of the actor: {"scope": "city" | "unit" | "none", "unit_id", "sections": [{"key",
 * "title", "link", "counts": [{"key", "label", "count", "link"}], ...}]}. The inbox section
 * also lists its newest unread reminders ("items", at most KC_HOME_INBOX_ITEMS). Sections the
 * actor's role may not read are left out (a citizen has only the inbox; an account of a unit
 * role without a unit has no task, dossier or case section, "scope": "none"). *out is owned by the
 * caller. KC_EAUTH without an actor; a store error otherwise. */
#define KC_HOME_INBOX_ITEMS 5
kc_err kc_home(kc_ctx *ctx, json_t **out) KC_WUR;

#endif
