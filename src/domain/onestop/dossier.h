/* dossier.h: one-stop-shop dossiers (hồ sơ thủ tục hành chính). A dossier is received at a
 * desk against a procedure, gets a code and an appointment computed on the working-day
 * calendar under the rule version in force that day, moves between units (each hand-off a
 * step with its own allowance and result), may be stopped for a supplement, refused, made
 * ready, returned or withdrawn; an apology with a new appointment is owed when it will be
 * late. Due days are stored per dossier and per step, so lists and statistics are indexed
 * queries. Records are JSON (docs/api.md); the caller owns each json_t. */
#ifndef KC_DOMAIN_DOSSIER_H
#define KC_DOMAIN_DOSSIER_H
#include "domain/core/ctx.h"
#include "domain/core/notice.h"
#include "domain/core/workcal.h"
#include <jansson.h>

#define KC_DOSSIER_MAX_ITEMS 60

/* One paper of the checklist as received. */
typedef struct kc_dossier_component_in {
  const char *name;          /* required */
  int64_t originals, copies; /* 0..100 (anything else is refused) */
  bool has_originals;        /* false: one original */
  int received;              /* 0 or 1; -1: not given (received); anything else is refused */
} kc_dossier_component_in;

/* A receipt (POST /dossiers, docs/api.md). Texts are checked and normalised here. */
typedef struct kc_dossier_in {
  int64_t procedure_id;
  struct {
    const char *name, *id_number, *phone, *email, *address;
  } applicant;             /* name required */
  bool has_applicant;      /* false: no applicant given at all */
  const char *received_at; /* ISO 8601; NULL or "": now */
  const char *channel;     /* in_person, post, online; NULL or "": in_person */
  int64_t unit_id;         /* the receiving unit; 0: picked from the procedure and the actor */
  const kc_dossier_component_in *components; /* NULL: the procedure's list, all received */
  size_t ncomponents;
  const char *note;
} kc_dossier_in;

/* Receives a dossier: checks the receipt, picks the receiving unit, gives the code and the
 * appointment, writes the first step, the event and the audit record in one transaction.
 * *out: the record as kc_dossier_get gives it. */
kc_err kc_dossier_receive(kc_ctx *ctx, kc_workcal_cache *cals, const kc_dossier_in *in,
                          json_t **out) KC_WUR;
/* The whole record with steps, supplements, apologies and the timeline. */
kc_err kc_dossier_get(kc_ctx *ctx, int64_t id, json_t **out) KC_WUR;

typedef struct kc_dossier_filter {
  const char *status;     /* a status, or "open", "overdue", "due_today", "apology_owed", "done" */
  int64_t unit_id;        /* received by this unit's subtree */
  int64_t holder_unit_id; /* held now by this unit's subtree (a unit's queue) */
  int64_t procedure_id;
  bool mine;     /* assigned to the actor's official record */
  const char *q; /* a code prefix, or words of the applicant's name */
  const char *received_from, *received_to;
  int64_t limit, offset;
} kc_dossier_filter;
kc_err kc_dossier_list(kc_ctx *ctx, const kc_dossier_filter *f, json_t **items,
                       int64_t *total) KC_WUR;

/* What anyone with the code may see: status, appointment, steps done, the applicant's name
 * masked ("Nguyễn V. A."); nothing else personal. KC_ENOTFOUND for an unknown code. */
kc_err kc_dossier_public(kc_ctx *ctx, const char *code, json_t **out) KC_WUR;

/* Not checking the version: an action that states none. */
#define KC_DOSSIER_ANY_VERSION INT64_MIN

/* The body of a transition; each action reads only its own members (below). */
typedef struct kc_dossier_act_in {
  int64_t version;                                      /* KC_DOSSIER_ANY_VERSION: not checked */
  int64_t unit_id, official_id;                         /* 0: not given */
  const char *step_name, *reason, *new_due_date, *note; /* NULL: not given */
  const char *const *items; /* supplement: the papers asked for (NULL entries are refused) */
  size_t nitems;
} kc_dossier_act_in;

/* Transitions. `action` is one of: assign {official_id}, handover {unit_id, official_id,
 * step_name, note}, supplement {reason, items[]}, supplement_received {note}, refuse
 * {reason}, result {note}, return {note}, withdraw {reason}, apology {reason, new_due_date}.
 * A version refuses a stale change (409). An action the current status does not allow is
 * refused with a message naming both. */
kc_err kc_dossier_act(kc_ctx *ctx, kc_workcal_cache *cals, int64_t id, const char *action,
                      const kc_dossier_act_in *in, json_t **out) KC_WUR;

/* Notifies the heads of the holding and the receiving unit of every open dossier whose
 * apology is owed today (once per dossier and appointment). Idempotent. */
kc_err kc_dossier_plan_notices(kc_ctx *ctx, const kc_prod_rules *rules, int *created) KC_WUR;

/* After the official calendar changed (inside the edit's transaction): recomputes the due day
 * of every open dossier whose clock runs and whose appointment was not moved by an apology,
 * recording each change in the timeline and the audit log. */
kc_err kc_dossier_recompute_due(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed) KC_WUR;

/* Statistics over [from, to] grouped by "unit" (receiving unit) or "procedure":
 * {"group_by","from","to","as_of","items":[{…counts…}],"total":{…}} — received, resolved,
 * early, on_time, late, on_time_rate ((early + on_time) / resolved, 0..1), avg_work_days, returned,
 * refused, withdrawn, apologies, late_unapologised, in_process_on_time, in_process_overdue,
 * overdue_unapologised. unit_id limits it to a subtree; procedure_id to one procedure. */
typedef struct kc_dossier_stats_in {
  const char *from, *to, *group_by;
  int64_t unit_id, procedure_id;
} kc_dossier_stats_in;
kc_err kc_dossier_stats(kc_ctx *ctx, const kc_dossier_stats_in *in, json_t **out) KC_WUR;

/* Vietnamese names of statuses and results, for slips, exports and the public page. */
const char *kc_dossier_status_label(const char *status);
const char *kc_dossier_result_label(const char *result);

#endif
