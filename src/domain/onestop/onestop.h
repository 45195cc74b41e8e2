/* onestop.h: the one-stop shop's rules and clock. Rules (apology lead time, how often an
 * appointment may be moved, what a supplement request does to the clock, the forms' numbers
 * and titles) are dated data loaded from data/onestop/rules.json (design.md §4b); a dossier is
 * pinned to the version in force on the day it is received. The clock turns a procedure's time
 * limit into a due day and instant with the working-day calendar. */
#ifndef KC_DOMAIN_ONESTOP_H
#define KC_DOMAIN_ONESTOP_H
#include "calendar/calendar.h"
#include "domain/core/ctx.h"
#include <jansson.h>

typedef struct kc_onestop_rule {
  int64_t id;
  const char *code, *name, *basis, *effective_from, *forms; /* forms: JSON text */
  int apology_lead_days;
  int max_reschedules; /* 0: the regime sets no limit */
  bool supplement_resume;
} kc_onestop_rule;

/* Loads the rule versions of dir/rules.json when the table is empty; audited. *loaded counts
 * the versions written. A missing file is not an error (*loaded = 0). */
kc_err kc_onestop_rules_seed(kc_ctx *ctx, const char *dir, int *loaded) KC_WUR;
/* The version in force on day (YYYY-MM-DD): the latest whose effective_from is not after it.
 * Strings are arena-owned. KC_ENOTFOUND (with a message) when none is. */
kc_err kc_onestop_rule_at(kc_ctx *ctx, const char *day, kc_onestop_rule *out) KC_WUR;
kc_err kc_onestop_rule_get(kc_ctx *ctx, int64_t id, kc_onestop_rule *out) KC_WUR;
/* Every version, oldest first, as JSON (any signed-in role). */
kc_err kc_onestop_rules_list(kc_ctx *ctx, json_t **items) KC_WUR;

/* A time limit: amount of working days, calendar days or office hours, and the cut-off
 * minute after which a receipt counts from the next working day (-1: none). */
typedef enum { KC_LIMIT_WORKING, KC_LIMIT_CALENDAR, KC_LIMIT_HOURS } kc_limit_kind;
typedef struct kc_limit {
  int amount;
  kc_limit_kind kind;
  int cutoff_minute;
} kc_limit;

const char *kc_limit_kind_name(kc_limit_kind k); /* "working", "calendar", "hours" */
int kc_limit_kind_parse(const char *s);          /* -1 when unknown */

/* When a limit running from instant `from` ends: the due day and the instant (the end of
 * office hours that day for limits in days). `left` >= 0 replaces the amount (the rest of a
 * stopped clock, in the limit's unit); -1 runs the whole limit.
 * - working days: the amount-th working day after the day the limit counts from (a receipt
 *   after the cut-off or on a day off counts from the next working day);
 * - calendar days: the amount-th day after that day, moved to the next working day when it
 *   falls on a day off;
 * - hours: office hours from `from`. */
/* *rule, when not NULL, receives the code and version of the legal-clock rule that counted
 * (version 0: the built-in copy); the code lives as long as the process's rule set. */
typedef struct kc_limit_source {
  const char *code;
  int version;
} kc_limit_source;
kc_err kc_limit_due(const kc_cal_calendar *cal, const kc_limit *l, int64_t from, int left,
                    kc_cal_day *due_day, int64_t *due_at, kc_limit_source *rule) KC_WUR;
/* The legal-clock rule a limit runs on from instant `from`: the version in force that day of
 * "onestop.limit.<unit>" (data/clocks/onestop.json; a built-in copy when none is loaded),
 * with `count` and the limit's cut-off. Strings are the rule set's or static. */
struct kc_lc_rule;
void kc_limit_rule(const kc_limit *l, int64_t from, int count, struct kc_lc_rule *out);
/* What is left of a limit at instant `at` when its due day is due_day (never negative). */
int kc_limit_left(const kc_cal_calendar *cal, const kc_limit *l, int64_t at, kc_cal_day due_day,
                  int64_t due_at);
/* "early", "on_time" or "late": a result ready at `at` against the due day (days) or instant
 * (hours). */
const char *kc_limit_result(const kc_limit *l, int64_t at, kc_cal_day due_day, int64_t due_at);

#endif
