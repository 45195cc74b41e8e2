/* dossier_priv.h: what dossier.c, dossier_flow.c and dossier_stats.c share. */
#ifndef KC_DOMAIN_DOSSIER_PRIV_H
#define KC_DOMAIN_DOSSIER_PRIV_H
#include "domain/onestop/dossier.h"
#include "domain/onestop/onestop.h"

/* The columns of a dossier the transitions work on. Strings are arena-owned. */
typedef struct kc_dossier_row {
  int64_t id, procedure_id, rule_id, unit_id, holder_unit_id, assignee, version;
  const char *code, *unit_path, *holder_path, *status, *due_date, *original_due_date, *apology_from,
      *received_day, *applicant_name;
  kc_limit limit;
  int64_t clock_from, due_at, received_at;
  int days_left; /* -1: NULL */
  int reschedules, apologies;
  bool open;
  kc_limit_source due_rule; /* the rule that gave due_date; code NULL when not recorded */
} kc_dossier_row;

/* The acting account's id, 0 for the system (bound as NULL by kc_stmt_bind_opt_i64). */
static inline int64_t kc_dossier__account(const kc_ctx *ctx)
{
  return ctx->actor ? ctx->actor->account_id : 0;
}

kc_err kc_dossier__load(kc_ctx *ctx, int64_t id, kc_dossier_row *out) KC_WUR;
/* Whether the actor may see the dossier: city-wide roles; a scope covering the receiving or
 * the holding unit, or a unit that held it before. */
kc_err kc_dossier__visible(kc_ctx *ctx, const kc_dossier_row *d, bool *yes) KC_WUR;

/* Changes to the per-day counters of a unit and a procedure. */
typedef struct kc_dossier_delta {
  int received, early, on_time, late, work_days, returned, refused, withdrawn, apologies,
      late_unapologised;
} kc_dossier_delta;
kc_err kc_dossier__count(kc_ctx *ctx, int64_t unit_id, int64_t procedure_id, const char *day,
                         const kc_dossier_delta *d) KC_WUR;
/* Appends to the timeline. */
kc_err kc_dossier__event(kc_ctx *ctx, int64_t dossier_id, const char *kind, int64_t unit_id,
                         const char *note) KC_WUR;
/* The day from which an apology is owed for a due day under a rule (NULL when the rule lets
 * no more appointments be moved); arena-owned. */
const char *kc_dossier__apology_from(kc_ctx *ctx, const kc_cal_calendar *cal,
                                     const kc_onestop_rule *rule, kc_cal_day due, int reschedules);

#endif
