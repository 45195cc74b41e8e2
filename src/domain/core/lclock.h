/* lclock.h: legal clocks, the one place where kycuong turns "within N days of X" into a date.
 * A rule is dated data (unit, count, how the first day is counted, whether a last day off
 * moves forward, an optional cut-off hour) with its legal source; a deadline is computed from
 * a start event, stretched by pauses and extensions, and always records the rule code and
 * version that gave it. The one-stop shop, the tasks and the case engine all compute their
 * dates here. When the working calendar changes, every module whose stored dates depend on it
 * is asked to recompute them through the registry of dependants at the end of this header:
 * the calendar never calls a module by name. Design note: docs/internals/lclock.md. */
#ifndef KC_DOMAIN_LCLOCK_H
#define KC_DOMAIN_LCLOCK_H
#include "calendar/calendar.h"
#include "domain/core/ctx.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The unit a rule counts in ("working_days", "calendar_days", "months", "years",
 * "working_hours" in data and JSON). */
typedef enum {
  KC_LC_WORKING_DAYS,
  KC_LC_CALENDAR_DAYS,
  KC_LC_MONTHS,
  KC_LC_YEARS,
  KC_LC_WORKING_HOURS,
  KC_LC_UNIT__COUNT
} kc_lc_unit;

/* How the event's own day counts: "day_after" (Civil Code Art 147: the period begins on the
 * day after the event) or "same_day" (the event's day is day 1). */
typedef enum { KC_LC_DAY_AFTER, KC_LC_SAME_DAY } kc_lc_start;

const char *kc_lc_unit_name(kc_lc_unit u); /* "working_days", ... */
int kc_lc_unit_parse(const char *s);       /* -1 when unknown or NULL */
const char *kc_lc_start_name(kc_lc_start s);
int kc_lc_start_parse(const char *s);

/* One version of a rule. Strings are owned by whoever built the rule (a rule set, or static
 * storage for rules written in C); a rule is immutable once built and may be shared between
 * threads. */
typedef struct kc_lc_rule {
  const char *code; /* stable identifier, e.g. "complaint.first.settle" */
  int version;      /* 1, 2, ... : the versions of one code follow each other in time (0: a fallback
                     * written in C, from no data) */
  kc_lc_unit unit;
  /* > 0; 0 in a loaded rule whose count the record using it gives (a procedure publishes its
   * own limit; the rule says how it counts): the caller copies the rule and sets count. A
   * clock of count 0 ends on the counting day itself. */
  int count;
  kc_lc_start start;
  /* A last day that is not a working day moves to the next working day (Civil Code Art 148).
   * Meaningless for working_days / working_hours, which always end on working time. */
  bool roll_forward;
  /* Minute of the day (0..1439) after which an event counts as received on the next working
   * day (one-stop cut-off); -1: none. */
  int cutoff_minute;
  /* The event is a receipt at an office: one made on a day off (or after the cut-off, which
   * implies this) counts as made on the next working day. Day units only: a clock in working
   * hours runs from the event instant, and neither this nor the cut-off applies to it. */
  bool office_receipt;
  const char *source; /* the law and article, Vietnamese: "Luật Khiếu nại 2011, Điều 28" */
  kc_cal_day valid_from; /* first day the version applies to start events */
  kc_cal_day valid_to;   /* last such day; KC_LC_OPEN when still in force */
} kc_lc_rule;

#define KC_LC_OPEN INT32_MAX

/* ---- rule sets (dated data) ---------------------------------------------------------- */

typedef struct kc_lc_rules kc_lc_rules;

/* Loads rules from a JSON file: {"rules":[{"code","version","unit","count","start",
 * "roll_forward","cutoff_hour"?,"source","valid_from","valid_to"?}, ...]} (also optional
 * "office_receipt", "name", "note"; cutoff_hour is an hour 0..23 or "HH:MM"; count may be
 * null, see kc_lc_rule.count; any other member of a rule is an error; other top-level members,
 * such as "about", are ignored). Checks every
 * member, that the versions of a code do not overlap in time and follow each other by
 * version number. On error returns KC_EFIELD/KC_EIO with a message naming the file, the rule
 * and the member in *msg (malloc'd; caller frees), and *out NULL. Free with kc_lc_rules_free. */
kc_err kc_lc_rules_load(const char *path, kc_lc_rules **out, char **msg) KC_WUR;
/* The same from JSON already parsed (not taken over). */
kc_err kc_lc_rules_from_json(const json_t *doc, const char *origin, kc_lc_rules **out,
                             char **msg) KC_WUR;
void kc_lc_rules_free(kc_lc_rules *rs); /* NULL-safe */
/* The version of `code` in force on `day` (the start event's day); NULL when none. */
const kc_lc_rule *kc_lc_rules_find(const kc_lc_rules *rs, const char *code, kc_cal_day day);
/* A given version of a code (to recompute a date under the version it was pinned to). */
const kc_lc_rule *kc_lc_rules_version(const kc_lc_rules *rs, const char *code, int version);
/* All rules as {"items":[{...}]} for the API (GET /api/v1/legal-clocks); each item is
 * kc_lc_rule_json's. kc_lc_rules_json_at gives the versions in force on `day` only. */
json_t *kc_lc_rules_json(const kc_lc_rules *rs);
json_t *kc_lc_rules_json_at(const kc_lc_rules *rs, kc_cal_day day);
/* {"code","version","unit","count" (null: the record's own),"start","roll_forward",
 * "office_receipt","cutoff" ("HH:MM" or null),"source","valid_from","valid_to" (or null)}. */
json_t *kc_lc_rule_json(const kc_lc_rule *r);
/* The process's rule set for the API (any signed-in role): every version, or with `at`
 * (YYYY-MM-DD, may be NULL) the versions in force that day; *items is an array of
 * kc_lc_rule_json objects, oldest version of each code first. KC_EFIELD (field "at", message
 * in ctx) for a malformed date; KC_EINTERNAL when no rule set was loaded. */
kc_err kc_lc_list(kc_ctx *ctx, const char *at, json_t **items) KC_WUR;
/* The process's rule set, loaded once from <data_dir>/clocks/ (every *.json there) by
 * kc_lc_rules_global_init; NULL before. Read-only afterwards. */
kc_err kc_lc_rules_global_init(const char *data_dir, char **msg) KC_WUR;
const kc_lc_rules *kc_lc_rules_global(void);
/* A number that changes whenever the global set is replaced or freed: a cache of pointers into
 * the set keeps it and drops its pointers when it differs. */
unsigned kc_lc_rules_global_serial(void);
void kc_lc_rules_global_free(void);

/* ---- deadlines ----------------------------------------------------------------------- */

/* A span during which the clock did not run: [from, to) instants; to == 0 while it still
 * does not run (an open pause extends nothing yet). */
typedef struct kc_lc_pause {
  int64_t from, to;
} kc_lc_pause;

/* A clock's inputs: the rule, the start instant, its pauses and extensions (each a count in
 * the rule's own unit, added at the end). */
typedef struct kc_lc_clock {
  const kc_lc_rule *rule;
  int64_t started_at;
  const kc_lc_pause *pauses;
  size_t npauses;
  const int *extensions;
  size_t nextensions;
} kc_lc_clock;

/* What a clock gives: the last day (and, for working hours, the instant; for day units the
 * end of office hours of that day), how the rule counted, and the rule that gave it. */
typedef struct kc_lc_deadline {
  kc_cal_day due_day;
  int64_t due_at;
  int paused_units;   /* units added back for pauses (working days, calendar days, ...) */
  int extended_units; /* units added by extensions */
  const char *rule_code;
  int rule_version;
} kc_lc_deadline;

/* Computes the deadline of a clock on a calendar. Pauses are counted in the rule's unit: a
 * pause of working days adds the working days it covered, one of calendar days the calendar
 * days, months and years the days (as calendar days; the statutes that pause such clocks
 * speak of days). Fails with KC_EFIELD (and *out untouched) when a date leaves the
 * calendar's range (1900-2199) or the clock is malformed (pause out of order). Can't fail
 * otherwise. */
kc_err kc_lc_due(const kc_cal_calendar *cal, const kc_lc_clock *c, kc_lc_deadline *out) KC_WUR;

/* Timeliness of a deadline at instant `at`: units left (0 when due or past), overdue, and
 * due_soon (open with at most soon_days working days left). */
typedef struct kc_lc_state {
  int left;
  bool overdue;
  bool due_soon;
} kc_lc_state;
kc_lc_state kc_lc_state_at(const kc_cal_calendar *cal, const kc_lc_rule *r, const kc_lc_deadline *d,
                           int64_t at, int soon_days);

/* The last day with at most soon_days working days left from `today` (today itself when the
 * calendar's range ends first): a date d is due soon when d <= this. Can't fail. */
kc_cal_day kc_lc_soon_until(const kc_cal_calendar *cal, kc_cal_day today, int soon_days);

/* "early", "on_time" or "late" for an end at instant `at`. */
const char *kc_lc_result(const kc_lc_rule *r, const kc_lc_deadline *d, int64_t at);

/* The deadline as JSON: {"due_date","due_at","rule":{"code","version","source"},
 * "paused_units","extended_units"}. */
json_t *kc_lc_deadline_json(const kc_lc_deadline *d, const kc_lc_rule *r);

/* ---- dependants of the calendar ------------------------------------------------------ */

/* A module that stores dates computed on the working calendar registers one function that
 * recomputes them, inside the transaction of the calendar edit, writing an audit record for
 * each changed row; *changed counts them. */
typedef kc_err (*kc_lc_recompute_fn)(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed);

/* Registers a dependant under a name ("dossiers", "cases", ...). Called at start-up, before
 * any thread runs (kc_domain_init does it for every module); a name registered twice is
 * kept once. At most 32 dependants. */
void kc_lc_dependant_register(const char *name, kc_lc_recompute_fn fn);
/* Runs every dependant in registration order; stops at the first failure. */
kc_err kc_lc_recompute_all(kc_ctx *ctx, const kc_cal_calendar *cal, int *changed) KC_WUR;
/* How many dependants are registered (for tests and the start-up log). */
int kc_lc_dependant_count(void);

#endif
