/* case_priv.h: what the case engine's files share (case_kind.c, case_store.c, case_act.c,
 * case_clock.c, case_remind.c). Not for other modules: they use case.h. */
#ifndef KC_DOMAIN_CASE_PRIV_H
#define KC_DOMAIN_CASE_PRIV_H
#include "domain/cases/case.h"
#include "domain/core/workcal.h"

/* Steps a statement: true when it gave a row; *e receives a failure (then false). */
static inline bool kc_case__next(kc_stmt *s, kc_err *e)
{
  bool row = false;
  *e = kc_stmt_step(s, &row);
  return !*e && row;
}

/* ---- kinds (case_kind.c) ---- */

const kc_case_state *kc_case__state(const kc_case_kind *k, const char *code);
const kc_case_clock *kc_case__clock(const kc_case_kind *k, const char *code);
/* The transition of `action` from `state`; NULL when none. *known (may be NULL) tells whether
 * the kind has the action at all (from some state). */
const kc_case_transition *kc_case__transition(const kc_case_kind *k, const char *state,
                                              const char *action, bool *known);
/* Whether a NULL-terminated code list holds code. */
bool kc_case__in(const char *const *list, const char *code);
/* Whether the actor's role is in a role set (the system, ctx->actor NULL, always is). */
bool kc_case__role_ok(const kc_ctx *ctx, unsigned roles);

/* ---- storage (case_store.c) ---- */

/* A case row as actions need it. Strings are arena-owned. */
typedef struct kc_case_row {
  int64_t id, version, unit_id, owner_unit_id, official_id, created_by;
  const char *kind_code, *state, *title, *unit_path, *owner_path;
  const kc_case_kind *kind; /* NULL when the kind is no longer registered */
} kc_case_row;

/* Loads a case without scope checks; KC_ENOTFOUND when absent (no message). */
kc_err kc_case__load(kc_ctx *ctx, int64_t id, kc_case_row *r) KC_WUR;
/* Whether the actor may see the case (its scope covers the handling or the owner unit). */
bool kc_case__visible(const kc_ctx *ctx, const kc_case_row *r);
/* The record kc_case_get answers (without "actions"), with its clocks; with the history and
 * the links only when `full` (the audit records leave them out). No scope check; needs no
 * calendar (the clocks' dates are stored). KC_ENOTFOUND when absent. */
kc_err kc_case__record(kc_ctx *ctx, int64_t id, bool full, json_t **out) KC_WUR;
/* Validates and stores links (inside the caller's transaction). */
kc_err kc_case__links_add(kc_ctx *ctx, int64_t case_id, const kc_case_link_in *links, size_t n,
                          const char *member) KC_WUR;
/* Checks a link list before anything is written (kind, id, existence). */
kc_err kc_case__links_check(kc_ctx *ctx, const kc_case_link_in *links, size_t n,
                            const char *member) KC_WUR;
/* Appends an event; *event_id receives its id. data may be NULL (not taken over). */
kc_err kc_case__event(kc_ctx *ctx, int64_t case_id, const char *action, const char *from,
                      const char *to, const char *note, const char *document, int64_t attachment_id,
                      json_t *data, int64_t *event_id) KC_WUR;
/* Checks that an official exists and works in the unit's subtree (KC_EFIELD naming member). */
kc_err kc_case__official_in_unit(kc_ctx *ctx, int64_t official_id, int64_t unit_id,
                                 const char *member) KC_WUR;

/* ---- clocks (case_clock.c) ---- */

/* What a transition does to the clocks, applied at ctx->now on cal (inside the caller's
 * transaction); `done` (may be NULL) receives {"started":[..],"paused":[..],...} of what
 * changed. `final` ends every clock still open. `at` is the start instant for clocks
 * started (the receipt for creation). */
typedef struct kc_case_clock_ops {
  const char *const *start, *const *pause, *const *resume, *const *end;
  const char *extend;
  int extend_count;
  bool final;
  int64_t at;
} kc_case_clock_ops;
kc_err kc_case__clocks_apply(kc_ctx *ctx, const kc_cal_calendar *cal, const kc_case_kind *k,
                             int64_t case_id, const kc_case_clock_ops *ops, int64_t event_id,
                             json_t *done) KC_WUR;
/* The clocks of a case as JSON (an array), with overdue / due_soon at ctx->now. */
kc_err kc_case__clocks_json(kc_ctx *ctx, int64_t case_id, json_t **out) KC_WUR;
/* Acquires the working calendar (ctx->workcal, or one built for the call); release with
 * kc_case__cal_release. */
typedef struct kc_case_cal {
  kc_workcal_cache *own, *cache;
  kc_workcal *w;
  const kc_cal_calendar *cal;
} kc_case_cal;
kc_err kc_case__cal_acquire(kc_ctx *ctx, kc_case_cal *c) KC_WUR;
void kc_case__cal_release(kc_case_cal *c);

#endif
